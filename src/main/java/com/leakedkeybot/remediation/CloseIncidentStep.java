package com.leakedkeybot.remediation;

import com.leakedkeybot.incident.Decision;
import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.IncidentChannel;
import com.leakedkeybot.incident.IncidentStore;
import com.leakedkeybot.incident.Timeline;
import com.leakedkeybot.step.StepKind;
import com.leakedkeybot.step.StepOutcome;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runbook step 9: an approver closes the incident. Closing records when, posts the timeline in the thread, and ends
 * the remediation: later clicks are refused and nothing new is offered. The incident stays in the store (and the
 * timeline retrievable with {@code /leaked-key timeline}) for the retention period.
 */
public final class CloseIncidentStep implements RemediationStep {

    private static final Logger LOG = LoggerFactory.getLogger(CloseIncidentStep.class);

    private final IncidentStore store;
    private final IncidentChannel channel;
    private final Clock clock;

    public CloseIncidentStep(IncidentStore store, IncidentChannel channel, Clock clock) {
        this.store = store;
        this.channel = channel;
        this.clock = clock;
    }

    @Override
    public StepKind kind() {
        return StepKind.CLOSE_INCIDENT;
    }

    @Override
    public StepOutcome execute(Incident incident, String target) {
        // Decided on the stored incident, in the same atomic change as the closing: a step claimed a moment ago on
        // another replica keeps the incident open. Closing now would leave an outcome nobody reads.
        Decision<List<String>> closing = store.decide(incident.id(), i -> {
            List<String> running = i.steps().values().stream()
                    .filter(step -> step.kind() != StepKind.CLOSE_INCIDENT && step.inFlight())
                    .map(step -> step.id().label()).toList();
            return running.isEmpty() ? new Decision<>(i.closed(clock.instant()), running)
                    : Decision.unchanged(i, running);
        });
        if (!closing.value().isEmpty()) {
            return StepOutcome.failure("Not closed: " + String.join(", ", closing.value()) + " is still running.",
                    "Wait until it has finished, then close again.");
        }
        Incident closed = closing.incident();
        try {
            channel.postTimeline(closed, Timeline.of(closed));
        } catch (RuntimeException e) {
            LOG.warn("Timeline of incident {} could not be posted: {}", incident.id(), e.getMessage());
            return StepOutcome.success("Incident closed. The timeline could not be posted here; `/leaked-key "
                    + "timeline " + incident.id() + "` shows it.");
        }
        return StepOutcome.success("Incident closed; its timeline is below. `/leaked-key timeline " + incident.id()
                + "` shows it again.");
    }

    /** Closing writes only the bot's own state, so that is where a restarted bot looks. */
    @Override
    public StepOutcome reconcile(Incident incident, String target) {
        if (store.find(incident.id()).map(Incident::isClosed).orElse(false)) {
            return StepOutcome.success("Incident closed (confirmed after a restart). `/leaked-key timeline "
                    + incident.id() + "` shows its timeline.");
        }
        return StepOutcome.failure("Outcome unknown — the bot restarted while closing; the incident is still open.",
                "Close it again.");
    }
}
