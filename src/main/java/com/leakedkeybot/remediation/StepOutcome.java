package com.leakedkeybot.remediation;

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
}
