package com.leakedkeybot.approval;

import com.leakedkeybot.audit.AuditEntry;
import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.IncidentChannel;
import com.leakedkeybot.incident.IncidentId;
import com.leakedkeybot.incident.IncidentStore;
import com.leakedkeybot.remediation.RemediationStep;
import com.leakedkeybot.step.Refusal;
import com.leakedkeybot.step.StepId;
import com.leakedkeybot.step.StepKind;
import com.leakedkeybot.step.StepOutcome;
import com.leakedkeybot.step.StepState;
import com.leakedkeybot.testkit.TempIncidentStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

/**
 * Four eyes: a step that deletes, reverts, restores, mints or re-enables credentials runs only once two distinct
 * approvers approved it; containment stays one click.
 */
class FourEyesTest {

    private static final IncidentId ID = new IncidentId("LK-20261128-ABCDEF");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T14:00:00Z"), ZoneOffset.UTC);
    private static final StepId ROTATE = StepId.of(StepKind.ROTATE_KEY);

    @TempDir
    Path dir;

    private TempIncidentStore journal;
    private IncidentStore store;
    private final IncidentChannel channel = mock(IncidentChannel.class);
    private final AtomicInteger executions = new AtomicInteger();

    @BeforeEach
    void openStore() {
        journal = TempIncidentStore.open(dir, CLOCK);
        store = journal.store();
        store.create(StepApprovalTest.offeredIncident().withStep(StepState.offered(ROTATE, "2.1")));
    }

    @AfterEach
    void closeStore() throws Exception {
        journal.close();
    }

    private StepApproval approval(StepKind kind, boolean twoPersonRule) {
        RemediationStep step = new RemediationStep() {
            @Override
            public StepKind kind() {
                return kind;
            }

            @Override
            public StepOutcome execute(Incident incident, String target) {
                executions.incrementAndGet();
                return StepOutcome.success("done");
            }

            @Override
            public StepOutcome reconcile(Incident incident, String target) {
                throw new AssertionError("nothing was interrupted");
            }
        };
        StepApprovalTest.Engine engine = StepApprovalTest.Engine.of(store, channel, step, StepApprovalTest.LEASE,
                CLOCK);
        return new StepApproval(store, channel, new Approvers(Set.of("U0APPROVER", "U0SECOND", "U0REPORTER"),
                twoPersonRule), CLOCK, engine.held(), engine.runner(), engine.recovery());
    }

    private StepState rotate() {
        return store.find(ID).orElseThrow().step(ROTATE).orElseThrow();
    }

    @Test
    void theFirstApprovalIsRecordedAndShownAndTheSecondApproverRunsTheStep() {
        StepApproval approval = approval(StepKind.ROTATE_KEY, true);

        approval.onClick(ID, ROTATE, "U0APPROVER");

        assertEquals(0, executions.get(), "one approval is not enough to mint a key");
        assertEquals(StepState.Status.OFFERED, rotate().status());
        assertEquals("U0APPROVER", rotate().pendingApproval().orElseThrow().by());
        verify(channel).showStep(argThat(i -> i.step(ROTATE).orElseThrow().pendingApproval().isPresent()), eq(ROTATE));

        approval.onClick(ID, ROTATE, "U0SECOND");

        assertEquals(1, executions.get());
        assertEquals(StepState.Status.SUCCEEDED, rotate().status());
        assertEquals("U0SECOND", rotate().approver());
        assertEquals("U0APPROVER", rotate().firstApprovalOfRun().orElseThrow().by());
        List<String> trail = store.find(ID).orElseThrow().audit().stream()
                .map(e -> e.actor() + " " + e.action() + ": " + e.result()).toList();
        assertEquals(List.of(
                "U0APPROVER approved Rotate key (1 of 2): waiting for a second approver",
                "U0SECOND approved Rotate key: executing (2 of 2; first approval by U0APPROVER)",
                "bot Rotate key: succeeded: done"), trail.subList(1, trail.size()));
        assertTrue(store.find(ID).orElseThrow().audit().stream().skip(1).allMatch(e -> ROTATE.equals(e.step())),
                "every entry names its step");
    }

    @Test
    void oneApproverClickingTwiceRunsNothing() {
        StepApproval approval = approval(StepKind.ROTATE_KEY, true);

        approval.onClick(ID, ROTATE, "U0APPROVER");
        approval.onClick(ID, ROTATE, "U0APPROVER");

        assertEquals(0, executions.get());
        verify(channel).refuse(any(), eq("U0APPROVER"),
                argThat(r -> r.reason() == Refusal.Reason.SECOND_APPROVER_NEEDED));
        AuditEntry last = store.find(ID).orElseThrow().audit().get(store.find(ID).orElseThrow().audit().size() - 1);
        assertEquals("refused: second approver needed", last.result());
    }

    @Test
    void theReporterAndSomeoneWhoIsNotAnApproverRunNothingTogether() {
        StepApproval approval = approval(StepKind.ROTATE_KEY, true);

        approval.onClick(ID, ROTATE, "U0REPORTER");
        approval.onClick(ID, ROTATE, "U0STRANGER");

        assertEquals(0, executions.get());
        verify(channel).refuse(any(), eq("U0STRANGER"), argThat(r -> r.reason() == Refusal.Reason.NOT_AN_APPROVER));
        assertEquals("U0REPORTER", rotate().pendingApproval().orElseThrow().by(), "still waiting for an approver");
    }

    @Test
    void containmentStaysOneClick() {
        StepApproval approval = approval(StepKind.DEACTIVATE_KEY, true);

        approval.onClick(ID, StepId.of(StepKind.DEACTIVATE_KEY), "U0APPROVER");

        assertEquals(1, executions.get());
    }

    @Test
    void withTheRuleOffOneApproverIsEnough() {
        StepApproval approval = approval(StepKind.ROTATE_KEY, false);

        approval.onClick(ID, ROTATE, "U0APPROVER");

        assertEquals(1, executions.get());
        assertTrue(rotate().firstApprovalOfRun().isEmpty());
    }
}
