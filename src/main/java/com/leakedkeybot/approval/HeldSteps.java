package com.leakedkeybot.approval;

import com.leakedkeybot.audit.AuditEntry;
import com.leakedkeybot.incident.Decision;
import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.IncidentId;
import com.leakedkeybot.incident.IncidentStore;
import com.leakedkeybot.step.StepId;
import com.leakedkeybot.step.StepOutcome;
import com.leakedkeybot.step.StepState;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps this process has claimed and not finished: it keeps their heartbeats fresh, so other replicas leave them
 * alone, and records their outcome only while the claim is still its own.
 */
public final class HeldSteps {

    private static final Logger LOG = LoggerFactory.getLogger(HeldSteps.class);

    private record Held(IncidentId incident, StepId step) {
    }

    private final IncidentStore store;
    private final Map<Held, StepState> claims = new ConcurrentHashMap<>();

    public HeldSteps(IncidentStore store) {
        this.store = store;
    }

    void hold(IncidentId incident, StepState claim) {
        claims.put(new Held(incident, claim.id()), claim);
    }

    /**
     * Records the outcome and its audit entry, then lets the step go.
     *
     * @return the finished incident; empty when the claim was lost meanwhile (this process was silent past the lease
     *         and another took the step over), in which case nothing is written: the other's result stands
     */
    Optional<Incident> finish(IncidentId id, StepState claim, StepOutcome outcome, String action, Instant at) {
        Decision<Boolean> finished = store.decide(id, incident -> {
            StepState current = incident.step(claim.id()).orElseThrow();
            if (!current.heldAs(claim)) {
                return Decision.unchanged(incident, false);
            }
            return new Decision<>(incident.withStep(current.finished(outcome, at)).audited(
                    AuditEntry.stepFinished(at, claim.id(), action, outcome.succeeded(), outcome.summary())), true);
        });
        claims.remove(new Held(id, claim.id()));
        if (!finished.value()) {
            LOG.warn("{} of incident {} was taken over while this process ran it; its outcome ({}) was not recorded",
                    claim.id(), id, outcome.succeeded() ? "succeeded" : "failed");
            return Optional.empty();
        }
        return Optional.of(finished.incident());
    }

    /** Proves to other replicas that this process still runs its steps. */
    public void renewAll(Instant now) {
        claims.forEach((held, claim) -> {
            try {
                store.update(held.incident(), incident -> incident.step(held.step())
                        .filter(current -> current.heldAs(claim))
                        .map(current -> incident.withStep(current.heartbeat(now)))
                        .orElse(incident));
            } catch (RuntimeException e) {
                LOG.warn("Could not renew the heartbeat of {} for incident {}: {}", held.step(), held.incident(),
                        e.getMessage());
            }
        });
    }
}
