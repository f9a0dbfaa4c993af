package com.leakedkeybot.runbook;

import com.leakedkeybot.audit.AuditEntry;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens an incident in two halves: {@link #register} is instant, so the reporter's acknowledgement can name the
 * incident; {@link #open} does the slow part (chat and AWS) after the acknowledgement has gone.
 */
public final class IncidentOpening {

    private static final Logger LOG = LoggerFactory.getLogger(IncidentOpening.class);

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

        /** The thread could not be posted; the incident was closed, so that the key can be reported again. */
        record Failed(String problem) implements Opened {
        }
    }

    /**
     * Stores the registered incident — unless its key has an open incident, which the report then joins — posts the
     * thread, looks the key up and lets the runbook offer what can be done.
     */
    public Opened open(Incident registered) {
        IncidentId id = registered.id();
        Incident incident;
        try {
            Optional<IncidentId> open = store.createUnlessOpen(registered);
            if (open.isPresent()) {
                return new Opened.Joined(joined(open.get(), registered));
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

    /** The extra report goes on the open incident's record: who, when, and that no new scan was started. */
    private Incident joined(IncidentId open, Incident report) {
        LOG.info("{} reported again by {}: joined incident {}", report.keyId().masked(), report.reporter(), open);
        return store.update(open, i -> i.audited(new AuditEntry(report.reportedAt(), report.reporter(),
                "reported " + report.keyId() + " again", "joined this open incident; no new investigation")));
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
