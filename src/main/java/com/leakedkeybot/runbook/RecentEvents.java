package com.leakedkeybot.runbook;

import com.leakedkeybot.incident.TrailWatch;
import com.leakedkeybot.investigation.TrailEvent;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The ids of the newest events a read of CloudTrail saw, from {@code since} on: the next read of the watch overlaps
 * them and must not count them again. At most {@link TrailWatch#RECENT_KEPT}, the newest; thread-safe, since regions
 * are read concurrently.
 */
final class RecentEvents {

    private record Seen(Instant at, String id) {
    }

    private final Instant since;
    private final PriorityQueue<Seen> newest = new PriorityQueue<>(Comparator.comparing(Seen::at));

    RecentEvents(Instant since) {
        this.since = since;
    }

    synchronized void add(TrailEvent event) {
        if (event.eventTime() == null || event.eventTime().isBefore(since) || event.eventId() == null) {
            return;
        }
        newest.add(new Seen(event.eventTime(), event.eventId()));
        if (newest.size() > TrailWatch.RECENT_KEPT) {
            newest.poll();
        }
    }

    /** Newest first. */
    synchronized List<String> ids() {
        return newest.stream().sorted(Comparator.comparing(Seen::at).reversed()).map(Seen::id).toList();
    }
}
