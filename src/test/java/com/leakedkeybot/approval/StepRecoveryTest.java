package com.leakedkeybot.approval;

import com.leakedkeybot.incident.Decision;
import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.IncidentChannel;
import com.leakedkeybot.incident.IncidentId;
import com.leakedkeybot.incident.IncidentStore;
import com.leakedkeybot.incident.ThreadRef;
import com.leakedkeybot.remediation.RemediationStep;
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
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.InOrder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

/** Steps left in flight by a process that died are re-checked against AWS, never re-run, and only once. */
class StepRecoveryTest {

    private static final IncidentId ID = new IncidentId("LK-20261128-ABCDEF");
    private static final Instant NOW = Instant.parse("2026-11-28T14:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path dir;

    private TempIncidentStore journal;
    private IncidentStore store;
    private final IncidentChannel channel = mock(IncidentChannel.class);
    private final AtomicInteger executions = new AtomicInteger();
    private final AtomicInteger reconciliations = new AtomicInteger();

    @BeforeEach
    void openStore() {
        journal = TempIncidentStore.open(dir, CLOCK);
        store = journal.store();
    }

    @AfterEach
    void closeStore() throws IOException {
        journal.close();
    }

    /** The incident as a process left it: step RUNNING, claimed by {@code runner}, heartbeat at {@code heartbeat}. */
    private void leftRunningBy(String runner, Instant heartbeat) {
        leftRunningBy(StepKind.DEACTIVATE_KEY, runner, heartbeat);
    }

    private void leftRunningBy(StepKind kind, String runner, Instant heartbeat) {
        StepState running = StepState.offered(kind, "2.0").running("U0APPROVER", NOW.minusSeconds(600), runner)
                .heartbeat(heartbeat);
        store.create(StepApprovalTest.offeredIncident().withStep(running));
    }

    private RemediationStep awsShows(StepOutcome whatAwsShows) {
        return awsShows(StepKind.DEACTIVATE_KEY, whatAwsShows);
    }

    /** A step of {@code kind} that counts its runs; AWS shows {@code whatAwsShows} when it is re-checked. */
    private RemediationStep awsShows(StepKind kind, StepOutcome whatAwsShows) {
        return new RemediationStep() {
            @Override
            public StepKind kind() {
                return kind;
            }

            @Override
            public StepOutcome execute(Incident incident, String target) {
                executions.incrementAndGet();
                return StepOutcome.success("ran");
            }

            @Override
            public StepOutcome reconcile(Incident incident, String target) {
                reconciliations.incrementAndGet();
                assertEquals(StepState.Status.RECONCILING,
                        incident.step(kind).orElseThrow().status(), "taken over before AWS is read");
                return whatAwsShows;
            }
        };
    }

    private StepRecovery recovery(RemediationStep step, StepLease lease) {
        return StepApprovalTest.Engine.of(store, channel, step, lease, CLOCK).recovery();
    }

    @Test
    void aStepOfADeadProcessIsReconciledFromAwsAndShownAsUnknownFirst() {
        leftRunningBy("pid7-dead", NOW.minusSeconds(600));
        StepOutcome confirmed = StepOutcome.success("The key is Inactive — confirmed by reading IAM after a restart.");

        recovery(awsShows(confirmed), StepApprovalTest.LEASE).recoverAbandoned();

        assertEquals(0, executions.get(), "never re-run");
        assertEquals(1, reconciliations.get());
        StepState step = store.find(ID).orElseThrow().step(StepKind.DEACTIVATE_KEY).orElseThrow();
        assertEquals(StepState.Status.SUCCEEDED, step.status());
        assertEquals(confirmed, step.outcome());
        assertEquals("U0APPROVER", step.approver(), "the approval stands");
        InOrder shown = inOrder(channel);
        shown.verify(channel).showStep(argThat(i -> i.step(StepKind.DEACTIVATE_KEY).orElseThrow().status()
                == StepState.Status.RECONCILING), eq(StepId.of(StepKind.DEACTIVATE_KEY)));
        shown.verify(channel).showStep(argThat(i -> i.step(StepKind.DEACTIVATE_KEY).orElseThrow().status()
                == StepState.Status.SUCCEEDED), eq(StepId.of(StepKind.DEACTIVATE_KEY)));
        List<String> trail = store.find(ID).orElseThrow().audit().stream().map(e -> e.action() + ": " + e.result()).toList();
        assertTrue(trail.get(trail.size() - 2).startsWith("re-check Deactivate key: outcome unknown: bot process pid7-dead"),
                trail.toString());
        assertTrue(trail.get(trail.size() - 1).startsWith("Deactivate key (re-checked after a restart): succeeded"),
                trail.toString());
        assertTrue(store.withStepsInFlight().isEmpty());
    }

    @Test
    void anApprovedIdempotentStepThatAwsShowsUndoneIsCompletedOnceWithoutAskingAgain() {
        leftRunningBy("pid7-dead", NOW.minusSeconds(600));
        RemediationStep step = awsShows(StepOutcome.failure(
                "Outcome unknown — the bot restarted mid-action; IAM shows the key still Active.", "Retry."));
        StepRecovery recovery = recovery(step, StepApprovalTest.LEASE);

        recovery.recoverAbandoned();
        recovery.recoverAbandoned();

        assertEquals(1, reconciliations.get());
        assertEquals(1, executions.get(), "the approval was given and recorded: completed, once");
        StepState done = store.find(ID).orElseThrow().step(StepKind.DEACTIVATE_KEY).orElseThrow();
        assertEquals(StepState.Status.SUCCEEDED, done.status());
        assertEquals("Completed after a restart: ran", done.outcome().summary());
        assertEquals("U0APPROVER", done.approver(), "the approval stands");
        List<String> trail = store.find(ID).orElseThrow().audit().stream().map(e -> e.action() + ": " + e.result())
                .toList();
        assertEquals("Deactivate key (re-checked after a restart): succeeded: Completed after a restart: ran",
                trail.get(trail.size() - 1));
    }

    @Test
    void aStepThatMintsIsNotRunAgainAfterARestartButCanBeRetriedByAClick() {
        leftRunningBy(StepKind.ROTATE_KEY, "pid7-dead", NOW.minusSeconds(600));
        StepId rotate = StepId.of(StepKind.ROTATE_KEY);
        RemediationStep step = awsShows(StepKind.ROTATE_KEY, StepOutcome.failure(
                "Outcome unknown — the bot restarted mid-action and no secret was stored.", "Retry."));
        StepApprovalTest.Engine engine = StepApprovalTest.Engine.of(store, channel, step, StepApprovalTest.LEASE, CLOCK);
        engine.recovery().recoverAbandoned();
        assertEquals(0, executions.get(), "a second key is never minted without a person deciding");
        assertEquals(StepState.Status.FAILED, store.find(ID).orElseThrow().step(rotate).orElseThrow().status());

        StepApproval approval = engine.approval(Set.of("U0APPROVER", "U0SECOND"));
        approval.onClick(ID, rotate, "U0SECOND");
        assertEquals(0, executions.get(), "a retry of a step that mints needs its two approvals again");
        approval.onClick(ID, rotate, "U0APPROVER");

        assertEquals(1, executions.get());
        StepState retried = store.find(ID).orElseThrow().step(rotate).orElseThrow();
        assertEquals(StepState.Status.SUCCEEDED, retried.status());
        assertEquals(2, retried.attempt());
    }

    @Test
    void anOutcomeThatCannotBeRecordedLeavesTheStepToRecoveryInsteadOfRunningForever() {
        store.create(StepApprovalTest.offeredIncident());
        AtomicBoolean storeDown = new AtomicBoolean();
        IncidentStore failing = new IncidentStore() {
            @Override
            public void create(Incident incident) {
                store.create(incident);
            }

            @Override
            public Optional<IncidentId> createUnlessOpen(Incident incident) {
                return store.createUnlessOpen(incident);
            }

            @Override
            public Optional<Incident> find(IncidentId id) {
                return store.find(id);
            }

            @Override
            public Optional<Incident> findByThread(ThreadRef thread) {
                return store.findByThread(thread);
            }

            @Override
            public <T> Decision<T> decide(IncidentId id, Function<Incident, Decision<T>> change) {
                if (storeDown.get()) {
                    throw new IllegalStateException("DynamoDB answered 500");
                }
                return store.decide(id, change);
            }

            @Override
            public List<IncidentId> open() {
                return store.open();
            }

            @Override
            public List<IncidentId> withStepsInFlight() {
                return store.withStepsInFlight();
            }

            @Override
            public List<IncidentId> watched() {
                return store.watched();
            }
        };
        RemediationStep step = new RemediationStep() {
            @Override
            public StepKind kind() {
                return StepKind.DEACTIVATE_KEY;
            }

            @Override
            public StepOutcome execute(Incident incident, String target) {
                executions.incrementAndGet();
                storeDown.set(true); // the AWS call went through; recording it will not
                return StepOutcome.success("ran");
            }

            @Override
            public StepOutcome reconcile(Incident incident, String target) {
                reconciliations.incrementAndGet();
                return StepOutcome.success("confirmed by reading IAM");
            }
        };
        StepApprovalTest.Engine engine = StepApprovalTest.Engine.of(failing, channel, step, StepApprovalTest.LEASE,
                CLOCK);
        StepApproval approval = engine.approval(Set.of("U0APPROVER", "U0SECOND"));
        StepId deactivate = StepId.of(StepKind.DEACTIVATE_KEY);

        approval.onClick(ID, deactivate, "U0APPROVER");
        StepState stuck = store.find(ID).orElseThrow().step(deactivate).orElseThrow();
        assertEquals(StepState.Status.RUNNING, stuck.status(), "the outcome never reached the store");

        storeDown.set(false);
        approval.onClick(ID, deactivate, "U0SECOND");

        verify(channel).refuse(any(), eq("U0SECOND"), argThat(r -> r.reason() == Refusal.Reason.RECHECKING));
        assertEquals(1, executions.get(), "never run twice");
        assertEquals(1, reconciliations.get(), "settled from AWS");
        StepState settled = store.find(ID).orElseThrow().step(deactivate).orElseThrow();
        assertEquals(StepState.Status.SUCCEEDED, settled.status());
        assertEquals("U0APPROVER", settled.approver());
        assertTrue(store.withStepsInFlight().isEmpty());
    }

    @Test
    void aClickOnAnAbandonedStepTriggersTheRecheckNotTheStep() {
        leftRunningBy("pid7-dead", NOW.minusSeconds(600));
        RemediationStep step = awsShows(StepOutcome.success("confirmed"));
        StepApprovalTest.Engine.of(store, channel, step, StepApprovalTest.LEASE, CLOCK).approval(Set.of("U0SECOND"))
                .onClick(ID, StepId.of(StepKind.DEACTIVATE_KEY), "U0SECOND");

        verify(channel).refuse(any(), eq("U0SECOND"), argThat(r -> r.reason() == Refusal.Reason.RECHECKING));
        assertEquals(0, executions.get());
        assertEquals(1, reconciliations.get());
        assertEquals(StepState.Status.SUCCEEDED, store.find(ID).orElseThrow().step(StepKind.DEACTIVATE_KEY).orElseThrow().status());
    }

    @Test
    void aLiveReplicasStepIsLeftAloneUntilItsLeaseRunsOut() {
        leftRunningBy("pid8-live", NOW.minusSeconds(10));
        StepLease sharedLease = new StepLease("pid1-this", Duration.ofSeconds(60));

        recovery(awsShows(StepOutcome.success("confirmed")), sharedLease).recoverAbandoned();

        assertEquals(0, reconciliations.get());
        verify(channel, never()).showStep(any(), any());
        assertEquals(StepState.Status.RUNNING, store.find(ID).orElseThrow().step(StepKind.DEACTIVATE_KEY).orElseThrow().status());

        Clock later51s = Clock.fixed(NOW.plusSeconds(51), ZoneOffset.UTC);
        StepRecovery later = StepApprovalTest.Engine.of(store, channel, awsShows(StepOutcome.success("confirmed")),
                sharedLease, later51s).recovery();
        later.recoverAbandoned();
        assertEquals(1, reconciliations.get(), "silent for 61 s, past the 60 s lease");
    }

    @Test
    void aHeartbeatKeepsTheStepFromBeingTakenOverAndALateFinishAfterATakeoverIsNotRecorded() {
        leftRunningBy("pid8-live", NOW.minusSeconds(600));
        StepState claim = store.find(ID).orElseThrow().step(StepKind.DEACTIVATE_KEY).orElseThrow();
        HeldSteps owner = new HeldSteps(store, new StepLease("pid8-live", Duration.ofSeconds(60)));
        owner.hold(ID, claim);

        owner.renewAll(NOW);
        StepLease otherReplica = new StepLease("pid1-other", Duration.ofSeconds(60));
        assertFalse(recovery(awsShows(StepOutcome.success("confirmed")), otherReplica).recheck(ID, StepId.of(StepKind.DEACTIVATE_KEY)));

        Clock muchLater = Clock.fixed(NOW.plusSeconds(120), ZoneOffset.UTC);
        StepApprovalTest.Engine.of(store, channel, awsShows(StepOutcome.success("confirmed by the other")),
                otherReplica, muchLater).recovery().recheck(ID, StepId.of(StepKind.DEACTIVATE_KEY));
        assertTrue(owner.finish(ID, claim, StepOutcome.failure("late", "none"), "Deactivate key", NOW).isEmpty());
        assertEquals("confirmed by the other",
                store.find(ID).orElseThrow().step(StepKind.DEACTIVATE_KEY).orElseThrow().outcome().summary());
    }
}
