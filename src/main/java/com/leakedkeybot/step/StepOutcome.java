package com.leakedkeybot.step;

/**
 * The result of executing a step, in words for the thread.
 *
 * @param summary what happened, e.g. "Key is now Inactive (read back from IAM)."
 * @param nextStep what a responder should do now; null when nothing is needed
 */
public record StepOutcome(boolean succeeded, String summary, String nextStep) {

    public static StepOutcome success(String summary) {
        return new StepOutcome(true, summary, null);
    }

    public static StepOutcome failure(String summary, String nextStep) {
        return new StepOutcome(false, summary, nextStep);
    }

    /**
     * A button naming something the investigation did not attribute to the investigated keys: refused, so that no
     * forged or stale button can act on what the attacker did not touch.
     */
    public static StepOutcome notAmongFindings(String what) {
        return failure(what, "Nothing was changed. Review it by hand if it looks suspicious.");
    }
}
