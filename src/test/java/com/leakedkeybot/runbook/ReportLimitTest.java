package com.leakedkeybot.runbook;

import com.leakedkeybot.testkit.AdjustableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportLimitTest {

    private final AdjustableClock clock = AdjustableClock.at(Instant.parse("2026-12-01T10:00:00Z"));
    private final ReportLimit limit = new ReportLimit(3, Duration.ofSeconds(10), clock);

    @Test
    void aBurstIsAllowedThenOneReportPerRefill() {
        assertTrue(limit.allow("U1"));
        assertTrue(limit.allow("U1"));
        assertTrue(limit.allow("U1"));
        assertFalse(limit.allow("U1"), "the fourth in a row");
        assertEquals(Duration.ofSeconds(10), limit.untilNext("U1"));

        clock.advance(Duration.ofSeconds(9));
        assertFalse(limit.allow("U1"));
        clock.advance(Duration.ofSeconds(1));
        assertTrue(limit.allow("U1"), "one earned back");
        assertFalse(limit.allow("U1"));
    }

    @Test
    void eachReporterHasTheirOwnAllowance() {
        for (int i = 0; i < 3; i++) {
            assertTrue(limit.allow("U1"));
        }
        assertFalse(limit.allow("U1"));
        assertTrue(limit.allow("U2"));
        assertEquals(Duration.ZERO, limit.untilNext("U2"));
        assertEquals(Duration.ZERO, limit.untilNext("U3"), "someone who never reported may report");
    }

    @Test
    void refusedReportsDoNotDeepenTheDebt() {
        for (int i = 0; i < 20; i++) {
            limit.allow("U1");
        }
        clock.advance(Duration.ofSeconds(10));
        assertTrue(limit.allow("U1"), "hammering while refused does not push the next report further away");
    }

    @Test
    void aQuietReporterGetsTheWholeBurstBack() {
        for (int i = 0; i < 3; i++) {
            limit.allow("U1");
        }
        clock.advance(Duration.ofMinutes(5));
        for (int i = 0; i < 3; i++) {
            assertTrue(limit.allow("U1"));
        }
    }
}
