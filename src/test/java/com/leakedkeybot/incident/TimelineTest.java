package com.leakedkeybot.incident;

import com.leakedkeybot.audit.AuditEntry;
import com.leakedkeybot.key.AccessKeyId;
import com.leakedkeybot.step.StepId;
import com.leakedkeybot.step.StepKind;
import com.leakedkeybot.step.StepState;
import com.leakedkeybot.testkit.SampleIncidents;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;


class TimelineTest {

    private static final AccessKeyId KEY = SampleIncidents.KEY;

    private static Incident story() {
        return SampleIncidents.closedAfterAnAttack();
    }

    private static Instant at(String hhmm) {
        return Instant.parse("2026-11-28T" + hhmm + ":00Z");
    }

    @Test
    void theKeysCallsAndTheAuditTrailAreOneStoryOldestFirst() {
        Timeline timeline = Timeline.of(story());

        List<String> whats = timeline.entries().stream().map(Timeline.Entry::what).toList();
        assertEquals(List.of("AssumeRole", "CreateUser", "reported " + KEY, "approved Deactivate key",
                "Deactivate key", "Deactivate key (re-checked after a restart)", "Deactivate key"), whats);
        assertEquals(Timeline.Source.KEY_ACTIVITY, timeline.entries().get(0).source());
        assertEquals(KEY.value(), timeline.entries().get(0).actor());
        assertEquals("minted ASIAY34FZKBOEXAMPLE1 as role arn:aws:iam::609629065308:role/admin",
                timeline.entries().get(0).result());
        assertEquals("U0REPORTER", timeline.entries().get(2).actor());
        assertEquals(Optional.of(Instant.parse("2026-11-28T13:10:00Z")), timeline.firstKeyActivity());
    }

    @Test
    void containmentIsTheFirstSuccessfulDeactivationCountedFromTheReport() {
        Timeline timeline = Timeline.of(story());

        assertEquals(Optional.of(at("14:05")), timeline.containedAt());
        assertEquals(Optional.of(Duration.ofMinutes(5)), timeline.timeToContainment());
    }

    @Test
    void anIncidentNeverDeactivatedHasNoTimeToContainment() {
        Incident incident = Incident.reported(new IncidentId("LK-20261128-ABCDEFGH"), KEY, "U0R", SampleIncidents.AT, false)
                .audited(AuditEntry.stepFinished(at("14:02"), StepId.of(StepKind.DEACTIVATE_KEY), "Deactivate key", false, "AccessDenied"))
                .audited(new AuditEntry(at("14:03"), "U0MALLORY", "Deactivate key", "succeeded: forged by a person"));

        Timeline timeline = Timeline.of(incident);

        assertEquals(Optional.empty(), timeline.timeToContainment());
        assertNull(timeline.closedAt());
        assertNull(timeline.closedBy());
    }

    @Test
    void namesWhoClosedAndWhatWasLeftUndone() {
        Timeline timeline = Timeline.of(story());

        assertEquals(at("15:00"), timeline.closedAt());
        assertEquals("U0SECOND", timeline.closedBy());
        assertEquals(List.of(StepKind.ROTATE_KEY, StepKind.CLEAN_UP),
                timeline.leftOpen().stream().map(StepState::kind).toList());
    }
}
