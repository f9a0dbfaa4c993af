package com.leakedkeybot.remediation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.leakedkeybot.approval.Approvers;
import com.leakedkeybot.aws.IamAccessKeys;
import com.leakedkeybot.incident.CachedIncidentStore;
import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.IncidentChannel;
import com.leakedkeybot.incident.IncidentId;
import com.leakedkeybot.incident.IncidentStore;
import com.leakedkeybot.incident.KeyFacts;
import com.leakedkeybot.incident.KeyOwnership;
import com.leakedkeybot.incident.ThreadRef;
import com.leakedkeybot.key.AccessKeyId;
import com.leakedkeybot.state.IncidentJson;
import com.leakedkeybot.state.JournalIncidentStore;
import com.leakedkeybot.state.Retention;
import com.leakedkeybot.testkit.AwsTestClients;
import com.leakedkeybot.testkit.MotoServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.StatusType;

/** Deactivate and its undo against moto's IAM: the key's real status after every approved click. */
class KeyStatusStepsMotoTest {

    private static final StepId DEACTIVATE = StepId.of(StepKind.DEACTIVATE_KEY);
    private static final StepId REACTIVATE = StepId.of(StepKind.REACTIVATE_KEY);
    private static IamClient iam;

    @TempDir
    Path dir;

    private JournalIncidentStore journal;
    private IncidentStore store;
    private final IncidentChannel channel = mock(IncidentChannel.class);
    private StepApproval approval;
    private String user;
    private AccessKeyId key;
    private IncidentId id;

    @BeforeAll
    static void moto() throws Exception {
        iam = AwsTestClients.iam(MotoServer.shared().endpoint());
    }

    @BeforeEach
    void incidentWithAnOfferedDeactivation() {
        user = "app-" + UUID.randomUUID().toString().substring(0, 8);
        iam.createUser(r -> r.userName(user));
        key = new AccessKeyId(iam.createAccessKey(r -> r.userName(user)).accessKey().accessKeyId());
        IncidentJson json = new IncidentJson();
        Clock clock = Clock.systemUTC();
        journal = JournalIncidentStore.open(dir, json, Retention.ofClosedIncidents(Duration.ofDays(1), json), clock);
        store = new CachedIncidentStore(journal, 10, Duration.ofDays(1));
        id = IncidentId.newId(clock.instant());
        store.create(Incident.reported(id, key, "U0REPORTER", clock.instant(), false)
                .withThread(new ThreadRef("C1", "1.0"))
                .withFacts(new KeyFacts(key, Optional.empty(), "123456789012", "123456789012", KeyOwnership.IAM_USER,
                        user, "Active", null, null, List.of())));
        when(channel.postStep(any(), any())).thenReturn("2.0");
        StepLease lease = new StepLease("pid1-test", Duration.ZERO);
        HeldSteps held = new HeldSteps(store);
        StepOffers offers = new StepOffers(store, channel);
        IamAccessKeys keys = new IamAccessKeys(iam);
        List<RemediationStep> steps = List.of(new DeactivateKeyStep(keys), new ReactivateKeyStep(keys));
        approval = new StepApproval(store, channel, new Approvers(Set.of("U0APPROVER", "U0SECOND"), true), steps,
                clock, lease, held, new StepRecovery(store, channel, steps, clock, lease, held, offers), offers);
        offers.offer(id, DEACTIVATE);
    }

    @AfterEach
    void close() throws Exception {
        journal.close();
    }

    @Test
    void simultaneousApproversDeactivateOnceThenTheUndoIsOfferedAndRestoresTheKey() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> clicks = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String approver = i % 2 == 0 ? "U0APPROVER" : "U0SECOND";
            clicks.add(pool.submit(() -> {
                start.await();
                return approval.onClick(id, DEACTIVATE, approver);
            }));
        }
        start.countDown();
        for (Future<Boolean> click : clicks) {
            assertTrue(click.get(30, TimeUnit.SECONDS));
        }
        pool.shutdown();

        assertEquals(StatusType.INACTIVE, status());
        Incident deactivated = store.find(id).orElseThrow();
        assertEquals(1, deactivated.audit().stream().filter(e -> e.action().equals("approved Deactivate key")).count());
        assertEquals(StepState.Status.OFFERED, deactivated.step(REACTIVATE).orElseThrow().status());
        verify(channel).postStep(any(), eq(REACTIVATE));

        approval.onClick(id, REACTIVATE, "U0SECOND");

        assertEquals(StatusType.ACTIVE, status());
        Incident reactivated = store.find(id).orElseThrow();
        assertEquals(StepState.Status.SUCCEEDED, reactivated.step(REACTIVATE).orElseThrow().status());
        assertEquals(StepState.Status.OFFERED, reactivated.step(DEACTIVATE).orElseThrow().status(),
                "the leaked key works again, so containment is offered again");
        verify(channel, times(2)).postStep(any(), eq(DEACTIVATE));

        approval.onClick(id, DEACTIVATE, "U0APPROVER");
        assertEquals(StatusType.INACTIVE, status());
    }

    @Test
    void aKeyDeletedMeanwhileFailsWithAdviceAndNothingIsOfferedAfterIt() {
        iam.deleteAccessKey(r -> r.userName(user).accessKeyId(key.value()));

        approval.onClick(id, DEACTIVATE, "U0APPROVER");

        StepState failed = store.find(id).orElseThrow().step(DEACTIVATE).orElseThrow();
        assertEquals(StepState.Status.FAILED, failed.status());
        assertTrue(failed.outcome().summary().contains("NoSuchEntity"), failed.outcome().summary());
        assertTrue(failed.outcome().nextStep().contains("no longer exists"), failed.outcome().nextStep());
        assertTrue(store.find(id).orElseThrow().step(REACTIVATE).isEmpty());
    }

    private StatusType status() {
        return iam.listAccessKeys(r -> r.userName(user)).accessKeyMetadata().stream()
                .filter(k -> k.accessKeyId().equals(key.value())).findFirst().orElseThrow().status();
    }
}
