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
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when someone clicks a step's button: check they may approve, claim the step atomically (so double
 * clicks and simultaneous approvers lead to one execution), execute, record and show the outcome.
 */
public final class StepApproval {

    private static final Logger LOG = LoggerFactory.getLogger(StepApproval.class);

    private final IncidentStore store;
    private final IncidentChannel channel;
    private final Approvers approvers;
    private final Map<StepKind, RemediationStep> steps = new EnumMap<>(StepKind.class);
    private final Clock clock;

    public StepApproval(IncidentStore store, IncidentChannel channel, Approvers approvers,
                        List<RemediationStep> steps, Clock clock) {
        this.store = store;
        this.channel = channel;
        this.approvers = approvers;
        steps.forEach(step -> this.steps.put(step.kind(), step));
        this.clock = clock;
    }

    /** @return false when there is no such incident (the click came from a message this bot does not know) */
    public boolean onClick(IncidentId id, StepKind kind, String user) {
        Optional<Incident> known = store.find(id);
        if (known.isEmpty()) {
            return false;
        }
        Instant now = clock.instant();
        if (!approvers.mayApprove(user)) {
            Incident incident = store.update(id, i -> i.audited(
                    new AuditEntry(now, user, "asked to run " + kind.label(), "refused: not an approver")));
            channel.refuse(incident, user, new Refusal(Refusal.Reason.NOT_AN_APPROVER, kind,
                    incident.step(kind).orElse(null)));
            return true;
        }
        AtomicReference<Refusal> refusal = new AtomicReference<>();
        Incident claimed = store.update(id, incident -> {
            StepState state = incident.step(kind).orElse(null);
            if (state == null || !state.claimable()) {
                refusal.set(new Refusal(reasonFor(state), kind, state));
                return incident;
            }
            return incident.withStep(state.running(user, now))
                    .audited(new AuditEntry(now, user, "approved " + kind.label(), "executing"));
        });
        if (refusal.get() != null) {
            channel.refuse(claimed, user, refusal.get());
            return true;
        }
        LOG.info("{} approved by {} for incident {}", kind, user, id);
        channel.showStep(claimed, kind);
        StepOutcome outcome = execute(claimed, kind);
        Instant done = clock.instant();
        Incident finished = store.update(id, incident -> incident
                .withStep(incident.step(kind).orElseThrow().finished(outcome, done))
                .audited(new AuditEntry(done, AuditEntry.BOT, kind.label(),
                        (outcome.succeeded() ? "succeeded: " : "failed: ") + outcome.summary())));
        channel.showStep(finished, kind);
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

    private static Refusal.Reason reasonFor(StepState state) {
        if (state == null) {
            return Refusal.Reason.NOT_OFFERED;
        }
        return state.status() == StepState.Status.RUNNING ? Refusal.Reason.ALREADY_RUNNING : Refusal.Reason.ALREADY_DONE;
    }
}
