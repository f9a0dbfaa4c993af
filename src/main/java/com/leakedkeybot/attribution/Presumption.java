package com.leakedkeybot.attribution;

/**
 * Whose a source's calls are taken to be, and why.
 *
 * @param ambiguity why a person should look at this source before trusting the verdict, or null
 */
public record Presumption(Verdict verdict, Reason reason, String ambiguity) {

    public enum Reason {
        /** An approver marked the source. */
        MARKED,
        /** First seen before the exposure time: the owner's baseline. */
        BASELINE,
        /** First seen at or after the exposure time. */
        SUSPECT,
        /** No exposure time is known, so nothing tells the owner apart: every source counts as the attacker's. */
        NO_EXPOSURE_TIME,
        /** The investigation kept no such source (stored before sources were, or beyond the kept limit). */
        UNKNOWN_SOURCE
    }

    public boolean attacker() {
        return verdict == Verdict.ATTACKER;
    }
}
