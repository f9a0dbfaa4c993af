package com.leakedkeybot.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.leakedkeybot.testkit.AdjustableClock;
import com.leakedkeybot.testkit.LogCapture;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RefusalLogTest {

    private final AdjustableClock clock = AdjustableClock.at(Instant.parse("2026-12-04T07:00:00Z"));
    private final RefusalLog refusals = new RefusalLog(LoggerFactory.getLogger(RefusalLogTest.class),
            Duration.ofSeconds(10), clock);

    @Test
    void aFloodOfRefusalsIsOneLineAnIntervalWithItsCountPerReason() {
        try (LogCapture log = LogCapture.start()) {
            refusals.refused("busy", "U01");
            for (int i = 2; i <= 500; i++) {
                refusals.refused(i % 2 == 0 ? "busy" : "too many reports in a row", "U0" + i);
            }
            assertEquals(1, lines(log.text()), log.text());
            assertTrue(log.text().contains("Refused 1 report (busy), the last by U01"), log.text());

            clock.advance(Duration.ofSeconds(10));
            refusals.refused("busy", "U0LAST");

            assertEquals(3, lines(log.text()), log.text());
            assertTrue(log.text().contains("Refused 251 reports (busy), the last by U0LAST"), log.text());
            assertTrue(log.text().contains("Refused 249 reports (too many reports in a row), the last by U0499"),
                    log.text());
        }
    }

    private static long lines(String text) {
        return text.lines().filter(line -> line.contains("Refused")).count();
    }
}
