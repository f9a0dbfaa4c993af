package com.leakedkeybot.runbook;

import com.leakedkeybot.attribution.Attribution;
import com.leakedkeybot.audit.AuditEntry;
import com.leakedkeybot.incident.Decision;
import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.IncidentChannel;
import com.leakedkeybot.incident.IncidentId;
import com.leakedkeybot.incident.IncidentStore;
import com.leakedkeybot.incident.KeyFacts;
import com.leakedkeybot.incident.KeyInspector;
import com.leakedkeybot.incident.ThreadRef;
import com.leakedkeybot.key.KeyReport;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens an incident in two halves: {@link #register} is instant, so the reporter's acknowledgement can name the
 * incident; {@link #open} does the slow part (chat and AWS) after the acknowledgement has gone.
 */
public final class IncidentOpening {

    private static final Logger LOG = LoggerFactory.getLogger(IncidentOpening.class);
    /** How the audit entries giving or proposing an exposure time end their action. */
    private static final String EXPOSURE = " the exposure time";

    private final IncidentStore store;
    private final KeyInspector inspector;
    private final IncidentChannel channel;
    private final Runbook runbook;
    private final Clock clock;

    public IncidentOpening(IncidentStore store, KeyInspector inspector, IncidentChannel channel, Runbook runbook,
                           Clock clock) {
        this.store = store;
        this.inspector = inspector;
        this.channel = channel;
        this.runbook = runbook;
        this.clock = clock;
    }

    /**
     * Names the incident without storing it: a durable write (an fsync, or DynamoDB) has no place before Slack's
     * acknowledgement. {@link #open} stores it first thing.
     */
    public Incident register(KeyReport.Accepted report, String reporter) {
        return Incident.reported(IncidentId.newId(clock.instant()), report.keyId(), reporter, clock.instant(),
                report.secretPasted(), report.exposedSince());
    }

    /** What became of a report. */
    public sealed interface Opened {
        /** A new incident with its thread: the investigation follows. */
        record Thread(Incident incident) implements Opened {
        }

        /** The key had an open incident: the report joined its record, and nothing new was started. */
        record Joined(Incident existing) implements Opened {
        }

        /** The key's open incident already holds this very report (a copy delivered again): nothing was recorded. */
        record Repeated(Incident existing) implements Opened {
        }

        /** The thread could not be posted; the incident was closed, so that the key can be reported again. */
        record Failed(String problem) implements Opened {
        }
    }

    /**
     * Stores the registered incident — unless its key has an open incident, which the report then joins — posts the
     * thread, looks the key up and lets the runbook offer what can be done.
     */
    public Opened open(Incident registered) {
        return open(registered, open -> false);
    }

    /**
     * {@link #open(Incident)} for a report that may arrive more than once.
     *
     * @param holdsReport whether the key's open incident already records this report; decided on the stored
     *                    incident, atomically with joining it
     */
    public Opened open(Incident registered, Predicate<Incident> holdsReport) {
        IncidentId id = registered.id();
        Incident incident;
        try {
            Optional<IncidentId> open = store.createUnlessOpen(registered);
            if (open.isPresent()) {
                return joined(open.get(), registered, holdsReport);
            }
            ThreadRef thread = channel.openThread(registered);
            incident = store.update(id, i -> i.withThread(thread));
        } catch (RuntimeException e) {
            LOG.warn("Could not open incident {}: {}", id, e.getMessage());
            closeUnposted(id, e.getMessage());
            return new Opened.Failed(e.getMessage());
        }
        KeyFacts facts = inspector.inspect(incident.keyId());
        incident = store.update(id, i -> i.withFacts(facts));
        channel.postKeyFacts(incident);
        runbook.keyLookedUp(incident);
        return new Opened.Thread(incident);
    }

    /**
     * The extra report goes on the open incident's record: who, when, that no new scan was started, and whatever
     * else the report recorded of itself beyond being reported.
     */
    private Opened joined(IncidentId open, Incident report, Predicate<Incident> holdsReport) {
        Decision<Joining> decided = store.decide(open, i -> {
            if (holdsReport.test(i)) {
                return new Decision<>(i, Joining.REPEATED);
            }
            Incident joined = withReport(i, report);
            return new Decision<>(joined, joined.attribution().equals(i.attribution()) ? Joining.JOINED
                    : Joining.EXPOSURE_TAKEN);
        });
        if (decided.value() == Joining.REPEATED) {
            LOG.info("{} reported again by {}: incident {} already holds this report", report.keyId().masked(),
                    report.reporter(), open);
            return new Opened.Repeated(decided.incident());
        }
        LOG.info("{} reported again by {}: joined incident {}", report.keyId().masked(), report.reporter(), open);
        if (decided.value() == Joining.JOINED) {
            return new Opened.Joined(decided.incident());
        }
        // The report's exposure time was taken: the proposals and the sources message follow it.
        runbook.attributionChanged(decided.incident());
        return new Opened.Joined(store.find(open).orElseThrow());
    }

    private enum Joining { REPEATED, JOINED, EXPOSURE_TAKEN }

    /**
     * The report's own record, and the exposure time it gave or proposed where the incident has none yet (a given
     * time replaces a proposal; of two proposals the earlier stays); a time the incident does not take is recorded
     * as such.
     */
    private static Incident withReport(Incident open, Incident report) {
        Incident joined = open.audited(new AuditEntry(report.reportedAt(), report.reporter(),
                "reported " + report.keyId() + " again", "joined this open incident; no new investigation"));
        Attribution attribution = open.attribution().joining(report.attribution());
        boolean taken = !attribution.equals(open.attribution());
        for (AuditEntry own : report.audit().subList(1, report.audit().size())) {
            if (taken || !own.action().endsWith(EXPOSURE)) {
                joined = joined.audited(own);
            }
        }
        Attribution reported = report.attribution();
        if (taken || reported.equals(Attribution.NONE)) {
            return joined.withAttribution(attribution);
        }
        Instant time = reported.exposedSince() != null ? reported.exposedSince() : reported.proposedExposure();
        return joined.audited(new AuditEntry(report.reportedAt(), report.reporter(), "gave or proposed" + EXPOSURE,
                "exposed since " + time + " not taken: the incident " + (open.attribution().exposedSince() != null
                ? "already has one, " + open.attribution().exposedSince() : "has an earlier proposal")));
    }

    /** An incident nobody can see must not hold the key's place: a later report would join it. */
    private void closeUnposted(IncidentId id, String problem) {
        try {
            Instant now = clock.instant();
            store.update(id, i -> i.audited(new AuditEntry(now, AuditEntry.BOT, "post the incident thread",
                    "failed: " + problem + "; closed so that the key can be reported again")).closed(now));
        } catch (RuntimeException e) {
            LOG.warn("Incident {} could not be closed after its thread failed: {}", id, e.getMessage());
        }
    }
}
