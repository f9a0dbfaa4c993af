package com.leakedkeybot.runbook;

import com.leakedkeybot.approval.StepLease;
import com.leakedkeybot.audit.AuditEntry;
import com.leakedkeybot.incident.ContainmentCheck;
import com.leakedkeybot.incident.Decision;
import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.IncidentChannel;
import com.leakedkeybot.incident.IncidentId;
import com.leakedkeybot.incident.IncidentStore;
import com.leakedkeybot.investigation.EventClassifier;
import com.leakedkeybot.investigation.Investigation;
import com.leakedkeybot.investigation.InvestigationReport;
import com.leakedkeybot.investigation.ScanListener;
import com.leakedkeybot.investigation.TrailEvent;
import com.leakedkeybot.investigation.TrailEventSource;
import com.leakedkeybot.investigation.TrailLookupException;
import com.leakedkeybot.remediation.Responders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps reading CloudTrail after the first scan, until the incident is closed: what the leaked key and every key it
 * minted did since, through the same investigation as the first scan, with its findings posted in the thread and
 * what it adds offered by the {@link Runbook}. Once a containment step has succeeded, it says whether containment is
 * verified, once per change of verdict.
 *
 * <p>Each read starts a delivery delay before the last one ended, since CloudTrail delivers events minutes after the
 * call; events already counted there are skipped by id. The position is stored with the incident, so a restarted bot
 * goes on where it stopped. With several replicas, the one that read last keeps the watch while it reads within the
 * lease; another takes it over once it falls silent.
 */
public final class IncidentWatch {

    private static final Logger LOG = LoggerFactory.getLogger(IncidentWatch.class);
    /** How AWS refuses a key it no longer accepts (deactivated, expired): as much a denial as AccessDenied is. */
    private static final Set<String> CREDENTIALS_REFUSED = Set.of("InvalidClientTokenId", "InvalidAccessKeyId",
            "ExpiredToken", "ExpiredTokenException", "UnrecognizedClientException");

    private final IncidentStore store;
    private final IncidentChannel channel;
    private final Runbook runbook;
    private final Responders responders;
    private final StepLease lease;
    private final Duration deliveryDelay;
    private final Clock clock;
    private final EventClassifier classifier = EventClassifier.standard();

    /**
     * @param responders    the incident's account's CloudTrail, as the first scan read it: same account, same
     *                      per-region pace
     * @param lease         this process's name on the watches it holds, and how long another may stay silent before
     *                      its watches are taken over
     * @param deliveryDelay how late CloudTrail may deliver an event: each read overlaps the last by this much
     */
    public IncidentWatch(IncidentStore store, IncidentChannel channel, Runbook runbook, Responders responders,
                         StepLease lease, Duration deliveryDelay, Clock clock) {
        this.store = store;
        this.channel = channel;
        this.runbook = runbook;
        this.responders = responders;
        this.lease = lease;
        this.deliveryDelay = deliveryDelay;
        this.clock = clock;
    }

    /** One round: reads each watched incident this process may watch. A failure of one never stops the others. */
    public void watchAll() {
        List<IncidentId> watched;
        try {
            watched = store.watched();
        } catch (RuntimeException e) {
            // Thrown out of a scheduled task, it would end the schedule: the next round tries again.
            LOG.warn("Watched incidents could not be listed this round: {}", e.getMessage());
            return;
        }
        for (IncidentId id : watched) {
            try {
                watch(id);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warn("The CloudTrail watch of incident {} failed this round: {}", id, e.getMessage());
            }
        }
    }

    /** Reads the incident's trail since the last read, if it is watched and this process may watch it. */
    void watch(IncidentId id) throws InterruptedException {
        Instant now = clock.instant();
        // The cached copy decides cheaply whether to go on: the writes below decide on the stored one.
        Incident incident = store.find(id).filter(Incident::watched)
                .filter(i -> i.watch().claimableBy(lease.holder(), now, lease.length())).orElse(null);
        if (incident == null) {
            return;
        }
        if (!lease.holder().equals(incident.watch().watcher())) {
            Decision<Boolean> claim = store.decide(id, current -> current.watched()
                    && current.watch().claimableBy(lease.holder(), now, lease.length())
                    ? new Decision<>(current.withWatch(current.watch().claimedBy(lease.holder(), now)), true)
                    : Decision.unchanged(current, false));
            if (!claim.value()) {
                return;
            }
            incident = claim.incident();
        }
        Instant from = incident.watch().nextFrom(deliveryDelay);
        Read read = new Read(incident.watch().recent(), now.minus(deliveryDelay),
                rebased(incident.watch().containment(), incident));
        Investigation investigation = new Investigation(List.of(incident.keyId().value()), from, now);
        // Keys minted earlier and possibly still valid are read too; keys minted now are followed as in the scan.
        incident.findings().derivedCredentials().stream().filter(c -> c.validUntil().isAfter(from))
                .forEach(investigation.chain()::add);
        InvestigationReport report;
        try {
            report = responders.of(incident).trail().managementEventsThrough(read::over)
                    .investigate(investigation, ScanListener.NONE);
        } catch (TrailLookupException e) {
            LOG.warn("CloudTrail of incident {} could not be watched: {}", id, e.getMessage());
            return;
        }
        if (!report.complete()) {
            // Moving on would skip what the unread regions hold: the next round reads the whole window again.
            LOG.warn("CloudTrail of incident {} not watched this round, regions unreadable: {}", id,
                    report.failedRegions());
            return;
        }
        Decision<Boolean> recorded = store.decide(id, current -> {
            if (!current.watched() || !lease.holder().equals(current.watch().watcher())) {
                return Decision.unchanged(current, false); // closed meanwhile, or taken over: the other reads again
            }
            if (read.check() == null && current.containedAt().isPresent()) {
                return Decision.unchanged(current, false); // contained during the read: read again, judging each call
            }
            Incident next = current.withWatch(current.watch().read(now, read.recentIds(), report.totalEvents(),
                    rebased(read.check(), current)));
            if (report.totalEvents() > 0) {
                next = next.withFindings(current.findings().withWatchedTrail(report)).audited(new AuditEntry(now,
                        AuditEntry.BOT, "watched CloudTrail", report.totalEvents() + " new events between " + from
                        + " and " + now + ", " + report.affectedResources().size() + " affected resources"));
            }
            return new Decision<>(next, true);
        });
        if (!recorded.value()) {
            return;
        }
        if (report.totalEvents() > 0) {
            channel.postWatchedActivity(recorded.incident(), report);
            runbook.trailWatched(recorded.incident());
        }
        announce(recorded.incident(), now);
    }

    private boolean refused(TrailEvent event) {
        return event.failed()
                && (CREDENTIALS_REFUSED.contains(event.errorCode()) || classifier.classify(event).denied());
    }

    /** The check from the incident's latest containment on; null while no containment step has succeeded. */
    private static ContainmentCheck rebased(ContainmentCheck check, Incident incident) {
        return incident.containedAt().map(at -> check == null ? ContainmentCheck.since(at) : check.rebased(at))
                .orElse(null);
    }

    /** Tells the thread the verdict when it changed (and is one: a pending check says nothing). */
    private void announce(Incident incident, Instant now) {
        ContainmentCheck check = incident.watch().containment();
        if (check == null) {
            return;
        }
        ContainmentCheck.Verdict verdict = check.verdict(incident.watch().readUntil(), deliveryDelay);
        if (verdict == ContainmentCheck.Verdict.PENDING || verdict == check.announced()) {
            return;
        }
        Decision<Boolean> changed = store.decide(incident.id(), current -> {
            ContainmentCheck stored = current.watch().containment();
            if (stored == null || stored.announced() == verdict) {
                return Decision.unchanged(current, false);
            }
            return new Decision<>(current.withWatch(current.watch().withContainment(stored.announcing(verdict)))
                    .audited(new AuditEntry(now, AuditEntry.BOT, "checked containment", verdict
                            == ContainmentCheck.Verdict.VERIFIED ? "verified: no call succeeded after "
                            + stored.containedAt() + ", " + stored.denied() + " denied"
                            : "not verified: " + stored.succeeded() + " call(s) succeeded after "
                            + stored.containedAt())), true);
        });
        if (changed.value()) {
            channel.postContainmentCheck(changed.incident(), changed.incident().watch().containment());
        }
    }

    /**
     * The trail as one round reads it: events counted before are not passed on; every event is judged for the
     * containment check; the ids of the newest events, which the next round reads again, are kept. Regions read
     * concurrently.
     */
    private final class Read implements TrailEventSource {

        private final Set<String> counted;
        private final RecentEvents recent;
        private ContainmentCheck check;
        private TrailEventSource source;

        Read(Set<String> counted, Instant overlapFrom, ContainmentCheck check) {
            this.counted = counted;
            this.recent = new RecentEvents(overlapFrom);
            this.check = check;
        }

        /** Reads {@code trail} (the incident's account's) this way. */
        TrailEventSource over(TrailEventSource trail) {
            this.source = trail;
            return this;
        }

        @Override
        public void eventsForKey(String region, String accessKeyId, Instant from, Instant to,
                                 Consumer<TrailEvent> sink) throws TrailLookupException {
            source.eventsForKey(region, accessKeyId, from, to, event -> {
                boolean fresh = !counted.contains(event.eventId());
                judge(event, fresh);
                if (fresh) {
                    sink.accept(event);
                }
            });
        }

        private synchronized void judge(TrailEvent event, boolean fresh) {
            recent.add(event);
            if (fresh && check != null) {
                check = check.counting(ContainmentCheck.Call.of(event), refused(event));
            }
        }

        List<String> recentIds() {
            return recent.ids();
        }

        synchronized ContainmentCheck check() {
            return check;
        }
    }
}
