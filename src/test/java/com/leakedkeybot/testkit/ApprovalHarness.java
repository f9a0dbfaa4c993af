package com.leakedkeybot.testkit;

import com.leakedkeybot.approval.Approvers;
import com.leakedkeybot.approval.HeldSteps;
import com.leakedkeybot.approval.StepApproval;
import com.leakedkeybot.approval.StepLease;
import com.leakedkeybot.approval.StepRecovery;
import com.leakedkeybot.approval.StepRunner;
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
import com.leakedkeybot.runbook.Runbook;
import com.leakedkeybot.runbook.StepOffers;
import com.leakedkeybot.step.Approval;
import com.leakedkeybot.step.Refusal;
import com.leakedkeybot.step.StepId;
import com.leakedkeybot.step.StepState;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.mockito.invocation.Invocation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockingDetails;
import static org.mockito.Mockito.when;


/**
 * Real steps on a real (journal) store behind StepApproval, with the chat side mocked: for tests that click steps
 * against moto. Approvers are U0APPROVER and U0SECOND; U0REPORTER reported the incident and is an approver too, so
 * the two-person rule is what stops them.
 */
public final class ApprovalHarness implements AutoCloseable {

    public static final String REPORTER = "U0REPORTER";
    /** The approver who gives the first of two approvals where a step needs four eyes, so tests read as one click. */
    public static final String FIRST_APPROVER = "U0FIRST";

    public final IncidentStore store;
    public final IncidentChannel channel = mock(IncidentChannel.class);
    public final StepOffers offers;
    /** The runbook over the steps under test (mocked steps stand in for the other kinds). */
    public final Runbook runbook;
    public final StepApproval approval;
    public final StepRecovery recovery;
    public final IncidentId id;
    private final TempIncidentStore journal;

    public ApprovalHarness(Path dir, AccessKeyId key, String user, List<RemediationStep> steps) {
        this(dir, key, user, harness -> steps);
    }

    /** For steps that need the harness's own store or channel. */
    public ApprovalHarness(Path dir, AccessKeyId key, String user, Function<ApprovalHarness, List<RemediationStep>> stepsOf) {
        Clock clock = Clock.systemUTC();
        journal = TempIncidentStore.open(dir, clock);
        store = journal.store();
        id = IncidentId.newId(clock.instant());
        store.create(Incident.reported(id, key, REPORTER, clock.instant(), false)
                .withThread(new ThreadRef("C1", "1.0"))
                .withFacts(new KeyFacts(key, Optional.empty(), "123456789012", "123456789012", null, null, KeyOwnership.IAM_USER,
                        user, "Active", null, null, List.of())));
        when(channel.postStep(any(), any())).thenReturn("2.0");
        List<RemediationStep> steps = stepsOf.apply(this);
        StepLease lease = new StepLease("pid1-test", Duration.ZERO);
        offers = new StepOffers(store, channel);
        runbook = new Runbook(store, channel, Responders.only(new Responder(
                MockedSteps.completing(steps, store, channel, clock), null, null)), true, clock);
        HeldSteps held = new HeldSteps(store, lease);
        StepRunner runner = new StepRunner(channel, Responders.only(new Responder(steps, null, null)), clock, held,
                runbook);
        recovery = new StepRecovery(store, clock, held, runner);
        approval = new StepApproval(store, channel, new Approvers(Set.of("U0APPROVER", "U0SECOND", REPORTER, FIRST_APPROVER), true),
                clock, held, runner, recovery);
    }


    /**
     * {@code user}'s click on the step, after {@link #FIRST_APPROVER}'s where the step needs two approvals and has
     * none yet: the click that decides whether the step runs.
     */
    public void approve(StepId step, String user) {
        approveFirst(step);
        approval.onClick(id, step, user);
    }

    /**
     * The first of two approvals, for a step that needs four eyes; checks on the way that one approval runs nothing,
     * so that every four-eyes step tested against moto is also tested to wait for its second approver.
     */
    private void approveFirst(StepId step) {
        Optional<StepState> state = incident().step(step);
        boolean claimable = state.map(StepState::claimable).orElse(false) && !incident().isClosed();
        if (step.kind().fourEyes() && claimable && state.get().pendingApproval().isEmpty()) {
            approval.onClick(id, step, FIRST_APPROVER);
            StepState once = incident().step(step).orElseThrow();
            assertEquals(FIRST_APPROVER, once.pendingApproval().map(Approval::by).orElse(null),
                    step + " must wait for a second approver, not run on one: " + once);
        }
    }

    public Incident incident() {
        return store.find(id).orElseThrow();
    }

    /**
     * The races a step must survive, for {@code @MethodSource("com.leakedkeybot.testkit.ApprovalHarness#races")}:
     * one approver's double click, and two approvers clicking at once.
     */
    public static Stream<List<String>> races() {
        return Stream.of(List.of("U0APPROVER", "U0APPROVER"), List.of("U0APPROVER", "U0SECOND"));
    }

    /** Eight clicks at the same moment, from both approvers. */
    public void clickTogether(StepId step) throws Exception {
        clickTogether(step, IntStream.range(0, 8).mapToObj(i -> i % 2 == 0 ? "U0APPROVER" : "U0SECOND").toList());
    }

    /** Everyone in {@code clickers} clicks at the same moment; a name twice is a double click. */
    public void clickTogether(StepId step, List<String> clickers) throws Exception {
        approveFirst(step);
        ExecutorService pool = Executors.newFixedThreadPool(clickers.size());
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> clicks = new ArrayList<>();
        for (String clicker : clickers) {
            clicks.add(pool.submit(() -> {
                start.await();
                return approval.onClick(id, step, clicker);
            }));
        }
        start.countDown();
        for (Future<Boolean> click : clicks) {
            if (!click.get(30, TimeUnit.SECONDS)) {
                throw new AssertionError("click on an unknown incident");
            }
        }
        pool.shutdown();
    }

    /**
     * After {@link #clickTogether(StepId, List)}: one click ran the step, which succeeded, with one approval and one
     * success in the audit trail; every other click was refused because the step was running or done, told privately
     * to the one who clicked and audited.
     */
    public void assertRanOnceAndRefusedTheRest(StepId step, List<String> clickers) {
        StepState done = incident().step(step).orElseThrow();
        assertEquals(StepState.Status.SUCCEEDED, done.status(), String.valueOf(done.outcome()));
        assertEquals(1, approvals(step));
        String label = step.label();
        assertEquals(1, incident().audit().stream()
                .filter(e -> e.action().equals(label) && e.result().startsWith("succeeded: ")).count());
        List<String> refusedInAudit = incident().audit().stream()
                .filter(e -> e.action().equals("asked to run " + label)).map(AuditEntry::result).toList();
        assertEquals(clickers.size() - 1, refusedInAudit.size(), refusedInAudit.toString());
        assertTrue(refusedInAudit.stream().allMatch(r -> r.equals("refused: already running")
                || r.equals("refused: already done")), refusedInAudit.toString());

        List<String> told = new ArrayList<>();
        for (Invocation call : mockingDetails(channel).getInvocations()) {
            if (call.getMethod().getName().equals("refuse") && call.<Refusal>getArgument(2).step().equals(step)) {
                Refusal refusal = call.getArgument(2);
                assertTrue(refusal.reason() == Refusal.Reason.ALREADY_RUNNING
                        || refusal.reason() == Refusal.Reason.ALREADY_DONE, refusal.toString());
                told.add(call.getArgument(1));
            }
        }
        told.add(done.approver());
        assertEquals(clickers.stream().sorted().toList(), told.stream().sorted().toList(),
                "each click but the approved one is answered privately, to whoever clicked");
    }

    /**
     * As if the process that ran {@code step} died right after its AWS call: the step is left RUNNING under a dead
     * runner (same approval time, so documents dated by it are rebuilt alike), then recovered.
     *
     * @return the step as the re-check left it
     */
    public StepState restartMidStep(StepId step) {
        StepState ran = incident().step(step).orElseThrow();
        store.update(id, i -> i.withStep(ran.running(ran.approver(), ran.approvedAt(), "pid9-dead")));
        recovery.recoverAbandoned();
        return incident().step(step).orElseThrow();
    }

    public long approvals(StepId step) {
        return incident().audit().stream().filter(e -> e.action().equals("approved " + step.label()))
                .count();
    }

    @Override
    public void close() throws Exception {
        journal.close();
    }
}
