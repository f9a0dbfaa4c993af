package com.leakedkeybot.investigation;

import java.time.Instant;
import java.util.function.Predicate;

/**
 * Everyone's events of one API call (LookupEvents by EventName), for finding what a resource held before the
 * attacker changed it: the attacker's own events say what they set, never what was there.
 */
public interface TrailHistory {

    /**
     * Streams to {@code visit}, newest first, every event named {@code eventName} in {@code region} between
     * {@code from} and {@code to}, until it returns false.
     */
    void eventsNamed(String region, String eventName, Instant from, Instant to, Predicate<TrailEvent> visit)
            throws TrailLookupException;
}
