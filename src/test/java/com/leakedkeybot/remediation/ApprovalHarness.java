package com.leakedkeybot.remediation;

import com.leakedkeybot.testkit.TempIncidentStore;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.leakedkeybot.approval.Approvers;
import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.IncidentChannel;
import com.leakedkeybot.incident.IncidentId;
import com.leakedkeybot.incident.IncidentStore;
import com.leakedkeybot.incident.KeyFacts;
import com.leakedkeybot.incident.KeyOwnership;
import com.leakedkeybot.incident.ThreadRef;
import com.leakedkeybot.key.AccessKeyId;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Real steps on a real (journal) store behind StepApproval, with the chat side mocked: for tests that click steps
 * against moto. Approvers are U0APPROVER and U0SECOND; U0REPORTER reported the incident and is an approver too, so
 * the two-person rule is what stops them.
 */
final class ApprovalHarness implements AutoCloseable {

    static final String REPORTER = "U0REPORTER";

    final IncidentStore store;
    final IncidentChannel channel = mock(IncidentChannel.class);
    final StepOffers offers;
    final StepApproval approval;
    final StepRecovery recovery;
    final IncidentId id;
    private final TempIncidentStore journal;

    ApprovalHarness(Path dir, AccessKeyId key, String user, List<RemediationStep> steps) {
        this(dir, key, user, harness -> steps);
    }

    /** For steps that need the harness's own store or channel. */
    ApprovalHarness(Path dir, AccessKeyId key, String user, Function<ApprovalHarness, List<RemediationStep>> stepsOf) {
        Clock clock = Clock.systemUTC();
        journal = TempIncidentStore.open(dir, clock);
        store = journal.store();
        id = IncidentId.newId(clock.instant());
        store.create(Incident.reported(id, key, REPORTER, clock.instant(), false)
                .withThread(new ThreadRef("C1", "1.0"))
                .withFacts(new KeyFacts(key, Optional.empty(), "123456789012", "123456789012", KeyOwnership.IAM_USER,
                        user, "Active", null, null, List.of())));
        when(channel.postStep(any(), any())).thenReturn("2.0");
        List<RemediationStep> steps = stepsOf.apply(this);
        StepLease lease = new StepLease("pid1-test", Duration.ZERO);
        HeldSteps held = new HeldSteps(store);
        offers = new StepOffers(store, channel);
        recovery = new StepRecovery(store, channel, steps, clock, lease, held, offers);
        approval = new StepApproval(store, channel, new Approvers(Set.of("U0APPROVER", "U0SECOND", REPORTER), true),
                steps, clock, lease, held, recovery, offers);
    }

    Incident incident() {
        return store.find(id).orElseThrow();
    }

    /** Eight approvers click at the same moment. */
    void clickTogether(StepId step) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> clicks = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String approver = i % 2 == 0 ? "U0APPROVER" : "U0SECOND";
            clicks.add(pool.submit(() -> {
                start.await();
                return approval.onClick(id, step, approver);
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
     * As if the process that ran {@code step} died right after its AWS call: the step is left RUNNING under a dead
     * runner (same approval time, so documents dated by it are rebuilt alike), then recovered.
     *
     * @return the step as the re-check left it
     */
    StepState restartMidStep(StepId step) {
        StepState ran = incident().step(step).orElseThrow();
        store.update(id, i -> i.withStep(ran.running(ran.approver(), ran.approvedAt(), "pid9-dead")));
        recovery.recoverAbandoned();
        return incident().step(step).orElseThrow();
    }

    long approvals(StepId step) {
        return incident().audit().stream().filter(e -> e.action().equals("approved " + StepRecovery.label(step)))
                .count();
    }

    @Override
    public void close() throws Exception {
        journal.close();
    }
}
