package com.leakedkeybot.incident;

import com.leakedkeybot.audit.AuditEntry;
import com.leakedkeybot.investigation.AffectedResource;
import com.leakedkeybot.investigation.DerivedCredential;
import com.leakedkeybot.step.StepKind;
import com.leakedkeybot.step.StepState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * An incident's story for its review, oldest first: what the investigated keys did (from CloudTrail) and what people
 * and the bot did (the audit trail), with the measures a review asks for first.
 *
 * @param containedAt when the bot first deactivated the key; empty when it never did (root keys are switched off by
 *                    hand, and some incidents are closed without containment)
 * @param closedAt    null for an incident that is still open (a timeline can be asked for at any time)
 * @param leftOpen    steps offered but not carried out: what the review should know was left undone
 */
public record Timeline(
        IncidentId incident,
        Instant reportedAt,
        Optional<Instant> containedAt,
        Instant closedAt,
        String closedBy,
        List<Entry> entries,
        List<StepState> leftOpen) {

    /** Where an entry comes from: CloudTrail (the keys' own calls), or the incident's audit trail. */
    public enum Source { KEY_ACTIVITY, INCIDENT }

    /**
     * @param actor a chat user id or {@link AuditEntry#BOT} for incident entries; the access key id for key activity
     */
    public record Entry(Instant at, Source source, String actor, String what, String result) {
    }

    public Timeline {
        entries = List.copyOf(entries);
        leftOpen = List.copyOf(leftOpen);
    }

    public static Timeline of(Incident incident) {
        List<Entry> entries = new ArrayList<>();
        for (AffectedResource resource : incident.findings().affectedResources()) {
            entries.add(new Entry(resource.eventTime(), Source.KEY_ACTIVITY, resource.accessKeyId(),
                    resource.eventName(), resource.describe()));
        }
        for (DerivedCredential minted : incident.findings().derivedCredentials()) {
            entries.add(new Entry(minted.issuedAt(), Source.KEY_ACTIVITY, minted.parentAccessKeyId(),
                    minted.mintedBy(), "minted " + minted.accessKeyId()
                    + (minted.roleArn() == null ? "" : " as role " + minted.roleArn())));
        }
        for (AuditEntry entry : incident.audit()) {
            entries.add(new Entry(entry.at(), Source.INCIDENT, entry.actor(), entry.action(), entry.result()));
        }
        // Stable: entries at the same instant keep the order they were recorded in.
        entries.sort(Comparator.comparing(Entry::at, Comparator.nullsFirst(Comparator.naturalOrder())));
        Optional<Instant> containedAt = incident.audit().stream()
                .filter(entry -> entry.stepSucceeded(StepKind.DEACTIVATE_KEY))
                .map(AuditEntry::at).findFirst();
        String closedBy = incident.step(StepKind.CLOSE_INCIDENT).map(StepState::approver).orElse(null);
        List<StepState> leftOpen = incident.steps().values().stream()
                .filter(step -> step.kind() != StepKind.CLOSE_INCIDENT && step.claimable()).toList();
        return new Timeline(incident.id(), incident.reportedAt(), containedAt, incident.closedAt(), closedBy, entries,
                leftOpen);
    }

    /** From the report to the first deactivation: the runbook's measure of how fast the key was switched off. */
    public Optional<Duration> timeToContainment() {
        return containedAt.map(at -> Duration.between(reportedAt, at));
    }

    /** The first call CloudTrail shows the keys making a change: how long the key may have been in other hands. */
    public Optional<Instant> firstKeyActivity() {
        return entries.stream().filter(e -> e.source() == Source.KEY_ACTIVITY && e.at() != null).map(Entry::at)
                .findFirst();
    }
}
