package com.leakedkeybot.runbook;

import com.leakedkeybot.audit.AuditEntry;
import com.leakedkeybot.blastradius.BlastRadius;
import com.leakedkeybot.blastradius.BlastRadiusAnalysis;
import com.leakedkeybot.blastradius.OwnerPermissionsSource;
import com.leakedkeybot.blastradius.PermissionsLookupException;
import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.IncidentChannel;
import com.leakedkeybot.incident.IncidentId;
import com.leakedkeybot.incident.IncidentStore;
import com.leakedkeybot.incident.KeyOwnership;
import com.leakedkeybot.incident.ScanProgress;
import com.leakedkeybot.investigation.CloudTrailInvestigation;
import com.leakedkeybot.investigation.DerivedCredential;
import com.leakedkeybot.investigation.Investigation;
import com.leakedkeybot.investigation.InvestigationReport;
import com.leakedkeybot.investigation.ScanListener;
import com.leakedkeybot.investigation.TrailLookupException;
import com.leakedkeybot.remediation.CleanUpStep;
import com.leakedkeybot.remediation.RestoreObjectsStep;
import com.leakedkeybot.remediation.RevokeRoleSessionsStep;
import com.leakedkeybot.step.StepId;
import com.leakedkeybot.step.StepKind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runbook's "determine what the key can reach" and "review CloudTrail" for one incident: the blast radius first,
 * then every region's CloudTrail with a progress message, then the findings. Runs after containment is offered.
 */
public final class IncidentInvestigation {

    private static final Logger LOG = LoggerFactory.getLogger(IncidentInvestigation.class);

    private final IncidentStore store;
    private final IncidentChannel channel;
    private final OwnerPermissionsSource permissions;
    private final BlastRadiusAnalysis analysis;
    private final CloudTrailInvestigation trail;
    private final Duration lookback;
    private final StepOffers offers;
    private final CleanUpStep cleanUp;
    private final RestoreObjectsStep restore;
    private final PolicyRevertProposals reverts;
    private final Duration progressInterval;
    private final Clock clock;

    /** @param progressInterval chat.update is rate-limited too: the progress message changes at most this often */
    public IncidentInvestigation(IncidentStore store, IncidentChannel channel, OwnerPermissionsSource permissions,
                                 BlastRadiusAnalysis analysis, CloudTrailInvestigation trail, Duration lookback,
                                 StepOffers offers, CleanUpStep cleanUp, RestoreObjectsStep restore,
                                 PolicyRevertProposals reverts, Duration progressInterval, Clock clock) {
        this.store = store;
        this.channel = channel;
        this.permissions = permissions;
        this.analysis = analysis;
        this.trail = trail;
        this.lookback = lookback;
        this.offers = offers;
        this.cleanUp = cleanUp;
        this.restore = restore;
        this.reverts = reverts;
        this.progressInterval = progressInterval;
        this.clock = clock;
    }

    /** Investigates, then offers to close: last in the thread, once there is something to close on. */
    public void investigate(IncidentId id) throws InterruptedException {
        try {
            Incident incident = store.find(id).orElseThrow();
            KeyOwnership ownership = incident.facts().ownership();
            if (ownership == KeyOwnership.FOREIGN_ACCOUNT) {
                return; // its CloudTrail is in the other account; the guidance already says so
            }
            if (ownership == KeyOwnership.IAM_USER) {
                analyseBlastRadius(incident);
            }
            scanCloudTrail(store.find(id).orElseThrow());
        } finally {
            offerClosing(id);
        }
    }

    /** Even a failed investigation must leave a way to close the incident. */
    private void offerClosing(IncidentId id) {
        try {
            offers.offer(id, StepId.of(StepKind.CLOSE_INCIDENT));
        } catch (RuntimeException e) {
            LOG.warn("Could not offer to close incident {}: {}", id, e.getMessage());
        }
    }

    private void analyseBlastRadius(Incident incident) {
        String user = incident.facts().userName();
        try {
            BlastRadius radius = analysis.analyse(permissions.collect(user));
            Incident updated = store.update(incident.id(), i -> i.withFindings(i.findings().withBlastRadius(radius))
                    .audited(new AuditEntry(clock.instant(), AuditEntry.BOT, "analysed the blast radius",
                            "reach: " + radius.level())));
            channel.postBlastRadius(updated, radius);
            // The recommendation is in the blast radius message; every step stays available whatever it says.
            offers.offer(incident.id(), StepId.of(StepKind.REVOKE_SESSIONS));
            offers.offer(incident.id(), StepId.of(StepKind.QUARANTINE));
            offers.offer(incident.id(), StepId.of(StepKind.ROTATE_KEY));
            channel.postRestoreAccess(store.find(incident.id()).orElseThrow());
        } catch (PermissionsLookupException e) {
            LOG.warn("Blast radius of incident {} could not be analysed: {}", incident.id(), e.getMessage());
            channel.postInvestigationProblem(incident, "What the key can do", e.getMessage());
        }
    }

    private void scanCloudTrail(Incident incident) throws InterruptedException {
        Instant to = clock.instant();
        Investigation investigation = new Investigation(List.of(incident.keyId().value()), to.minus(lookback), to);
        String progressTs = channel.postScanProgress(incident, new ScanProgress(0, 0, 0, false));
        ThrottledProgress progress = new ThrottledProgress(incident, progressTs);
        InvestigationReport report;
        try {
            report = trail.investigate(investigation, progress);
        } catch (TrailLookupException e) {
            LOG.warn("CloudTrail of incident {} could not be read: {}", incident.id(), e.getMessage());
            channel.updateScanProgress(incident, progressTs, new ScanProgress(0, 0, 0, true));
            channel.postInvestigationProblem(incident, "CloudTrail", e.getMessage());
            return;
        }
        channel.updateScanProgress(incident, progressTs, new ScanProgress(report.scannedRegions().size()
                + report.failedRegions().size(), report.scannedRegions().size() + report.failedRegions().size(),
                report.totalEvents(), true));
        Instant done = clock.instant();
        Incident updated = store.update(incident.id(), i -> i.withFindings(i.findings().withTrail(report, done))
                .audited(new AuditEntry(done, AuditEntry.BOT, "read CloudTrail",
                        report.totalEvents() + " events, " + report.affectedResources().size()
                                + " affected resources, " + report.failedRegions().size() + " regions unreadable")));
        channel.postInvestigation(updated, report);
        offerRoleRevocations(updated);
        cleanUp.proposals(updated).forEach(step -> offers.offer(updated.id(), step));
        reverts.propose(updated, investigation.from(), done);
        offerRestores(updated);
    }

    /** One restore per versioned bucket the keys wrote objects in; for the others, why not and what to do instead. */
    private void offerRestores(Incident incident) {
        if (!trail.readsDataEvents()) {
            if (!couldWriteObjects(incident)) {
                return; // nothing to have missed
            }
            channel.postInvestigationProblem(incident, "Changes to S3 objects", "the bot reads no CloudTrail data "
                    + "events (CLOUDTRAIL_LOG_BUCKET is not set) and LookupEvents never returns them, so objects the key "
                    + "overwrote or deleted were not checked. Query the trail's S3 data events (Athena, CloudTrail Lake) "
                    + "if the key could write to S3.");
            return;
        }
        RestoreObjectsStep.Proposals proposals = restore.proposals(incident);
        proposals.notRestorable().forEach((bucket, why) ->
                channel.postInvestigationProblem(incident, "Restoring objects in S3 bucket " + bucket, why));
        proposals.steps().forEach(step -> offers.offer(incident.id(), step));
    }

    /** Unless the key was read-only and minted no role session, it may have written S3 objects. */
    private static boolean couldWriteObjects(Incident incident) {
        BlastRadius radius = incident.findings().blastRadius();
        boolean readOnly = radius != null
                && (radius.level() == BlastRadius.Level.READ_ONLY || radius.level() == BlastRadius.Level.NONE);
        return !readOnly || incident.findings().derivedCredentials().stream().anyMatch(d -> d.roleArn() != null);
    }

    /** One revocation per role the key or its sessions assumed; service-linked roles cannot be changed, only named. */
    private void offerRoleRevocations(Incident incident) {
        Set<String> assumed = incident.findings().derivedCredentials().stream().map(DerivedCredential::roleArn)
                .filter(Objects::nonNull).collect(Collectors.toCollection(TreeSet::new));
        List<String> serviceLinked = assumed.stream().filter(RevokeRoleSessionsStep::serviceLinked).toList();
        if (incident.facts().ownership() == KeyOwnership.IAM_USER) {
            assumed.stream().filter(arn -> !RevokeRoleSessionsStep.serviceLinked(arn))
                    .forEach(arn -> offers.offer(incident.id(), new StepId(StepKind.REVOKE_ROLE_SESSIONS, arn)));
        }
        if (!serviceLinked.isEmpty()) {
            channel.postInvestigationProblem(incident, "Sessions of service-linked roles", "The key's sessions "
                    + "assumed " + String.join(", ", serviceLinked) + ". Service-linked roles cannot be changed, so "
                    + "the bot cannot revoke these sessions; they expire on their own (at most 12 hours).");
        }
    }

    /** Forwards scan progress to the thread, at most every {@link #progressInterval}. */
    private final class ThrottledProgress implements ScanListener {

        private final Incident incident;
        private final String ts;
        private final AtomicLong lastSent = new AtomicLong();

        ThrottledProgress(Incident incident, String ts) {
            this.incident = incident;
            this.ts = ts;
        }

        @Override
        public void progress(int regionsDone, int regionsTotal, long eventsSoFar) {
            long now = clock.millis();
            long last = lastSent.get();
            if (now - last < progressInterval.toMillis() || !lastSent.compareAndSet(last, now)) {
                return;
            }
            try {
                channel.updateScanProgress(incident, ts, new ScanProgress(regionsDone, regionsTotal, eventsSoFar, false));
            } catch (RuntimeException e) {
                LOG.debug("Progress update skipped: {}", e.getMessage()); // the final update still comes
            }
        }
    }
}
