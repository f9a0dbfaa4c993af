package com.leakedkeybot.approval;

import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.IncidentChannel;
import com.leakedkeybot.remediation.RemediationStep;
import com.leakedkeybot.remediation.Responders;
import com.leakedkeybot.remediation.port.AwsActionFailure;
import com.leakedkeybot.step.StepId;
import com.leakedkeybot.step.StepOutcome;
import com.leakedkeybot.step.StepState;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one sequence every claimed step goes through, after an approver's click and after a restart alike: hold the
 * claim, show the step in flight, act, record the outcome while the claim is still this process's, show it, and let
 * the runbook follow up. The only difference between a click and a re-check is the {@link Action}.
 */
public final class StepRunner {

    private static final Logger LOG = LoggerFactory.getLogger(StepRunner.class);

    /** What the runner does with a claimed step. */
    public enum Action {
        /** An approver's click: carry the step out. */
        EXECUTE(""),
        /**
         * A step a stopped process left in flight: read AWS to learn what happened. Where AWS shows it undone, an
         * idempotent step is completed (its approval stands); any other is never run again blindly.
         */
        RECONCILE(" (re-checked after a restart)");

        private final String audited;

        Action(String audited) {
            this.audited = audited;
        }
    }

    private final IncidentChannel channel;
    private final Responders responders;
    private final Clock clock;
    private final HeldSteps held;
    private final AfterStep after;

    /** @param responders each incident's steps, bound to its account */
    public StepRunner(IncidentChannel channel, Responders responders, Clock clock, HeldSteps held, AfterStep after) {
        this.channel = channel;
        this.responders = responders;
        this.clock = clock;
        this.held = held;
        this.after = after;
    }

    /** @param claim the step's state as {@code claimed} holds it: RUNNING for a click, RECONCILING for a re-check */
    void run(Incident claimed, StepState claim, Action action) {
        StepId step = claim.id();
        held.hold(claimed.id(), claim);
        show(claimed, step);
        StepOutcome outcome = act(claimed, step, action);
        held.finish(claimed.id(), claim, outcome, step.label() + action.audited, clock.instant()).ifPresent(done -> {
            show(done, step);
            if (outcome.succeeded()) {
                after.succeeded(done, step);
            }
        });
    }

    private StepOutcome act(Incident incident, StepId step, Action action) {
        try {
            RemediationStep remediation = responders.of(incident).step(step.kind());
            if (action == Action.EXECUTE) {
                return remediation.execute(incident, step.target());
            }
            StepOutcome found = remediation.reconcile(incident, step.target());
            if (found.succeeded() || !step.kind().idempotent()) {
                return found;
            }
            LOG.info("{} of incident {} was approved and AWS shows it undone; completing it", step, incident.id());
            StepOutcome completed = remediation.execute(incident, step.target());
            return completed.succeeded() ? StepOutcome.success("Completed after a restart: " + completed.summary())
                    : completed;
        } catch (AwsActionFailure failure) {
            LOG.warn("{} of {} failed for incident {}: {}", action, step, incident.id(), failure.getMessage());
            StepOutcome advice = FailureAdvice.outcomeOf(failure);
            return action == Action.EXECUTE ? advice : StepOutcome.failure("Outcome unknown — the bot restarted "
                    + "mid-action and could not read AWS back: " + failure.getMessage(), advice.nextStep());
        } catch (RuntimeException unexpected) {
            LOG.error("{} of {} failed unexpectedly for incident {}", action, step, incident.id(), unexpected);
            return StepOutcome.failure("Unexpected error: " + unexpected.getClass().getSimpleName() + ".",
                    "Check the bot's logs and AWS state before retrying by hand.");
        }
    }

    /** Redraws the step; once claimed, the step must run and its outcome be recorded even when Slack is down. */
    void show(Incident incident, StepId step) {
        try {
            channel.showStep(incident, step);
        } catch (RuntimeException e) {
            LOG.warn("Could not update the thread of incident {}: {}", incident.id(), e.getMessage());
        }
    }
}
