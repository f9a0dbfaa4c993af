package com.leakedkeybot.step;

/**
 * Why a click on a step button did not execute it.
 *
 * @param current the step's state when the click arrived (null when the step was never offered)
 */
public record Refusal(Reason reason, StepId step, StepState current) {

    public enum Reason {
        NOT_AN_APPROVER,
        ALREADY_RUNNING,
        ALREADY_DONE,
        NOT_OFFERED,
        /** The two-person rule: whoever reported the incident never executes a destructive step alone. */
        REPORTER_ON_DESTRUCTIVE_STEP,
        /** Four eyes: the same approver clicked again; a second, distinct approver must. */
        SECOND_APPROVER_NEEDED,
        /** The step was in flight in a bot process that stopped: AWS is being read rather than the step re-run. */
        RECHECKING,
        /** The incident was closed: its timeline is final, so no step runs any more. */
        INCIDENT_CLOSED
    }
}
