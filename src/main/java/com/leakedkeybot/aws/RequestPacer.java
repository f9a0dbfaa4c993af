package com.leakedkeybot.aws;

import java.time.Duration;

/**
 * A token bucket of one token: calls are spaced at least {@code 1/rate} apart and never burst, so a region's
 * requests stay under CloudTrail's per-region limit even when several threads share it.
 */
final class RequestPacer {

    private final long intervalNanos;
    private long nextSlotNanos = System.nanoTime();

    RequestPacer(double requestsPerSecond) {
        this.intervalNanos = (long) (Duration.ofSeconds(1).toNanos() / requestsPerSecond);
    }

    /** Waits for this caller's slot. */
    void acquire() throws InterruptedException {
        long wait;
        synchronized (this) {
            long now = System.nanoTime();
            long slot = Math.max(now, nextSlotNanos);
            nextSlotNanos = slot + intervalNanos;
            wait = slot - now;
        }
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }
}
