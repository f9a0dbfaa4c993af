package com.leakedkeybot.remediation;

import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.Timeline;
import com.leakedkeybot.key.AccessKeyId;
import com.leakedkeybot.step.Refusal;
import com.leakedkeybot.step.StepId;
import com.leakedkeybot.step.StepKind;
import com.leakedkeybot.step.StepOutcome;
import com.leakedkeybot.step.StepState;
import com.leakedkeybot.testkit.ApprovalHarness;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;


/** Closing through the real approval path, on a real journal; the chat side is a mock. */
class CloseIncidentStepTest {

    private static final StepId CLOSE = StepId.of(StepKind.CLOSE_INCIDENT);
    private static final StepId ROTATE = StepId.of(StepKind.ROTATE_KEY);

    @TempDir
    Path dir;
    private ApprovalHarness harness;

    @BeforeEach
    void incidentWithCloseOnOffer() {
        harness = new ApprovalHarness(dir, new AccessKeyId("AKIAY34FZKBOKMUTVV7A"), "dev-alice",
                h -> List.of(new CloseIncidentStep(h.store, h.channel, Clock.systemUTC())));
        harness.offers.offer(harness.id, ROTATE);
        harness.offers.offer(harness.id, CLOSE);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void simultaneousApproversCloseOnceAndTheTimelineIsPostedOnce() throws Exception {
        harness.clickTogether(CLOSE);

        Incident closed = harness.incident();
        assertTrue(closed.isClosed());
        assertEquals(1, harness.approvals(CLOSE));
        assertEquals(StepState.Status.SUCCEEDED, closed.step(CLOSE).orElseThrow().status());
        verify(harness.channel, times(1)).postTimeline(any(), argThat(timeline ->
                timeline.closedAt().equals(closed.closedAt())
                        && List.of("U0APPROVER", "U0SECOND").contains(timeline.closedBy())
                        && timeline.leftOpen().stream().map(StepState::id).toList().equals(List.of(ROTATE))));
    }

    @Test
    void afterClosingStepsAreRefusedAndNothingNewIsOffered() {
        harness.approve(CLOSE, "U0APPROVER");

        harness.approve(ROTATE, "U0SECOND");

        verify(harness.channel).refuse(any(), eq("U0SECOND"),
                argThat(refusal -> refusal.reason() == Refusal.Reason.INCIDENT_CLOSED));
        Incident incident = harness.incident();
        assertEquals(StepState.Status.OFFERED, incident.step(ROTATE).orElseThrow().status());
        assertEquals("refused: incident closed", incident.audit().get(incident.audit().size() - 1).result());
        assertFalse(harness.offers.offer(harness.id, StepId.of(StepKind.QUARANTINE)), "no offer after closing");
        assertTrue(harness.incident().step(StepKind.QUARANTINE).isEmpty());
    }

    @Test
    void theReporterMayCloseAlone() {
        harness.approve(CLOSE, ApprovalHarness.REPORTER);

        assertTrue(harness.incident().isClosed());
    }

    @Test
    void aStepStillRunningKeepsTheIncidentOpenUntilItFinishes() {
        StepState running = harness.incident().step(ROTATE).orElseThrow().running("U0SECOND", Instant.now(),
                "pid1-test"); // this process: not abandoned
        harness.store.update(harness.id, i -> i.withStep(running));

        harness.approve(CLOSE, "U0APPROVER");

        StepState refused = harness.incident().step(CLOSE).orElseThrow();
        assertEquals(StepState.Status.FAILED, refused.status());
        assertTrue(refused.outcome().summary().contains("Rotate key is still running"), refused.outcome().summary());
        assertFalse(harness.incident().isClosed());
        verify(harness.channel, never()).postTimeline(any(), any());

        harness.store.update(harness.id, i -> i.withStep(running.finished(StepOutcome.success("rotated"), Instant.now())));
        harness.approve(CLOSE, "U0APPROVER");

        assertTrue(harness.incident().isClosed(), "the retry closes");
    }

    @Test
    void aStepClaimedAfterTheCloseWasApprovedStillKeepsTheIncidentOpen() {
        Incident approvedOn = harness.incident(); // nothing running yet
        harness.store.update(harness.id, i -> i.withStep(i.step(ROTATE).orElseThrow().running("U0SECOND",
                Instant.now(), "pid2-other-replica")));

        StepOutcome outcome = new CloseIncidentStep(harness.store, harness.channel, Clock.systemUTC())
                .execute(approvedOn, "");

        assertFalse(outcome.succeeded(), "decided on the stored incident, not on the snapshot");
        assertTrue(outcome.summary().contains("Rotate key is still running"), outcome.summary());
        assertFalse(harness.incident().isClosed());
    }

    @Test
    void slackBeingDownDoesNotKeepTheIncidentOpen() {
        doThrow(new IllegalStateException("Slack answered HTTP 503")).when(harness.channel).postTimeline(any(), any());

        harness.approve(CLOSE, "U0APPROVER");

        StepState closed = harness.incident().step(CLOSE).orElseThrow();
        assertEquals(StepState.Status.SUCCEEDED, closed.status());
        assertTrue(closed.outcome().summary().contains("/leaked-key timeline " + harness.id));
        assertNotNull(harness.incident().closedAt());
    }

    @Test
    void aRestartMidCloseReadsTheStoreToLearnWhetherItClosed() {
        harness.approve(CLOSE, "U0APPROVER");
        assertEquals(StepState.Status.SUCCEEDED, harness.restartMidStep(CLOSE).status());

        try (ApprovalHarness open = new ApprovalHarness(dir.resolve("open"), new AccessKeyId("AKIAY34FZKBOKMUTVV7A"),
                "dev-alice", h -> List.of(new CloseIncidentStep(h.store, h.channel, Clock.systemUTC())))) {
            open.offers.offer(open.id, CLOSE);
            open.store.update(open.id, i -> i.withStep(i.step(CLOSE).orElseThrow().running("U0APPROVER",
                    Instant.now(), "pid9-dead")));
            open.recovery.recoverAbandoned();
            StepState rechecked = open.incident().step(CLOSE).orElseThrow();
            assertEquals(StepState.Status.FAILED, rechecked.status());
            assertTrue(rechecked.outcome().summary().contains("still open"), rechecked.outcome().summary());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theTimelinePostedIncludesTheClosingApproval() {
        harness.approve(CLOSE, "U0SECOND");

        verify(harness.channel).postTimeline(any(), argThat((Timeline timeline) -> timeline.entries().stream()
                .anyMatch(e -> "U0SECOND".equals(e.actor()) && e.what().equals("approved Close incident"))));
    }
}
