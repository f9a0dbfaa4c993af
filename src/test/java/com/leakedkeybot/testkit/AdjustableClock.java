package com.leakedkeybot.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock a test moves forward: fixed at a start, or running with the system's time, in both cases plus whatever the
 * test added. Lets a test pass CloudTrail's delivery delay without waiting for it.
 */
public final class AdjustableClock extends Clock {

    private final Instant start;
    private volatile Duration offset = Duration.ZERO;

    private AdjustableClock(Instant start) {
        this.start = start;
    }

    /** Stands still at {@code start} until advanced. */
    public static AdjustableClock at(Instant start) {
        return new AdjustableClock(start);
    }

    /** Runs with the system clock, ahead of it by what was advanced. */
    public static AdjustableClock running() {
        return new AdjustableClock(null);
    }

    public synchronized void advance(Duration by) {
        offset = offset.plus(by);
    }

    @Override
    public Instant instant() {
        return (start == null ? Instant.now() : start).plus(offset);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
