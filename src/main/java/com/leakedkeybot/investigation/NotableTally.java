package com.leakedkeybot.investigation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The growing form of a {@link NotableEvent}: counts every event, samples a bounded few. */
final class NotableTally {

    private static final int SAMPLES = 10;

    private final EventCategory category;
    private final String action;
    private final String service;
    private final boolean write;
    private final boolean denied;
    private final String errorCode;
    private long count;
    private Instant firstSeen;
    private Instant lastSeen;
    private final CappedSet regions = new CappedSet(SAMPLES);
    private final CappedSet keys = new CappedSet(SAMPLES);
    private final CappedSet sourceIps = new CappedSet(SAMPLES);
    private final CappedSet targets = new CappedSet(SAMPLES);
    private final List<AffectedResource> resources = new ArrayList<>();
    private boolean resourcesDropped;

    NotableTally(EventCategory category, TrailEvent first, boolean write, boolean denied) {
        this.category = category;
        this.action = first.action();
        this.service = first.service();
        this.write = write;
        this.denied = denied;
        this.errorCode = first.errorCode();
        this.firstSeen = first.eventTime();
        this.lastSeen = first.eventTime();
    }

    /** Groups events that read the same in a report: same category, call and outcome. */
    static String groupKey(TrailEvent event, boolean denied) {
        return event.eventSource() + ' ' + event.action() + ' ' + (event.failed() ? (denied ? "denied" : "failed") : "ok");
    }

    void add(TrailEvent event, List<AffectedResource> touched) {
        count++;
        if (event.eventTime().isBefore(firstSeen)) {
            firstSeen = event.eventTime();
        }
        if (event.eventTime().isAfter(lastSeen)) {
            lastSeen = event.eventTime();
        }
        regions.add(event.awsRegion());
        keys.add(event.accessKeyId());
        sourceIps.add(event.sourceIp());
        targets.addAll(event.requestTargets());
        for (AffectedResource resource : touched) {
            if (resources.size() < SAMPLES) {
                resources.add(resource);
            } else {
                resourcesDropped = true;
            }
        }
    }

    NotableEvent snapshot() {
        return new NotableEvent(category, action, service, write, denied, errorCode, count, firstSeen, lastSeen,
                regions.values(), keys.values(), sourceIps.values(), targets.values(), List.copyOf(resources),
                targets.overflowed() || resourcesDropped);
    }
}
