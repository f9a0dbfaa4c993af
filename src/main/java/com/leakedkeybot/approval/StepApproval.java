package com.leakedkeybot.approval;

import com.leakedkeybot.audit.AuditEntry;
import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.IncidentChannel;
import com.leakedkeybot.incident.IncidentId;
import com.leakedkeybot.incident.IncidentStore;
import com.leakedkeybot.remediation.RemediationStep;
import com.leakedkeybot.remediation.port.AwsActionFailure;
import com.leakedkeybot.runbook.StepOffers;
import com.leakedkeybot.step.Refusal;
import com.leakedkeybot.step.StepId;
import com.leakedkeybot.step.StepKind;
import com.leakedkeybot.step.StepOutcome;
import com.leakedkeybot.step.StepState;
import java.time.Clock;
import java.time.Instant;
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
    private final Map<StepKind, RemediationStep> steps;
    private final Clock clock;
    private final StepLease lease;
    private final HeldSteps held;
    private final StepRecovery recovery;
    private final StepOffers offers;

    public StepApproval(IncidentStore store, IncidentChannel channel, Approvers approvers, List<RemediationStep> steps,
                        Clock clock, StepLease lease, HeldSteps held, StepRecovery recovery, StepOffers offers) {
        this.store = store;
        this.channel = channel;
        this.approvers = approvers;
        this.steps = StepRecovery.byKind(steps);
        this.clock = clock;
        this.lease = lease;
        this.held = held;
        this.recovery = recovery;
        this.offers = offers;
    }

    /** @return false when there is no such incident (the click came from a message this bot does not know) */
    public boolean onClick(IncidentId id, StepId step, String user) {
        if (store.find(id).isEmpty()) {
            return false;
        }
        Instant now = clock.instant();
        String request = "asked to run " + step.label();
        if (!approvers.mayApprove(user)) {
            refuseUpFront(id, step, user, now, request, Refusal.Reason.NOT_AN_APPROVER);
            return true;
        }
        if (!approvers.mayExecute(step.kind(), user, store.find(id).orElseThrow().reporter())) {
            refuseUpFront(id, step, user, now, request, Refusal.Reason.REPORTER_ON_DESTRUCTIVE_STEP);
            return true;
        }
        // The change may be applied more than once (another replica won a race): it decides afresh every time.
        AtomicReference<Refusal> refusal = new AtomicReference<>();
        AtomicReference<StepState> claim = new AtomicReference<>();
        Incident claimed = store.update(id, incident -> {
            refusal.set(null);
            claim.set(null);
            StepState state = incident.step(step).orElse(null);
            if (state == null || !state.claimable() || incident.isClosed()) {
                Refusal refused = new Refusal(reasonFor(incident, state, now), step, state);
                refusal.set(refused);
                return incident.audited(refusalEntry(now, user, request, refused.reason()));
            }
            claim.set(state.running(user, now, lease.holder()));
            return incident.withStep(claim.get())
                    .audited(new AuditEntry(now, user, "approved " + step.label(), "executing"));
        });
        if (refusal.get() != null) {
            channel.refuse(claimed, user, refusal.get());
            if (refusal.get().reason() == Refusal.Reason.RECHECKING) {
                recovery.recheck(id, step);
            }
            return true;
        }
        held.hold(id, claim.get());
        LOG.info("{} approved by {} for incident {}", step, user, id);
        show(claimed, step);
        StepOutcome outcome = execute(claimed, step);
        held.finish(id, claim.get(), outcome, step.label(), clock.instant()).ifPresent(done -> {
            show(done, step);
            offers.offerFollowUps(done, steps.get(step.kind()), step);
        });
        return true;
    }

    /** A refusal that needs no claim: recorded, and told privately to the one who clicked. */
    private void refuseUpFront(IncidentId id, StepId step, String user, Instant now, String request,
                               Refusal.Reason reason) {
        Incident incident = store.update(id, i -> i.audited(refusalEntry(now, user, request, reason)));
        channel.refuse(incident, user, new Refusal(reason, step, incident.step(step).orElse(null)));
    }

    private static AuditEntry refusalEntry(Instant now, String user, String request, Refusal.Reason reason) {
        return new AuditEntry(now, user, request, "refused: " + reason.name().toLowerCase().replace('_', ' '));
    }

    private StepOutcome execute(Incident incident, StepId step) {
        try {
            return steps.get(step.kind()).execute(incident, step.target());
        } catch (AwsActionFailure failure) {
            LOG.warn("{} failed for incident {}: {}", step, incident.id(), failure.getMessage());
            return FailureAdvice.outcomeOf(failure);
        } catch (RuntimeException unexpected) {
            LOG.error("{} failed unexpectedly for incident {}", step, incident.id(), unexpected);
            return StepOutcome.failure("Unexpected error: " + unexpected.getClass().getSimpleName() + ".",
                    "Check the bot's logs and AWS state before retrying by hand.");
        }
    }

    /** Once claimed, the step must run and its outcome be recorded even when Slack cannot be reached. */
    private void show(Incident incident, StepId step) {
        try {
            channel.showStep(incident, step);
        } catch (RuntimeException e) {
            LOG.warn("Could not update the thread of incident {}: {}", incident.id(), e.getMessage());
        }
    }

    private Refusal.Reason reasonFor(Incident incident, StepState state, Instant now) {
        if (incident.isClosed()) {
            return Refusal.Reason.INCIDENT_CLOSED;
        }
        if (state == null) {
            return Refusal.Reason.NOT_OFFERED;
        }
        if (lease.abandoned(state, now)) {
            return Refusal.Reason.RECHECKING;
        }
        return state.inFlight() ? Refusal.Reason.ALREADY_RUNNING : Refusal.Reason.ALREADY_DONE;
    }
}
