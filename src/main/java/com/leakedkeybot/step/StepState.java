package com.leakedkeybot.step;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Where one step of one incident stands. A step moves OFFERED → RUNNING → SUCCEEDED or FAILED (FAILED may be retried), and
 * only the first approved click makes the move to RUNNING: that is what makes execution exactly-once. A step left
 * RUNNING by a process that died moves to RECONCILING, where AWS is read (never written) to learn what happened.
 *
 * @param target what the step acts on where an incident has several steps of its kind; "" for singletons (and in
 *               state stored before targets existed)
 * @param messageTs the chat message that shows this step and carries its button
 * @param attempt how many times the step was claimed; tells a late finisher that its claim was superseded
 * @param runner the bot process that holds the step while it is in flight (RUNNING or RECONCILING)
 * @param heartbeatAt when {@code runner} last proved it is alive; a stale heartbeat means the runner is gone
 * @param firstApproval for a four-eyes step, the approval before {@code approver}'s; null otherwise (and in state
 *                      stored before four eyes existed)
 */
public record StepState(
        StepKind kind,
        String target,
        Status status,
        String messageTs,
        String approver,
        Instant approvedAt,
        Instant finishedAt,
        StepOutcome outcome,
        int attempt,
        String runner,
        Instant heartbeatAt,
        Approval firstApproval) {

    public enum Status { OFFERED, RUNNING, RECONCILING, SUCCEEDED, FAILED }

    public StepState {
        target = target == null ? "" : target;
    }

    public static StepState offered(StepKind kind, String messageTs) {
        return offered(StepId.of(kind), messageTs);
    }

    public static StepState offered(StepId id, String messageTs) {
        return new StepState(id.kind(), id.target(), Status.OFFERED, messageTs, null, null, null, null, 0, null,
                null, null);
    }

    public StepId id() {
        return new StepId(kind, target);
    }

    public StepState postedAs(String ts) {
        return new StepState(kind, target, status, ts, approver, approvedAt, finishedAt, outcome, attempt, runner, heartbeatAt,
                firstApproval);
    }

    /** The first of two approvals of a four-eyes step: it waits, offered still, for a second approver. */
    public StepState approvedOnce(String by, Instant at) {
        return new StepState(kind, target, status, messageTs, approver, approvedAt, finishedAt, outcome, attempt,
                runner, heartbeatAt, new Approval(by, at, attempt + 1));
    }

    /** The first approval of the next run, when one was given and the step can still be claimed. */
    public Optional<Approval> pendingApproval() {
        return Optional.ofNullable(firstApproval)
                .filter(first -> claimable() && first.attempt() == attempt + 1);
    }

    /** The first approval of the run that was (or is being) carried out, for a four-eyes step. */
    public Optional<Approval> firstApprovalOfRun() {
        return Optional.ofNullable(firstApproval).filter(first -> first.attempt() == attempt);
    }

    /** Claimed by an approver's click, to be executed by process {@code runner}. */
    public StepState running(String approver, Instant at, String runner) {
        return new StepState(kind, target, Status.RUNNING, messageTs, approver, at, null, null, attempt + 1, runner, at,
                firstApproval);
    }

    /** Taken over by {@code runner} from a process that died while the step was in flight. */
    public StepState reconciling(String runner, Instant at) {
        return new StepState(kind, target, Status.RECONCILING, messageTs, approver, approvedAt, null, null, attempt, runner, at,
                firstApproval);
    }

    public StepState heartbeat(Instant at) {
        return new StepState(kind, target, status, messageTs, approver, approvedAt, finishedAt, outcome, attempt, runner, at,
                firstApproval);
    }

    public StepState finished(StepOutcome outcome, Instant at) {
        return new StepState(kind, target, outcome.succeeded() ? Status.SUCCEEDED : Status.FAILED, messageTs, approver,
                approvedAt, at, outcome, attempt, null, null, firstApproval);
    }

    /** A failed step may be approved again (a retry); a running or succeeded one may not. */
    public boolean claimable() {
        return status == Status.OFFERED || status == Status.FAILED;
    }

    public boolean inFlight() {
        return status == Status.RUNNING || status == Status.RECONCILING;
    }

    /** Whether this is still exactly the claim {@code claim} made: same attempt, same process, still in flight. */
    public boolean heldAs(StepState claim) {
        return inFlight() && attempt == claim.attempt && claim.runner.equals(runner);
    }

    /**
     * In flight for another process that has not shown a heartbeat for {@code lease}: that process is gone, and what
     * it did must be read back from AWS. A live runner renews its heartbeat well within the lease.
     */
    public boolean abandoned(String self, Instant now, Duration lease) {
        return inFlight() && !self.equals(runner) && !heartbeatAt.plus(lease).isAfter(now);
    }
}
