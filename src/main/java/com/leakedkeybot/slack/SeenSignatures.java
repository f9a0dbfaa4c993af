package com.leakedkeybot.slack;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The signatures of the requests accepted while they can still be valid, so that a captured signed request (a click
 * approving a step, a report) cannot be sent again. A signature covers its timestamp and the raw body, so a replay
 * carries the very same one, and any change to the request breaks it.
 *
 * <p>A timestamp is accepted up to {@link SlackRequestSignature#MAX_SKEW} either side of the clock, so a signature
 * may still be valid up to twice that after it was first accepted (stamped five minutes ahead, it stays valid until
 * five minutes past its stamp): it is remembered for that long, and a second more.
 */
final class SeenSignatures {

    /**
     * How many signatures are remembered at most: about 200 bytes each, 4 MB in all. Slack sends one request per slash
     * command or click of one workspace, far fewer than 20,000 in ten minutes. Beyond that Caffeine evicts some, and a
     * replay of one of those would no longer be caught.
     */
    static final int CAPACITY = 20_000;

    private static final Duration REMEMBERED_FOR = SlackRequestSignature.MAX_SKEW.multipliedBy(2).plusSeconds(1);

    private final Cache<String, Boolean> seen;

    /** @param clock the clock the signatures' timestamps are judged by; it times the expiry too */
    SeenSignatures(int capacity, Clock clock) {
        Ticker onTheClock = () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
        this.seen = Caffeine.newBuilder()
                .maximumSize(capacity)
                .expireAfterWrite(REMEMBERED_FOR)
                .ticker(onTheClock)
                .build();
    }

    /**
     * True the first time {@code signature}, already verified, is offered; false for every repeat while it may still
     * be valid. Atomic: of two identical requests at once, one is first.
     */
    boolean firstSighting(String signature) {
        return seen.asMap().putIfAbsent(signature, Boolean.TRUE) == null;
    }

    /** How many signatures are remembered now, after expiry and eviction have run (for tests). */
    long remembered() {
        seen.cleanUp();
        return seen.estimatedSize();
    }
}
