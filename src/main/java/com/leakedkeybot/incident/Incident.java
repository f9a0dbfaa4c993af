package com.leakedkeybot.incident;

import com.leakedkeybot.audit.AuditEntry;
import com.leakedkeybot.key.AccessKeyId;
import com.leakedkeybot.step.StepId;
import com.leakedkeybot.step.StepKind;
import com.leakedkeybot.step.StepState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One leaked-key incident. Immutable: every change makes a new value, and the store swaps values atomically, which
 * is what lets two simultaneous clicks be told apart.
 *
 * @param thread where the incident lives in chat; null until the root message is posted
 * @param facts null until the key has been looked up
 * @param findings what the investigation established so far ({@link Findings#NONE} before it starts)
 * @param closedAt when an approver closed the incident; null while it is open (stored incidents from before closing
 *                 existed read as open)
 * @param watch how far the watch of CloudTrail after the first scan has read; null until the first scan is done (and
 *              in incidents stored before the watch existed, which are not watched)
 */
public record Incident(
        IncidentId id,
        AccessKeyId keyId,
        String reporter,
        Instant reportedAt,
        boolean secretPastedInReport,
        ThreadRef thread,
        KeyFacts facts,
        Findings findings,
        Map<StepId, StepState> steps,
        List<AuditEntry> audit,
        Instant closedAt,
        TrailWatch watch) {

    /** The steps that cut the attacker's credentials off: their success is what the watch verifies. */
    private static final List<StepKind> CONTAINMENT = List.of(StepKind.DEACTIVATE_KEY, StepKind.REVOKE_SESSIONS,
            StepKind.REVOKE_ROLE_SESSIONS, StepKind.QUARANTINE);

    public Incident {
        findings = findings == null ? Findings.NONE : findings;
        steps = Collections.unmodifiableMap(new LinkedHashMap<>(steps)); // in the order they were offered
        audit = List.copyOf(audit);
    }

    public static Incident reported(IncidentId id, AccessKeyId keyId, String reporter, Instant at,
                                    boolean secretPasted) {
        return new Incident(id, keyId, reporter, at, secretPasted, null, null, Findings.NONE, Map.of(),
                List.of(new AuditEntry(at, reporter, "reported " + keyId, "incident opened")), null, null);
    }

    public Incident withThread(ThreadRef thread) {
        return new Incident(id, keyId, reporter, reportedAt, secretPastedInReport, thread, facts, findings, steps, audit, closedAt, watch);
    }

    public Incident withFacts(KeyFacts facts) {
        return new Incident(id, keyId, reporter, reportedAt, secretPastedInReport, thread, facts, findings, steps, audit, closedAt, watch);
    }

    public Incident withFindings(Findings findings) {
        return new Incident(id, keyId, reporter, reportedAt, secretPastedInReport, thread, facts, findings, steps, audit, closedAt, watch);
    }

    public Incident withWatch(TrailWatch watch) {
        return new Incident(id, keyId, reporter, reportedAt, secretPastedInReport, thread, facts, findings, steps, audit, closedAt, watch);
    }

    /** Whether the watch of CloudTrail should go on: it started, and the incident is still open. */
    public boolean watched() {
        return watch != null && closedAt == null;
    }

    /**
     * When the latest containment step (deactivation, revocations, quarantine) succeeded: from then on the
     * attacker's credentials should make no successful call. Empty while none has.
     */
    public Optional<Instant> containedAt() {
        Instant latest = null;
        for (AuditEntry entry : audit) {
            if (CONTAINMENT.stream().anyMatch(entry::stepSucceeded)) {
                latest = entry.at();
            }
        }
        return Optional.ofNullable(latest);
    }

    public Incident withStep(StepState state) {
        Map<StepId, StepState> next = new LinkedHashMap<>(steps);
        next.put(state.id(), state);
        return new Incident(id, keyId, reporter, reportedAt, secretPastedInReport, thread, facts, findings, next, audit, closedAt, watch);
    }

    public Incident audited(AuditEntry entry) {
        List<AuditEntry> next = new ArrayList<>(audit);
        next.add(entry);
        return new Incident(id, keyId, reporter, reportedAt, secretPastedInReport, thread, facts, findings, steps, next, closedAt, watch);
    }

    /** Closing is final: the timeline is drawn up and no step runs any more. */
    public Incident closed(Instant at) {
        return closedAt != null ? this
                : new Incident(id, keyId, reporter, reportedAt, secretPastedInReport, thread, facts, findings, steps, audit, at, watch);
    }

    public boolean isClosed() {
        return closedAt != null;
    }

    public Optional<StepState> step(StepId id) {
        return Optional.ofNullable(steps.get(id));
    }

    /** The incident's step of a kind that has one per incident. */
    public Optional<StepState> step(StepKind singleton) {
        return step(StepId.of(singleton));
    }

    /** The incident's step of a singleton kind when its latest run succeeded. */
    public Optional<StepState> succeeded(StepKind singleton) {
        return step(singleton).filter(s -> s.status() == StepState.Status.SUCCEEDED);
    }

    /** Whether some step is RUNNING or RECONCILING: a process is acting on AWS, or must find out what it did. */
    public boolean hasStepInFlight() {
        return steps.values().stream().anyMatch(StepState::inFlight);
    }

    /**
     * The audit entries this incident has beyond {@code earlier}, its previous version.
     *
     * @throws IllegalStateException when an entry of {@code earlier} was changed or dropped: the trail is append-only
     */
    public List<AuditEntry> auditSince(Incident earlier) {
        int known = earlier.audit.size();
        if (audit.size() < known || !audit.subList(0, known).equals(earlier.audit)) {
            throw new IllegalStateException("the audit trail of " + id + " is append-only");
        }
        return audit.subList(known, audit.size());
    }
}
