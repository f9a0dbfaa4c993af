package com.leakedkeybot.approval;

import com.leakedkeybot.audit.AuditEntry;
import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.IncidentChannel;
import com.leakedkeybot.incident.IncidentId;
import com.leakedkeybot.incident.IncidentStore;
import com.leakedkeybot.incident.KeyFacts;
import com.leakedkeybot.incident.KeyOwnership;
import com.leakedkeybot.incident.ThreadRef;
import com.leakedkeybot.key.AccessKeyId;
import com.leakedkeybot.remediation.RemediationStep;
import com.leakedkeybot.remediation.Responder;
import com.leakedkeybot.remediation.Responders;
import com.leakedkeybot.remediation.port.AwsActionFailure;
import com.leakedkeybot.step.Refusal;
import com.leakedkeybot.step.StepId;
import com.leakedkeybot.step.StepKind;
import com.leakedkeybot.step.StepOutcome;
import com.leakedkeybot.step.StepState;
import com.leakedkeybot.testkit.TempIncidentStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

class StepApprovalTest {

    private static final IncidentId ID = new IncidentId("LK-20261128-ABCDEF");
    private static final AccessKeyId KEY = new AccessKeyId("AKIAY34FZKBOKMUTVV7A");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T14:00:00Z"), ZoneOffset.UTC);

    static final StepLease LEASE = new StepLease("pid1-this", Duration.ZERO);

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
    }

    @AfterEach
    void closeStore() throws IOException {
        journal.close();
    }

    static Incident offeredIncident() {
        return Incident.reported(ID, KEY, "U0REPORTER", CLOCK.instant(), false)
                .withThread(new ThreadRef("C1", "1.0"))
                .withFacts(new KeyFacts(KEY, Optional.empty(), "1", "1", null, null, KeyOwnership.IAM_USER, "alice", "Active",
                        null, null, List.of()))
                .withStep(StepState.offered(StepKind.DEACTIVATE_KEY, "2.0"));
    }

    private StepApproval approval(RemediationStep step) {
        store.create(offeredIncident());
        return Engine.of(store, channel, step, LEASE, CLOCK).approval(Set.of("U0APPROVER", "U0SECOND"));
    }

    /**
     * One bot process's approval engine for one step: what it holds, its runner and its recovery. Nothing follows
     * the step (the runbook is tested on its own).
     */
    record Engine(IncidentStore store, IncidentChannel channel, Clock clock, HeldSteps held, StepRunner runner,
                  StepRecovery recovery) {

        static Engine of(IncidentStore store, IncidentChannel channel, RemediationStep step, StepLease lease,
                         Clock clock) {
            HeldSteps held = new HeldSteps(store, lease);
            StepRunner runner = new StepRunner(channel, Responders.only(new Responder(List.of(step), null, null)), clock,
                    held, (incident, done) -> { });
            return new Engine(store, channel, clock, held, runner, new StepRecovery(store, clock, held, runner));
        }

        StepApproval approval(Set<String> approvers) {
            return new StepApproval(store, channel, new Approvers(approvers, true), clock, held, runner, recovery);
        }
    }

    private RemediationStep counting(StepOutcome outcome) {
        return deactivation(() -> outcome);
    }

    /** A deactivation that counts its executions and runs {@code run}; nothing in these tests is interrupted. */
    private RemediationStep deactivation(Supplier<StepOutcome> run) {
        return new RemediationStep() {
            @Override
            public StepKind kind() {
                return StepKind.DEACTIVATE_KEY;
            }

            @Override
            public StepOutcome execute(Incident incident, String target) {
                executions.incrementAndGet();
                return run.get();
            }

            @Override
            public StepOutcome reconcile(Incident incident, String target) {
                throw new AssertionError("nothing was interrupted");
            }
        };
    }

    @Test
    void anApproverRunsTheStepAndTheOutcomeIsRecorded() {
        StepApproval approval = approval(counting(StepOutcome.success("done")));
        assertTrue(approval.onClick(ID, StepId.of(StepKind.DEACTIVATE_KEY), "U0APPROVER"));
        assertEquals(1, executions.get());
        Incident after = store.find(ID).orElseThrow();
        StepState state = after.step(StepKind.DEACTIVATE_KEY).orElseThrow();
        assertEquals(StepState.Status.SUCCEEDED, state.status());
        assertEquals("U0APPROVER", state.approver());
        assertEquals(List.of("reported AKIAY34FZKBOKMUTVV7A", "approved Deactivate key", "Deactivate key"),
                after.audit().stream().map(e -> e.action()).toList());
        verify(channel, times(2)).showStep(any(), eq(StepId.of(StepKind.DEACTIVATE_KEY)));
    }

    /** AUTO_DEACTIVATE: a policy runs the step as a click would, once; a step already done is not run again. */
    @Test
    void aPolicyRunsTheOfferedStepOnceAndOnTheRecord() {
        StepApproval approval = approval(counting(StepOutcome.success("done")));
        StepId deactivate = StepId.of(StepKind.DEACTIVATE_KEY);

        assertTrue(approval.approveByPolicy(ID, deactivate, "policy X", "deactivated automatically by policy X"));
        assertFalse(approval.approveByPolicy(ID, deactivate, "policy X", "deactivated automatically by policy X"));

        assertEquals(1, executions.get());
        Incident after = store.find(ID).orElseThrow();
        StepState state = after.step(StepKind.DEACTIVATE_KEY).orElseThrow();
        assertEquals(StepState.Status.SUCCEEDED, state.status());
        assertEquals("policy X", state.approver());
        AuditEntry approved = after.audit().get(1);
        assertEquals("policy X", approved.actor());
        assertEquals("executing: deactivated automatically by policy X", approved.result());
        assertTrue(after.audit().get(2).stepSucceeded(StepKind.DEACTIVATE_KEY), "containment, for the timeline");
        verify(channel, never()).refuse(any(), any(), any());
    }

    @Test
    void someoneElseIsRefusedAndNothingRuns() {
        StepApproval approval = approval(counting(StepOutcome.success("done")));
        approval.onClick(ID, StepId.of(StepKind.DEACTIVATE_KEY), "U0STRANGER");
        assertEquals(0, executions.get());
        verify(channel).refuse(any(), eq("U0STRANGER"), argThat(r -> r.reason() == Refusal.Reason.NOT_AN_APPROVER));
        verify(channel, never()).showStep(any(), any());
        Incident after = store.find(ID).orElseThrow();
        assertEquals(StepState.Status.OFFERED, after.step(StepKind.DEACTIVATE_KEY).orElseThrow().status());
        assertTrue(after.audit().get(after.audit().size() - 1).result().startsWith("refused"));
    }

    @Test
    void concurrentClicksExecuteExactlyOnce() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        StepApproval approval = approval(deactivation(() -> {
            inside.countDown();
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return StepOutcome.success("done");
        }));
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<Boolean>> clicks = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        for (int i = 0; i < 32; i++) {
            String user = i % 2 == 0 ? "U0APPROVER" : "U0SECOND";
            clicks.add(pool.submit(() -> {
                start.await();
                return approval.onClick(ID, StepId.of(StepKind.DEACTIVATE_KEY), user);
            }));
        }
        start.countDown();
        assertTrue(inside.await(5, TimeUnit.SECONDS));
        // Every other click is answered while the first still runs: none of them waits for it.
        verify(channel, timeout(5_000).times(31)).refuse(any(), any(),
                argThat(r -> r.reason() == Refusal.Reason.ALREADY_RUNNING));
        release.countDown();
        for (Future<Boolean> click : clicks) {
            assertTrue(click.get(5, TimeUnit.SECONDS));
        }
        pool.shutdown();
        assertEquals(1, executions.get());
        verify(channel, times(31)).refuse(any(), any(), argThat(r -> r.reason() != Refusal.Reason.NOT_AN_APPROVER));
        // A click after completion is refused as already done.
        clearInvocations(channel);
        approval.onClick(ID, StepId.of(StepKind.DEACTIVATE_KEY), "U0SECOND");
        verify(channel).refuse(any(), eq("U0SECOND"), argThat(r -> r.reason() == Refusal.Reason.ALREADY_DONE));
        assertEquals(1, executions.get());
        // Every click, refused or not, is in the trail.
        assertEquals(1 + 33 + 1, store.find(ID).orElseThrow().audit().size());
    }

    @Test
    void anAwsFailureBecomesAFailedStepThatCanBeRetried() {
        StepApproval approval = approval(deactivation(() -> {
            if (executions.get() == 1) {
                throw new AwsActionFailure(AwsActionFailure.Kind.ACCESS_DENIED, "iam:UpdateAccessKey", "AccessDenied — no");
            }
            return StepOutcome.success("done");
        }));
        approval.onClick(ID, StepId.of(StepKind.DEACTIVATE_KEY), "U0APPROVER");
        StepState failed = store.find(ID).orElseThrow().step(StepKind.DEACTIVATE_KEY).orElseThrow();
        assertEquals(StepState.Status.FAILED, failed.status());
        assertFalse(failed.outcome().succeeded());
        assertTrue(failed.outcome().nextStep().contains("iam:UpdateAccessKey"));

        approval.onClick(ID, StepId.of(StepKind.DEACTIVATE_KEY), "U0SECOND");
        StepState retried = store.find(ID).orElseThrow().step(StepKind.DEACTIVATE_KEY).orElseThrow();
        assertEquals(StepState.Status.SUCCEEDED, retried.status());
        assertEquals("U0SECOND", retried.approver());
    }

    @Test
    void anUnknownIncidentIsReportedToTheCaller() {
        StepApproval approval = approval(counting(StepOutcome.success("done")));
        assertFalse(approval.onClick(new IncidentId("LK-20261128-ZZZZZZ"), StepId.of(StepKind.DEACTIVATE_KEY), "U0APPROVER"));
        assertEquals(0, executions.get());
    }
}
