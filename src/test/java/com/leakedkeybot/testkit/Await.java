package com.leakedkeybot.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Tests wait on conditions, not on sleeps: polls one until it holds, failing once the deadline has passed. */
public final class Await {

    private static final Duration POLL = Duration.ofMillis(20);

    private Await() {
    }

    /** @param what the condition in words, for the failure */
    public static void until(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            Thread.sleep(POLL.toMillis());
        }
    }
}
