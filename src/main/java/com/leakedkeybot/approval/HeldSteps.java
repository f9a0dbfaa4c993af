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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps this process has claimed and not finished: it keeps their heartbeats fresh, so other replicas leave them
 * alone, records their outcome only while the claim is still its own, and says which in-flight steps nobody alive
 * holds any more — another process's gone silent past the lease, or this process's own whose outcome could not be
 * recorded — so that recovery takes them over.
 */
public final class HeldSteps {

    private static final Logger LOG = LoggerFactory.getLogger(HeldSteps.class);

    private record Held(IncidentId incident, StepId step) {
    }

    private final IncidentStore store;
    private final StepLease lease;
    private final Map<Held, StepState> claims = new ConcurrentHashMap<>();
    /** Claims of this process it gave up because their outcome could not be recorded: recovery's to settle. */
    private final Set<Held> dropped = ConcurrentHashMap.newKeySet();

    public HeldSteps(IncidentStore store, StepLease lease) {
        this.store = store;
        this.lease = lease;
    }

    /** This process's name on the steps it claims. */
    String holder() {
        return lease.holder();
    }

    void hold(IncidentId incident, StepState claim) {
        Held held = new Held(incident, claim.id());
        dropped.remove(held);
        claims.put(held, claim);
    }

    /** Whether {@code state} is in flight with no live process holding it: its outcome must be read from AWS. */
    boolean abandoned(IncidentId incident, StepState state, Instant now) {
        if (state.inFlight() && lease.holder().equals(state.runner())) {
            return dropped.contains(new Held(incident, state.id()));
        }
        return state.abandoned(lease.holder(), now, lease.length());
    }

    /**
     * Records the outcome and its audit entry, then lets the step go.
     *
     * @return the finished incident; empty when the claim was lost meanwhile (this process was silent past the lease
     *         and another took the step over), in which case nothing is written: the other's result stands; or when
     *         the outcome could not be recorded, in which case the step is left to recovery, which reads AWS
     */
    Optional<Incident> finish(IncidentId id, StepState claim, StepOutcome outcome, String action, Instant at) {
        Held held = new Held(id, claim.id());
        Decision<Boolean> finished;
        try {
            finished = store.decide(id, incident -> {
                StepState current = incident.step(claim.id()).orElseThrow();
                if (!current.heldAs(claim)) {
                    return Decision.unchanged(incident, false);
                }
                return new Decision<>(incident.withStep(current.finished(outcome, at)).audited(
                        AuditEntry.stepFinished(at, claim.id(), action, outcome.succeeded(), outcome.summary())), true);
            });
        } catch (RuntimeException e) {
            // Holding on would keep the heartbeat going for a step nobody finishes: let recovery settle it from AWS.
            LOG.error("The outcome of {} of incident {} could not be recorded ({}); the step is left to recovery",
                    claim.id(), id, e.getMessage());
            dropped.add(held);
            claims.remove(held);
            return Optional.empty();
        }
        claims.remove(held);
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
