package com.leakedkeybot.approval;

import com.leakedkeybot.audit.AuditEntry;
import com.leakedkeybot.incident.Decision;
import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.IncidentChannel;
import com.leakedkeybot.incident.IncidentId;
import com.leakedkeybot.incident.IncidentStore;
import com.leakedkeybot.step.Approval;
import com.leakedkeybot.step.Refusal;
import com.leakedkeybot.step.StepId;
import com.leakedkeybot.step.StepState;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when someone clicks a step's button: check they may approve, claim the step atomically (so double
 * clicks and simultaneous approvers, on one replica or several, lead to one execution), then hand the claim to the
 * {@link StepRunner}. Every click is in the audit trail, whatever came of it.
 */
public final class StepApproval {

    private static final Logger LOG = LoggerFactory.getLogger(StepApproval.class);

    private final IncidentStore store;
    private final IncidentChannel channel;
    private final Approvers approvers;
    private final Clock clock;
    private final HeldSteps held;
    private final StepRunner runner;
    private final StepRecovery recovery;

    public StepApproval(IncidentStore store, IncidentChannel channel, Approvers approvers, Clock clock,
                        HeldSteps held, StepRunner runner, StepRecovery recovery) {
        this.store = store;
        this.channel = channel;
        this.approvers = approvers;
        this.clock = clock;
        this.held = held;
        this.runner = runner;
        this.recovery = recovery;
    }

    /**
     * The click's result: the step's claim, or the first of two approvals recorded (the step still offered), or why
     * there is neither.
     */
    private record Claim(StepState running, boolean firstOfTwo, Refusal refusal) {

        static Claim refused(Refusal refusal) {
            return new Claim(null, false, refusal);
        }
    }

    /** @return false when there is no such incident (the click came from a message this bot does not know) */
    public boolean onClick(IncidentId id, StepId step, String user) {
        Optional<Incident> found = store.find(id);
        if (found.isEmpty()) {
            return false;
        }
        Instant now = clock.instant();
        if (!approvers.mayApprove(user)) {
            refuseUpFront(id, step, user, now, Refusal.Reason.NOT_AN_APPROVER);
            return true;
        }
        if (!approvers.mayExecute(step.kind(), user, found.get().reporter())) {
            refuseUpFront(id, step, user, now, Refusal.Reason.REPORTER_ON_DESTRUCTIVE_STEP);
            return true;
        }
        Decision<Claim> decided = store.decide(id, incident -> claim(incident, step, user, now));
        Refusal refusal = decided.value().refusal();
        if (refusal != null) {
            channel.refuse(decided.incident(), user, refusal);
            if (refusal.reason() == Refusal.Reason.RECHECKING) {
                recovery.recheck(id, step);
            }
            return true;
        }
        if (decided.value().firstOfTwo()) {
            LOG.info("{} approved by {} for incident {}, waiting for a second approver", step, user, id);
            runner.show(decided.incident(), step);
            return true;
        }
        LOG.info("{} approved by {} for incident {}", step, user, id);
        runner.run(decided.incident(), decided.value().running(), StepRunner.Action.EXECUTE);
        return true;
    }

    /**
     * Runs a step that a policy the team configured approves, not a person (e.g. AUTO_DEACTIVATE): claimed like a
     * click, so the step still runs once, its outcome, timeline and restart recovery are those of any approved step.
     *
     * @param policy names the policy: the step's approver and the audit trail show it
     * @param why    what the audit trail records as the reason
     * @return false when the step was not claimable (not offered, already done or running, incident closed)
     */
    public boolean approveByPolicy(IncidentId id, StepId step, String policy, String why) {
        Instant now = clock.instant();
        Decision<StepState> decided = store.decide(id, incident -> {
            StepState state = incident.step(step).orElse(null);
            if (state == null || !state.claimable() || incident.isClosed()) {
                return new Decision<>(incident, null);
            }
            StepState running = state.running(policy, now, held.holder());
            return new Decision<>(incident.withStep(running).audited(new AuditEntry(now, policy,
                    "approved " + step.label(), "executing: " + why, step)), running);
        });
        if (decided.value() == null) {
            return false;
        }
        LOG.info("{} approved by policy {} for incident {}", step, policy, id);
        runner.run(decided.incident(), decided.value(), StepRunner.Action.EXECUTE);
        return true;
    }

    /** Decided on the stored incident, afresh each time the store applies it. */
    private Decision<Claim> claim(Incident incident, StepId step, String user, Instant now) {
        StepState state = incident.step(step).orElse(null);
        if (state == null || !state.claimable() || incident.isClosed()) {
            return refused(incident, new Refusal(reasonFor(incident, state, now), step, state), user, now);
        }
        if (approvers.needTwo(step.kind())) {
            Optional<Approval> first = state.pendingApproval();
            if (first.isEmpty()) {
                return new Decision<>(incident.withStep(state.approvedOnce(user, now)).audited(new AuditEntry(now,
                        user, "approved " + step.label() + " (1 of 2)", "waiting for a second approver", step)),
                        new Claim(null, true, null));
            }
            if (first.get().by().equals(user)) {
                return refused(incident, new Refusal(Refusal.Reason.SECOND_APPROVER_NEEDED, step, state), user, now);
            }
        }
        StepState running = state.running(user, now, held.holder());
        String second = state.pendingApproval().map(first -> " (2 of 2; first approval by " + first.by() + ")")
                .orElse("");
        return new Decision<>(incident.withStep(running)
                .audited(new AuditEntry(now, user, "approved " + step.label(), "executing" + second, step)),
                new Claim(running, false, null));
    }

    private static Decision<Claim> refused(Incident incident, Refusal refusal, String user, Instant now) {
        return new Decision<>(incident.audited(refusalEntry(now, user, refusal.step(), refusal.reason())),
                Claim.refused(refusal));
    }

    /** A refusal that needs no claim: recorded, and told privately to the one who clicked. */
    private void refuseUpFront(IncidentId id, StepId step, String user, Instant now, Refusal.Reason reason) {
        Incident incident = store.update(id, i -> i.audited(refusalEntry(now, user, step, reason)));
        channel.refuse(incident, user, new Refusal(reason, step, incident.step(step).orElse(null)));
    }

    private static AuditEntry refusalEntry(Instant now, String user, StepId step, Refusal.Reason reason) {
        return new AuditEntry(now, user, "asked to run " + step.label(),
                "refused: " + reason.name().toLowerCase(Locale.ROOT).replace('_', ' '), step);
    }

    private Refusal.Reason reasonFor(Incident incident, StepState state, Instant now) {
        if (incident.isClosed()) {
            return Refusal.Reason.INCIDENT_CLOSED;
        }
        if (state == null) {
            return Refusal.Reason.NOT_OFFERED;
        }
        if (held.abandoned(incident.id(), state, now)) {
            return Refusal.Reason.RECHECKING;
        }
        return state.inFlight() ? Refusal.Reason.ALREADY_RUNNING : Refusal.Reason.ALREADY_DONE;
    }
}
