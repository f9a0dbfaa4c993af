package com.leakedkeybot.investigation;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/**
 * The growing form of a {@link CallSource}: counters and a capped sample, so it absorbs any number of events, in
 * any order (regions and later re-scans feed it), in constant memory.
 */
final class CallSourceTally {

    private final String id;
    private final String sourceIp;
    private final String userAgent;
    private final String network;
    private final CappedSet accessKeys = new CappedSet(CallSource.KEYS_KEPT);
    private final Map<EventCategory, Instant> categories = new EnumMap<>(EventCategory.class);
    private long calls;
    private Instant firstSeen;
    private Instant lastSeen;

    CallSourceTally(TrailEvent first) {
        this.id = first.sourceId();
        this.sourceIp = first.sourceIp();
        this.userAgent = first.userAgent();
        this.network = CallSource.networkOf(first.sourceIp(), first.vpcEndpointId());
    }

    void add(TrailEvent event, EventCategory category) {
        calls++;
        Instant at = event.eventTime();
        firstSeen = firstSeen == null || at.isBefore(firstSeen) ? at : firstSeen;
        lastSeen = lastSeen == null || at.isAfter(lastSeen) ? at : lastSeen;
        categories.merge(category, at, (known, now) -> now.isBefore(known) ? now : known);
        accessKeys.add(event.accessKeyId());
    }

    CallSource snapshot() {
        return new CallSource(id, sourceIp, network, userAgent, firstSeen, lastSeen, calls, categories,
                accessKeys.values());
    }
}
