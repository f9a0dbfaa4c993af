package com.leakedkeybot.runbook;

import com.leakedkeybot.audit.AuditEntry;
import com.leakedkeybot.blastradius.PermissionsLookupException;
import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.IncidentChannel;
import com.leakedkeybot.incident.IncidentId;
import com.leakedkeybot.incident.IncidentStore;
import com.leakedkeybot.incident.KeyOwnership;
import com.leakedkeybot.incident.PolicyRevert;
import com.leakedkeybot.incident.ScanProgress;
import com.leakedkeybot.incident.TrailWatch;
import com.leakedkeybot.investigation.AffectedResourceExtractor;
import com.leakedkeybot.investigation.EventClassifier;
import com.leakedkeybot.investigation.Investigation;
import com.leakedkeybot.investigation.InvestigationReport;
import com.leakedkeybot.investigation.NotableEvent;
import com.leakedkeybot.investigation.ScanListener;
import com.leakedkeybot.investigation.TrailEvent;
import com.leakedkeybot.investigation.TrailLookupException;
import com.leakedkeybot.remediation.Responders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runbook's "determine what the key can reach" and "review CloudTrail" for one incident: the blast radius first,
 * then every region's CloudTrail with a progress message (alarming events posted as soon as they are seen), then the
 * findings and the history of the policies the keys changed. After each stage the {@link Runbook} offers what
 * follows. Runs after containment is offered.
 */
public final class IncidentInvestigation {

    private static final Logger LOG = LoggerFactory.getLogger(IncidentInvestigation.class);
    /** Alarming events posted while the scan runs, at most; the final report lists them all. */
    private static final int LIVE_FINDINGS = 10;

    private final IncidentStore store;
    private final IncidentChannel channel;
    private final Responders responders;
    private final Runbook runbook;
    private final Duration lookback;
    private final Duration progressInterval;
    private final Duration deliveryDelay;
    private final Clock clock;

    /**
     * @param lookback         how far back CloudTrail is read
     * @param progressInterval chat.update is rate-limited too: the progress message changes at most this often
     * @param deliveryDelay    how late CloudTrail may deliver an event: the scan's newest events within it are
     *                         remembered, since the watch reads them again
     */
    public IncidentInvestigation(IncidentStore store, IncidentChannel channel, Responders responders,
                                 Runbook runbook, Duration lookback, Duration progressInterval, Duration deliveryDelay,
                                 Clock clock) {
        this.store = store;
        this.channel = channel;
        this.responders = responders;
        this.runbook = runbook;
        this.lookback = lookback;
        this.progressInterval = progressInterval;
        this.deliveryDelay = deliveryDelay;
        this.clock = clock;
    }

    /** Investigates, then offers to close: last in the thread, once there is something to close on. */
    public void investigate(IncidentId id) throws InterruptedException {
        try {
            Incident incident = store.find(id).orElseThrow();
            KeyOwnership ownership = incident.facts().ownership();
            if (!ownership.reachable()) {
                return; // its CloudTrail is in an account the bot cannot read; the guidance already says so
            }
            if (ownership == KeyOwnership.IAM_USER) {
                analyseBlastRadius(incident);
            }
            scanCloudTrail(store.find(id).orElseThrow());
        } finally {
            offerClosing(id);
        }
    }

    /**
     * Hands the investigation to {@code investigations}; when they are saturated, the thread says so instead, and
     * containment (offered already) is unaffected.
     */
    public void startOn(Executor investigations, IncidentId id) {
        try {
            investigations.execute(() -> {
                try {
                    investigate(id);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        } catch (RejectedExecutionException busy) {
            notStarted(id, "the bot is running as many investigations as it takes on. Contain the key with the "
                    + "steps above; report it again later to investigate, or read its CloudTrail events by hand.");
        }
    }

    /** The investigation could not start (the bot is saturated): the thread says why, and the incident can close. */
    private void notStarted(IncidentId id, String why) {
        try {
            channel.postInvestigationProblem(store.find(id).orElseThrow(), "The investigation", why);
        } finally {
            offerClosing(id);
        }
    }

    private void offerClosing(IncidentId id) {
        try {
            runbook.investigationOver(id);
        } catch (RuntimeException e) {
            LOG.warn("Could not offer to close incident {}: {}", id, e.getMessage());
        }
    }

    private void analyseBlastRadius(Incident incident) {
        Incident analysed;
        try {
            analysed = responders.of(incident).permissions().analyse(incident);
        } catch (PermissionsLookupException e) {
            LOG.warn("Blast radius of incident {} could not be analysed: {}", incident.id(), e.getMessage());
            channel.postInvestigationProblem(incident, "What the key can do", e.getMessage());
            runbook.blastRadiusUnknown(incident);
            return;
        }
        runbook.blastRadiusKnown(analysed);
    }

    private void scanCloudTrail(Incident incident) throws InterruptedException {
        Instant to = clock.instant();
        String progressTs = channel.postScanProgress(incident, new ScanProgress(0, 0, 0, false));
        ThreadListener listener = new ThreadListener(incident, progressTs, new RecentEvents(to.minus(deliveryDelay)));
        Investigation investigation = new Investigation(List.of(incident.keyId().value()), to.minus(lookback), to,
                EventClassifier.standard(), AffectedResourceExtractor.standard(), listener::finding);
        InvestigationReport report;
        try {
            report = responders.of(incident).trail().investigate(investigation, listener);
        } catch (TrailLookupException e) {
            LOG.warn("CloudTrail of incident {} could not be read: {}", incident.id(), e.getMessage());
            channel.updateScanProgress(incident, progressTs, new ScanProgress(0, 0, 0, true));
            channel.postInvestigationProblem(incident, "CloudTrail", e.getMessage());
            return;
        }
        int regions = report.scannedRegions().size() + report.failedRegions().size();
        channel.updateScanProgress(incident, progressTs, new ScanProgress(regions, regions, report.totalEvents(), true));
        Instant done = clock.instant();
        // The watch goes on from the end of the scan's window: what arrives later is read there.
        Incident updated = store.update(incident.id(), i -> i.withFindings(i.findings().withTrail(report, done))
                .withWatch(TrailWatch.from(to, listener.recent.ids()))
                .audited(new AuditEntry(done, AuditEntry.BOT, "read CloudTrail",
                        report.totalEvents() + " events, " + report.affectedResources().size()
                                + " affected resources, " + report.failedRegions().size() + " regions unreadable")));
        channel.postInvestigation(updated, report);
        runbook.trailRead(planPolicyReverts(updated, investigation.from(), done));
    }

    /**
     * Reads the history of the policy documents the keys changed, to know what each revert would put back; kept
     * with the incident so the buttons act on exactly what was shown.
     */
    private Incident planPolicyReverts(Incident incident, Instant from, Instant to) {
        List<PolicyRevert> planned;
        try {
            planned = responders.of(incident).reverts().plan(incident, from, to);
        } catch (TrailLookupException e) {
            LOG.warn("Policy history of incident {} could not be read: {}", incident.id(), e.getMessage());
            channel.postInvestigationProblem(incident, "Reverting changed policies", e.getMessage()
                    + " Without the earlier documents the bot offers no revert: review the changed policies by hand.");
            return incident;
        }
        if (planned.isEmpty()) {
            return incident;
        }
        return store.update(incident.id(), i -> i.withFindings(i.findings().withPolicyReverts(planned))
                .audited(new AuditEntry(to, AuditEntry.BOT, "read the history of changed policies",
                        planned.size() + " changed, " + planned.stream()
                                .filter(r -> r.plan() == PolicyRevert.Plan.MANUAL).count() + " need a person")));
    }

    /**
     * Tells the thread how the scan goes: progress at most every {@link #progressInterval}, and the first alarming
     * events as soon as they are seen. Called from scan threads; Slack failing never stops the scan.
     */
    private final class ThreadListener implements ScanListener {

        private final Incident incident;
        private final String ts;
        private final AtomicLong lastSent = new AtomicLong();
        private final AtomicInteger findingsPosted = new AtomicInteger();
        /** The scan's newest events: the watch's first read overlaps them. */
        private final RecentEvents recent;

        ThreadListener(Incident incident, String ts, RecentEvents recent) {
            this.incident = incident;
            this.ts = ts;
            this.recent = recent;
        }

        @Override
        public void read(TrailEvent event) {
            recent.add(event);
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

        @Override
        public void finding(NotableEvent finding) {
            if (findingsPosted.incrementAndGet() > LIVE_FINDINGS) {
                return;
            }
            try {
                channel.postAlarmingFinding(incident, finding);
            } catch (RuntimeException e) {
                LOG.warn("Alarming finding of incident {} not posted early: {}", incident.id(), e.getMessage());
            }
        }
    }
}
