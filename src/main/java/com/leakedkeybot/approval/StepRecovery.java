package com.leakedkeybot.approval;

import com.leakedkeybot.audit.AuditEntry;
import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.IncidentChannel;
import com.leakedkeybot.incident.IncidentId;
import com.leakedkeybot.incident.IncidentStore;
import com.leakedkeybot.remediation.RemediationStep;
import com.leakedkeybot.remediation.port.AwsActionFailure;
import com.leakedkeybot.runbook.StepOffers;
import com.leakedkeybot.step.StepId;
import com.leakedkeybot.step.StepKind;
import com.leakedkeybot.step.StepOutcome;
import com.leakedkeybot.step.StepState;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Steps left in flight by a process that died. Whether its AWS call happened is unknown, so the step is never run
 * again blindly: one process takes it over (atomically, so replicas do not race), says so in the thread ("outcome
 * unknown — re-checking AWS state"), reads AWS, and records what AWS shows. Where AWS shows nothing was done, the step
 * becomes a failed step with a Retry button, so a person decides whether to run it.
 */
public final class StepRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(StepRecovery.class);

    private final IncidentStore store;
    private final IncidentChannel channel;
    private final Map<StepKind, RemediationStep> steps;
    private final Clock clock;
    private final StepLease lease;
    private final HeldSteps held;
    private final StepOffers offers;

    public StepRecovery(IncidentStore store, IncidentChannel channel, List<RemediationStep> steps, Clock clock,
                        StepLease lease, HeldSteps held, StepOffers offers) {
        this.store = store;
        this.channel = channel;
        this.steps = byKind(steps);
        this.clock = clock;
        this.lease = lease;
        this.held = held;
        this.offers = offers;
    }

    /** Re-checks every abandoned step: at start-up, and periodically where other replicas may die. */
    public void recoverAbandoned() {
        for (IncidentId id : store.withStepsInFlight()) {
            try {
                Incident incident = store.find(id).orElseThrow();
                for (StepState step : incident.steps().values()) {
                    if (lease.abandoned(step, clock.instant())) {
                        recheck(id, step.id());
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn("Could not re-check the steps of incident {}: {}", id, e.getMessage());
            }
        }
    }

    /**
     * Takes the step over if it is still abandoned, and reconciles it with AWS.
     *
     * @return false when there was nothing to do: the step finished, or another process took it first
     */
    public boolean recheck(IncidentId id, StepId step) {
        Instant now = clock.instant();
        AtomicReference<StepState> takeover = new AtomicReference<>();
        Incident taken = store.update(id, incident -> {
            takeover.set(null);
            StepState state = incident.step(step).orElse(null);
            if (state == null || !lease.abandoned(state, now)) {
                return incident;
            }
            takeover.set(state.reconciling(lease.holder(), now));
            return incident.withStep(takeover.get()).audited(new AuditEntry(now, AuditEntry.BOT,
                    "re-check " + step.label(), "outcome unknown: bot process " + state.runner() + " stopped while the "
                    + "step was in flight; reading AWS state instead of running it again"));
        });
        if (takeover.get() == null) {
            return false;
        }
        held.hold(id, takeover.get());
        LOG.info("{} of incident {} was in flight in a stopped process; re-checking AWS", step, id);
        show(taken, step);
        StepOutcome outcome = reconcile(taken, step);
        held.finish(id, takeover.get(), outcome, step.label() + " (re-checked after a restart)", clock.instant())
                .ifPresent(finished -> {
                    show(finished, step);
                    offers.offerFollowUps(finished, steps.get(step.kind()), step);
                });
        return true;
    }

    private StepOutcome reconcile(Incident incident, StepId step) {
        try {
            return steps.get(step.kind()).reconcile(incident, step.target());
        } catch (AwsActionFailure failure) {
            LOG.warn("Re-checking {} failed for incident {}: {}", step, incident.id(), failure.getMessage());
            StepOutcome advice = FailureAdvice.outcomeOf(failure);
            return StepOutcome.failure("Outcome unknown — the bot restarted mid-action and could not read AWS "
                    + "back: " + failure.getMessage(), advice.nextStep());
        }
    }

    /** The thread is told, but Slack being unreachable must not stop the reconciliation. */
    private void show(Incident incident, StepId step) {
        try {
            channel.showStep(incident, step);
        } catch (RuntimeException e) {
            LOG.warn("Could not update the thread of incident {}: {}", incident.id(), e.getMessage());
        }
    }

    static Map<StepKind, RemediationStep> byKind(List<RemediationStep> steps) {
        return steps.stream().collect(Collectors.toUnmodifiableMap(RemediationStep::kind, Function.identity()));
    }
}
