package com.leakedkeybot.incident;

/**
 * A change to an incident together with what it decided (which click won, whether a step was offered): a store
 * applies the change atomically and hands both back, so a decision never has to escape a change that may be retried.
 *
 * @param incident the next incident when returned by a change; the stored incident when returned by the store
 * @param value    what the change decided; may be null
 */
public record Decision<T>(Incident incident, T value) {

    /** The incident left as it is, with what was decided about it. */
    public static <T> Decision<T> unchanged(Incident incident, T value) {
        return new Decision<>(incident, value);
    }
}
