package com.leakedkeybot.remediation;

import com.leakedkeybot.approval.Approvers;
import com.leakedkeybot.audit.AuditEntry;
import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.IncidentChannel;
import com.leakedkeybot.incident.IncidentId;
import com.leakedkeybot.incident.IncidentStore;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when someone clicks a step's button: check they may approve, claim the step atomically (so double
 * clicks and simultaneous approvers, on one replica or several, lead to one execution), execute, record and show the
 * outcome. Every click is in the audit trail, whatever came of it.
 */
public final class StepApproval {

    private static final Logger LOG = LoggerFactory.getLogger(StepApproval.class);

    private final IncidentStore store;
    private final IncidentChannel channel;
    private final Approvers approvers;
    private final Map<StepKind, RemediationStep> steps = new EnumMap<>(StepKind.class);
    private final Clock clock;
    private final StepLease lease;
    private final HeldSteps held;
    private final StepRecovery recovery;

    public StepApproval(IncidentStore store, IncidentChannel channel, Approvers approvers, List<RemediationStep> steps,
                        Clock clock, StepLease lease, HeldSteps held, StepRecovery recovery) {
        this.store = store;
        this.channel = channel;
        this.approvers = approvers;
        steps.forEach(step -> this.steps.put(step.kind(), step));
        this.clock = clock;
        this.lease = lease;
        this.held = held;
        this.recovery = recovery;
    }

    /** @return false when there is no such incident (the click came from a message this bot does not know) */
    public boolean onClick(IncidentId id, StepKind kind, String user) {
        if (store.find(id).isEmpty()) {
            return false;
        }
        Instant now = clock.instant();
        String request = "asked to run " + kind.label();
        if (!approvers.mayApprove(user)) {
            Incident incident = store.update(id, i -> i.audited(
                    new AuditEntry(now, user, request, "refused: not an approver")));
            channel.refuse(incident, user, new Refusal(Refusal.Reason.NOT_AN_APPROVER, kind,
                    incident.step(kind).orElse(null)));
            return true;
        }
        // The change may be applied more than once (another replica won a race): it decides afresh every time.
        AtomicReference<Refusal> refusal = new AtomicReference<>();
        AtomicReference<StepState> claim = new AtomicReference<>();
        Incident claimed = store.update(id, incident -> {
            refusal.set(null);
            claim.set(null);
            StepState state = incident.step(kind).orElse(null);
            if (state == null || !state.claimable()) {
                Refusal refused = new Refusal(reasonFor(state, now), kind, state);
                refusal.set(refused);
                return incident.audited(new AuditEntry(now, user, request, "refused: " + refused.reason().name()
                        .toLowerCase().replace('_', ' ')));
            }
            claim.set(state.running(user, now, lease.holder()));
            return incident.withStep(claim.get())
                    .audited(new AuditEntry(now, user, "approved " + kind.label(), "executing"));
        });
        if (refusal.get() != null) {
            channel.refuse(claimed, user, refusal.get());
            if (refusal.get().reason() == Refusal.Reason.RECHECKING) {
                recovery.recheck(id, kind);
            }
            return true;
        }
        held.hold(id, claim.get());
        LOG.info("{} approved by {} for incident {}", kind, user, id);
        show(claimed, kind);
        StepOutcome outcome = execute(claimed, kind);
        held.finish(id, claim.get(), outcome, kind.label(), clock.instant()).ifPresent(done -> show(done, kind));
        return true;
    }

    private StepOutcome execute(Incident incident, StepKind kind) {
        try {
            return steps.get(kind).execute(incident);
        } catch (AwsActionFailure failure) {
            LOG.warn("{} failed for incident {}: {}", kind, incident.id(), failure.getMessage());
            return FailureAdvice.outcomeOf(failure);
        } catch (RuntimeException unexpected) {
            LOG.error("{} failed unexpectedly for incident {}", kind, incident.id(), unexpected);
            return StepOutcome.failure("Unexpected error: " + unexpected.getClass().getSimpleName() + ".",
                    "Check the bot's logs and AWS state before retrying by hand.");
        }
    }

    /** Once claimed, the step must run and its outcome be recorded even when Slack cannot be reached. */
    private void show(Incident incident, StepKind kind) {
        try {
            channel.showStep(incident, kind);
        } catch (RuntimeException e) {
            LOG.warn("Could not update the thread of incident {}: {}", incident.id(), e.getMessage());
        }
    }

    private Refusal.Reason reasonFor(StepState state, Instant now) {
        if (state == null) {
            return Refusal.Reason.NOT_OFFERED;
        }
        if (lease.abandoned(state, now)) {
            return Refusal.Reason.RECHECKING;
        }
        return state.inFlight() ? Refusal.Reason.ALREADY_RUNNING : Refusal.Reason.ALREADY_DONE;
    }
}
