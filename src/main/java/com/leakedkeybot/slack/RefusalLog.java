package com.leakedkeybot.slack;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;

/**
 * Refused requests, logged as counts per reason at most once an interval. A flood of refusals must not become a flood
 * of log lines: each line is written on a request thread, under the log stream's lock, and delays an acknowledgement
 * (a flood benchmark showed one warning per refused report costing the ack p99 a third).
 */
final class RefusalLog {

    private final Logger log;
    private final Duration interval;
    private final Clock clock;
    private final Map<String, Count> counts = new ConcurrentHashMap<>();
    private final AtomicReference<Instant> nextLine = new AtomicReference<>(Instant.MIN);

    RefusalLog(Logger log, Duration interval, Clock clock) {
        this.log = log;
        this.interval = interval;
        this.clock = clock;
    }

    /** Counts a refusal; the first one, and then one per interval, writes what was counted since the last line. */
    void refused(String reason, String user) {
        Count count = counts.computeIfAbsent(reason, r -> new Count());
        count.refusals.increment();
        count.lastUser.set(user);
        Instant now = clock.instant();
        Instant due = nextLine.get();
        if (!now.isBefore(due) && nextLine.compareAndSet(due, now.plus(interval))) {
            counts.forEach((what, counted) -> {
                long refusals = counted.refusals.sumThenReset();
                if (refusals > 0) {
                    log.warn("Refused {} report{} ({}), the last by {}; further refusals are counted for {} s", refusals,
                            refusals == 1 ? "" : "s", what, counted.lastUser.get(), interval.toSeconds());
                }
            });
        }
    }

    private static final class Count {
        private final LongAdder refusals = new LongAdder();
        private final AtomicReference<String> lastUser = new AtomicReference<>();
    }
}
