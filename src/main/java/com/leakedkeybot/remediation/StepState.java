package com.leakedkeybot.remediation;

import java.time.Instant;

/**
 * Where one step of one incident stands. A step moves OFFERED → RUNNING → SUCCEEDED or FAILED (FAILED may be retried), and
 * only the first approved click makes the move to RUNNING: that is what makes execution exactly-once.
 *
 * @param messageTs the chat message that shows this step and carries its button
 */
public record StepState(
        StepKind kind,
        Status status,
        String messageTs,
        String approver,
        Instant approvedAt,
        Instant finishedAt,
        StepOutcome outcome) {

    public enum Status { OFFERED, RUNNING, SUCCEEDED, FAILED }

    public static StepState offered(StepKind kind, String messageTs) {
        return new StepState(kind, Status.OFFERED, messageTs, null, null, null, null);
    }

    public StepState postedAs(String ts) {
        return new StepState(kind, status, ts, approver, approvedAt, finishedAt, outcome);
    }

    public StepState running(String approver, Instant at) {
        return new StepState(kind, Status.RUNNING, messageTs, approver, at, null, null);
    }

    public StepState finished(StepOutcome outcome, Instant at) {
        return new StepState(kind, outcome.succeeded() ? Status.SUCCEEDED : Status.FAILED, messageTs, approver,
                approvedAt, at, outcome);
    }

    /** A failed step may be approved again (a retry); a running or succeeded one may not. */
    public boolean claimable() {
        return status == Status.OFFERED || status == Status.FAILED;
    }
}
