package com.leakedkeybot.step;

import java.util.Objects;

/**
 * Which step of an incident: its kind, and what it acts on where one incident has several steps of that kind (one
 * clean-up per resource, one revocation per role). Singletons, such as deactivating the leaked key, have the empty
 * target.
 *
 * <p>Its text form ({@link #toString()}) keys the incident's stored steps: the kind's name alone for a singleton, so
 * state written before targets existed reads back unchanged, else {@code KIND/target}. Kind names contain no slash,
 * so the first one separates them even when the target (a role ARN) has its own.
 *
 * @param target a resource id, role ARN or bucket name; never null
 */
public record StepId(StepKind kind, String target) {

    private static final char SEPARATOR = '/';

    public StepId {
        Objects.requireNonNull(kind, "kind");
        target = target == null ? "" : target;
    }

    public static StepId of(StepKind kind) {
        return new StepId(kind, "");
    }

    /** How people and the audit trail name the step: its label, and its target where it has one. */
    public String label() {
        return singleton() ? kind.label() : kind.label() + " " + target;
    }

    public boolean singleton() {
        return target.isEmpty();
    }

    /** Read by Jackson for map keys (by its name) and by the journal's readers. */
    public static StepId fromString(String text) {
        int at = text.indexOf(SEPARATOR);
        return at < 0 ? of(StepKind.valueOf(text))
                : new StepId(StepKind.valueOf(text.substring(0, at)), text.substring(at + 1));
    }

    @Override
    public String toString() {
        return singleton() ? kind.name() : kind.name() + SEPARATOR + target;
    }
}
