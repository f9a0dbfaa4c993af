package com.leakedkeybot.runbook;

import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.IncidentChannel;
import com.leakedkeybot.incident.IncidentId;
import com.leakedkeybot.incident.IncidentStore;
import com.leakedkeybot.incident.KeyFacts;
import com.leakedkeybot.incident.KeyInspector;
import com.leakedkeybot.incident.ThreadRef;
import com.leakedkeybot.key.KeyReport;
import java.time.Clock;
import java.util.function.Consumer;
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
                report.secretPasted());
    }

    /**
     * Stores the registered incident, posts the thread, looks the key up and lets the runbook offer what can be done.
     *
     * @param onThreadFailure told what went wrong when the thread itself cannot be posted (the reporter must hear)
     * @return whether the thread was opened
     */
    public boolean open(Incident registered, Consumer<String> onThreadFailure) {
        IncidentId id = registered.id();
        Incident incident = registered;
        try {
            store.create(registered);
            ThreadRef thread = channel.openThread(incident);
            incident = store.update(id, i -> i.withThread(thread));
        } catch (RuntimeException e) {
            LOG.warn("Could not open incident {}: {}", id, e.getMessage());
            onThreadFailure.accept(e.getMessage());
            return false;
        }
        KeyFacts facts = inspector.inspect(incident.keyId());
        incident = store.update(id, i -> i.withFacts(facts));
        channel.postKeyFacts(incident);
        runbook.keyLookedUp(incident);
        return true;
    }
}
