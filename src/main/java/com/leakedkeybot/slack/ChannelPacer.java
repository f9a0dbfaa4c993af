package com.leakedkeybot.slack;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps chat.postMessage to about one message per second per channel, with a short burst, as Slack asks. Posting
 * slower than the limit up front is cheaper than collecting 429s; {@link RateLimitRetry} covers the rest.
 */
public final class ChannelPacer {

    private final long intervalNanos;
    private final int burst;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public ChannelPacer(Duration interval, int burst) {
        this.intervalNanos = interval.toNanos();
        this.burst = burst;
    }

    /** Blocks until {@code channel} may receive another message. */
    public void awaitTurn(String channel) throws InterruptedException {
        long wait = buckets.computeIfAbsent(channel, c -> new Bucket()).reserve();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }

    /** A virtual clock per channel: each message takes one interval; up to {@code burst} may be owed ahead. */
    private final class Bucket {
        private long nextFree = System.nanoTime() - (long) burst * intervalNanos;

        synchronized long reserve() {
            long now = System.nanoTime();
            long earliest = now - (long) (burst - 1) * intervalNanos;
            long start = Math.max(nextFree, earliest);
            nextFree = start + intervalNanos;
            return Math.max(0, start - earliest);
        }
    }
}
