package com.leakedkeybot.approval;

import com.leakedkeybot.audit.AuditEntry;
import com.leakedkeybot.incident.Decision;
import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.IncidentId;
import com.leakedkeybot.incident.IncidentStore;
import com.leakedkeybot.step.StepId;
import com.leakedkeybot.step.StepState;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Steps left in flight by a process that died. Whether its AWS call happened is unknown, so the step is never run
 * again blindly: one process takes it over (atomically, so replicas do not race), says so in the thread ("outcome
 * unknown — re-checking AWS state"), and the {@link StepRunner} reconciles it with AWS. Where AWS shows nothing was
 * done, an idempotent step is completed, since its approval was given and recorded; a step that mints or deletes
 * becomes a failed step with a Retry button, so a person decides whether to run it.
 */
public final class StepRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(StepRecovery.class);

    private final IncidentStore store;
    private final Clock clock;
    private final HeldSteps held;
    private final StepRunner runner;

    public StepRecovery(IncidentStore store, Clock clock, HeldSteps held, StepRunner runner) {
        this.store = store;
        this.clock = clock;
        this.held = held;
        this.runner = runner;
    }

    /** Re-checks every abandoned step: at start-up, and periodically where other replicas may die. */
    public void recoverAbandoned() {
        for (IncidentId id : store.withStepsInFlight()) {
            try {
                Incident incident = store.find(id).orElseThrow();
                for (StepState step : incident.steps().values()) {
                    if (held.abandoned(id, step, clock.instant())) {
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
        Decision<StepState> taken = store.decide(id, incident -> {
            StepState state = incident.step(step).orElse(null);
            if (state == null || !held.abandoned(id, state, now)) {
                return Decision.unchanged(incident, null);
            }
            StepState takeover = state.reconciling(held.holder(), now);
            return new Decision<>(incident.withStep(takeover).audited(new AuditEntry(now, AuditEntry.BOT,
                    "re-check " + step.label(), "outcome unknown: bot process " + state.runner() + " stopped while "
                    + "the step was in flight; reading AWS state instead of running it again", step)), takeover);
        });
        if (taken.value() == null) {
            return false;
        }
        LOG.info("{} of incident {} was in flight in a stopped process; re-checking AWS", step, id);
        runner.run(taken.incident(), taken.value(), StepRunner.Action.RECONCILE);
        return true;
    }
}
