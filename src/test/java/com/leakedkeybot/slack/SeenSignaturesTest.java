package com.leakedkeybot.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class SeenSignaturesTest {

    /** A clock the test moves by hand. */
    private static final class MovingClock extends Clock {

        private volatile Instant now = Instant.parse("2027-01-01T00:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    private final MovingClock clock = new MovingClock();

    private static String signature(int n) {
        return "v0=" + String.format("%064x", n);
    }

    @Test
    void aSignatureIsAcceptedOnceAndOthersStillAre() {
        SeenSignatures seen = new SeenSignatures(SeenSignatures.CAPACITY, clock);

        assertTrue(seen.firstSighting(signature(1)));
        assertFalse(seen.firstSighting(signature(1)));
        assertTrue(seen.firstSighting(signature(2)));
        assertFalse(seen.firstSighting(signature(1)));
    }

    @Test
    void ofIdenticalRequestsAtOnceExactlyOneIsFirst() throws Exception {
        SeenSignatures seen = new SeenSignatures(SeenSignatures.CAPACITY, clock);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> sightings = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                sightings.add(pool.submit(() -> {
                    go.await();
                    return seen.firstSighting(signature(7));
                }));
            }
            go.countDown();
            int first = 0;
            for (Future<Boolean> sighting : sightings) {
                first += sighting.get() ? 1 : 0;
            }
            assertEquals(1, first);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aSignatureIsRememberedWhileItMayBeValidAndForgottenAfter() {
        SeenSignatures seen = new SeenSignatures(SeenSignatures.CAPACITY, clock);
        seen.firstSighting(signature(1));

        // Stamped five minutes ahead when accepted, it stays valid ten minutes: forgetting it after five would let a
        // replay through.
        clock.advance(Duration.ofMinutes(10));
        assertFalse(seen.firstSighting(signature(1)));

        clock.advance(Duration.ofSeconds(2));
        assertEquals(0, seen.remembered(), "a signature past every window is no longer kept");
    }

    @Test
    void memoryIsBoundedHoweverManyRequestsArrive() {
        SeenSignatures seen = new SeenSignatures(1_000, clock);

        for (int i = 0; i < 10_000; i++) {
            assertTrue(seen.firstSighting(signature(i)));
        }

        assertTrue(seen.remembered() <= 1_000, seen.remembered() + " remembered");
    }
}
