package com.leakedkeybot.incident;

import com.leakedkeybot.attribution.Attribution;
import com.leakedkeybot.attribution.Presumption;
import com.leakedkeybot.audit.AuditEntry;
import com.leakedkeybot.investigation.AffectedResource;
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
 * @param attribution since when the key was exposed and whose its calls are ({@link Attribution#NONE} in incidents
 *                    stored before attribution existed)
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
        Attribution attribution,
        TrailWatch watch) {

    /** The steps that cut the attacker's credentials off: their success is what the watch verifies. */
    private static final List<StepKind> CONTAINMENT = List.of(StepKind.DEACTIVATE_KEY, StepKind.REVOKE_SESSIONS,
            StepKind.REVOKE_ROLE_SESSIONS, StepKind.QUARANTINE);

    public Incident {
        findings = findings == null ? Findings.NONE : findings;
        attribution = attribution == null ? Attribution.NONE : attribution;
        steps = Collections.unmodifiableMap(new LinkedHashMap<>(steps)); // in the order they were offered
        audit = List.copyOf(audit);
    }

    public static Incident reported(IncidentId id, AccessKeyId keyId, String reporter, Instant at,
                                    boolean secretPasted) {
        return reported(id, keyId, reporter, at, secretPasted, null);
    }

    /** @param exposedSince when the reporter says the key was exposed, or null */
    public static Incident reported(IncidentId id, AccessKeyId keyId, String reporter, Instant at,
                                    boolean secretPasted, Instant exposedSince) {
        List<AuditEntry> audit = new ArrayList<>();
        audit.add(new AuditEntry(at, reporter, "reported " + keyId, "incident opened"));
        Attribution attribution = Attribution.NONE;
        if (exposedSince != null) {
            audit.add(new AuditEntry(at, reporter, "gave the exposure time", "exposed since " + exposedSince));
            attribution = attribution.exposed(exposedSince, reporter);
        }
        return new Incident(id, keyId, reporter, at, secretPasted, null, null, Findings.NONE, Map.of(), audit, null,
                attribution, null);
    }

    public Incident withAttribution(Attribution attribution) {
        return new Incident(id, keyId, reporter, reportedAt, secretPastedInReport, thread, facts, findings, steps, audit,
                closedAt, attribution, watch);
    }

    /** Drops a step that was offered and never approved: its proposal no longer holds (a source was re-marked). */
    public Incident withdrawn(StepId step) {
        Map<StepId, StepState> next = new LinkedHashMap<>(steps);
        next.remove(step);
        return new Incident(id, keyId, reporter, reportedAt, secretPastedInReport, thread, facts, findings, next, audit,
                closedAt, attribution, watch);
    }

    /**
     * The changes whose source is marked or presumed the attacker's: the only ones clean-up, reverts and restores are
     * proposed for. Oldest first.
     */
    public List<AffectedResource> attackersChanges() {
        return findings.affectedResources().stream().filter(r -> presume(r).attacker()).toList();
    }

    /** The writes and deletes of objects in {@code bucket} from the attacker's sources, oldest first. */
    public List<AffectedResource> attackersObjectWrites(String bucket) {
        return attackersChanges().stream()
                .filter(r -> r.kind() == AffectedResource.Kind.S3_OBJECT && bucket.equals(r.parent())).toList();
    }

    /** The object keys the attacker's sources wrote or deleted in {@code bucket}, sorted. */
    public List<String> attackersObjectKeys(String bucket) {
        return attackersObjectWrites(bucket).stream().map(AffectedResource::identifier).distinct().sorted().toList();
    }

    /** Whose a change is taken to be, by the source of its event, the exposure time and approvers' marks. */
    public Presumption presume(AffectedResource change) {
        return attribution.presume(change, findings.sources());
    }

    public Incident withThread(ThreadRef thread) {
        return new Incident(id, keyId, reporter, reportedAt, secretPastedInReport, thread, facts, findings, steps, audit, closedAt, attribution, watch);
    }

    public Incident withFacts(KeyFacts facts) {
        return new Incident(id, keyId, reporter, reportedAt, secretPastedInReport, thread, facts, findings, steps, audit, closedAt, attribution, watch);
    }

    public Incident withFindings(Findings findings) {
        return new Incident(id, keyId, reporter, reportedAt, secretPastedInReport, thread, facts, findings, steps, audit, closedAt, attribution, watch);
    }

    public Incident withWatch(TrailWatch watch) {
        return new Incident(id, keyId, reporter, reportedAt, secretPastedInReport, thread, facts, findings, steps, audit, closedAt, attribution, watch);
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
        return new Incident(id, keyId, reporter, reportedAt, secretPastedInReport, thread, facts, findings, next, audit, closedAt, attribution, watch);
    }

    public Incident audited(AuditEntry entry) {
        List<AuditEntry> next = new ArrayList<>(audit);
        next.add(entry);
        return new Incident(id, keyId, reporter, reportedAt, secretPastedInReport, thread, facts, findings, steps, next, closedAt, attribution, watch);
    }

    /** Closing is final: the timeline is drawn up and no step runs any more. */
    public Incident closed(Instant at) {
        return closedAt != null ? this
                : new Incident(id, keyId, reporter, reportedAt, secretPastedInReport, thread, facts, findings, steps, audit, at, attribution, watch);
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
