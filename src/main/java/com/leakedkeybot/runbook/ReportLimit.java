package com.leakedkeybot.runbook;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;

/**
 * How many keys one person may report in a burst: a token bucket per reporter, so a script (or a compromised
 * account) cannot flood the incident channel and the investigation pool. Memory stays bounded however many people
 * report: idle reporters are forgotten.
 */
public final class ReportLimit {

    private final int burst;
    private final Duration refill;
    private final Clock clock;
    private final Cache<String, Bucket> reporters;

    /**
     * @param burst  reports one person may make at once
     * @param refill how long it takes to earn one more report
     */
    public ReportLimit(int burst, Duration refill, Clock clock) {
        this.burst = burst;
        this.refill = refill;
        this.clock = clock;
        this.reporters = Caffeine.newBuilder().maximumSize(100_000)
                .expireAfterAccess(refill.multipliedBy(burst)).build();
    }

    /** Takes one report from the reporter's allowance; false when it is used up. */
    public boolean allow(String reporter) {
        return reporters.get(reporter, r -> new Bucket()).take(clock.millis());
    }

    /** How long until {@code reporter} may report again; zero when they may now. */
    public Duration untilNext(String reporter) {
        Bucket bucket = reporters.getIfPresent(reporter);
        return bucket == null ? Duration.ZERO : bucket.untilNext(clock.millis());
    }

    /** Tokens as the time at which the bucket would be full again: one field, no refill loop. */
    private final class Bucket {
        private long fullAt;

        synchronized boolean take(long now) {
            long start = Math.max(fullAt, now);
            long next = start + refill.toMillis();
            if (next - now > refill.toMillis() * burst) {
                return false;
            }
            fullAt = next;
            return true;
        }

        synchronized Duration untilNext(long now) {
            long over = fullAt + refill.toMillis() - now - refill.toMillis() * burst;
            return Duration.ofMillis(Math.max(0, over));
        }
    }
}
