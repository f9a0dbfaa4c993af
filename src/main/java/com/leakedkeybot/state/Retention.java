package com.leakedkeybot.state;

import com.leakedkeybot.incident.Incident;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/** How long a closed incident is kept (STATE_RETENTION_DAYS); open incidents never expire. */
public final class Retention {

    private final Duration keepClosedFor;
    private final Function<Incident, Optional<Instant>> closedAt;

    /** @param closedAt when an incident was closed, empty while it is open */
    public Retention(Duration keepClosedFor, Function<Incident, Optional<Instant>> closedAt) {
        this.keepClosedFor = keepClosedFor;
        this.closedAt = closedAt;
    }

    /** Closing as the incident records it: {@link Incident#closedAt()}. */
    public static Retention ofClosedIncidents(Duration keepClosedFor) {
        return new Retention(keepClosedFor, incident -> Optional.ofNullable(incident.closedAt()));
    }

    public Optional<Instant> expiresAt(Incident incident) {
        return closedAt.apply(incident).map(at -> at.plus(keepClosedFor));
    }
}
