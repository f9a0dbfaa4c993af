package com.leakedkeybot.sandbox;

/** Slack's per-channel posting limit: {@code burst} posts at once, refilled at {@code perSecond}. Not thread-safe. */
final class TokenBucket {

    private final double perSecond;
    private final int burst;
    private double tokens;
    private long lastRefillNanos = System.nanoTime();

    TokenBucket(double perSecond, int burst) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.tokens = burst;
    }

    /** Takes a token and answers 0, or answers the whole seconds (at least 1) until one is available: Retry-After. */
    long tryAcquire() {
        long now = System.nanoTime();
        tokens = Math.min(burst, tokens + (now - lastRefillNanos) / 1e9 * perSecond);
        lastRefillNanos = now;
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return Math.max(1, (long) Math.ceil((1 - tokens) / perSecond));
    }
}
