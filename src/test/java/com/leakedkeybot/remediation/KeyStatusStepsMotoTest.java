package com.leakedkeybot.remediation;

import com.leakedkeybot.aws.IamAccessKeys;
import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.key.AccessKeyId;
import com.leakedkeybot.sandbox.MotoServer;
import com.leakedkeybot.step.StepId;
import com.leakedkeybot.step.StepKind;
import com.leakedkeybot.step.StepState;
import com.leakedkeybot.testkit.ApprovalHarness;
import com.leakedkeybot.testkit.AwsTestClients;
import com.leakedkeybot.testkit.RecordedIam;
import com.leakedkeybot.testkit.SharedMoto;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.StatusType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;


/** Deactivate and its undo against moto's IAM: the key's real status after every approved click. */
class KeyStatusStepsMotoTest {

    private static final StepId DEACTIVATE = StepId.of(StepKind.DEACTIVATE_KEY);
    private static final StepId REACTIVATE = StepId.of(StepKind.REACTIVATE_KEY);
    private static IamClient iam;
    /** The steps' IAM: what they asked of it is recorded. */
    private static RecordedIam steps;

    @TempDir
    Path dir;

    private ApprovalHarness bot;
    private String user;
    private AccessKeyId key;

    @BeforeAll
    static void moto() throws Exception {
        iam = AwsTestClients.iam(SharedMoto.get().endpoint());
        steps = RecordedIam.atSharedMoto();
    }

    @AfterAll
    static void stopRecording() {
        steps.close();
    }

    @BeforeEach
    void incidentWithAnOfferedDeactivation() {
        user = "app-" + UUID.randomUUID().toString().substring(0, 8);
        iam.createUser(r -> r.userName(user));
        key = new AccessKeyId(iam.createAccessKey(r -> r.userName(user)).accessKey().accessKeyId());
        IamAccessKeys keys = new IamAccessKeys(steps.iam());
        bot = new ApprovalHarness(dir, key, user, List.of(new DeactivateKeyStep(keys),
                new ReactivateKeyStep(keys)));
        bot.offers.offer(bot.id, DEACTIVATE);
    }

    @AfterEach
    void close() throws Exception {
        bot.close();
    }

    @Test
    void simultaneousApproversDeactivateOnceThenTheUndoIsOfferedAndRestoresTheKey() throws Exception {
        bot.clickTogether(DEACTIVATE);

        assertEquals(StatusType.INACTIVE, status());
        Incident deactivated = bot.incident();
        assertEquals(1, bot.approvals(DEACTIVATE));
        assertEquals(StepState.Status.OFFERED, deactivated.step(REACTIVATE).orElseThrow().status());
        verify(bot.channel).postStep(any(), eq(REACTIVATE));

        bot.approve(REACTIVATE, "U0SECOND");

        assertEquals(StatusType.ACTIVE, status());
        Incident reactivated = bot.incident();
        assertEquals(StepState.Status.SUCCEEDED, reactivated.step(REACTIVATE).orElseThrow().status());
        assertEquals(StepState.Status.OFFERED, reactivated.step(DEACTIVATE).orElseThrow().status(),
                "the leaked key works again, so containment is offered again");
        verify(bot.channel, times(2)).postStep(any(), eq(DEACTIVATE));

        bot.approve(DEACTIVATE, "U0APPROVER");
        assertEquals(StatusType.INACTIVE, status());
    }

    @ParameterizedTest(name = "clicks by {0}")
    @MethodSource("com.leakedkeybot.testkit.ApprovalHarness#races")
    void racingClicksReactivateOnceAndTheOtherIsToldWhy(List<String> clickers) throws Exception {
        bot.approve(DEACTIVATE, "U0APPROVER");
        steps.aws().reset();

        bot.clickTogether(REACTIVATE, clickers);

        bot.assertRanOnceAndRefusedTheRest(REACTIVATE, clickers);
        assertEquals(1, steps.aws().count("iam:UpdateAccessKey", key.value()), steps.aws().calls().toString());
        assertEquals(StatusType.ACTIVE, status());
    }

    @Test
    void aKeyDeletedMeanwhileFailsWithAdviceAndNothingIsOfferedAfterIt() {
        iam.deleteAccessKey(r -> r.userName(user).accessKeyId(key.value()));

        bot.approve(DEACTIVATE, "U0APPROVER");

        StepState failed = bot.incident().step(DEACTIVATE).orElseThrow();
        assertEquals(StepState.Status.FAILED, failed.status());
        assertTrue(failed.outcome().summary().contains("NoSuchEntity"), failed.outcome().summary());
        assertTrue(failed.outcome().nextStep().contains("no longer exists"), failed.outcome().nextStep());
        assertTrue(bot.incident().step(REACTIVATE).isEmpty());
    }

    @Test
    void aKeyDeletedBeforeItsReactivationFailsWithNoSuchEntity() {
        bot.approve(DEACTIVATE, "U0APPROVER");
        iam.deleteAccessKey(r -> r.userName(user).accessKeyId(key.value()));

        bot.approve(REACTIVATE, "U0APPROVER");

        StepState failed = bot.incident().step(REACTIVATE).orElseThrow();
        assertEquals(StepState.Status.FAILED, failed.status());
        assertTrue(failed.outcome().summary().contains("iam:UpdateAccessKey: NoSuchEntity"), failed.outcome().summary());
        assertTrue(failed.outcome().nextStep().startsWith("The key or its user no longer exists"));
        assertEquals(StepState.Status.SUCCEEDED, bot.incident().step(DEACTIVATE).orElseThrow().status(),
                "containment is not offered again for a key that no longer exists");
    }

    @Test
    void aRestartMidReactivationReadsIamAndCompletesTheApprovedReactivation() {
        bot.approve(DEACTIVATE, "U0APPROVER");
        bot.approve(REACTIVATE, "U0APPROVER");
        assertEquals(StepState.Status.SUCCEEDED, bot.restartMidStep(REACTIVATE).status());

        iam.updateAccessKey(r -> r.userName(user).accessKeyId(key.value()).status(StatusType.INACTIVE));
        StepState completed = bot.restartMidStep(REACTIVATE);

        assertEquals(StepState.Status.SUCCEEDED, completed.status());
        assertTrue(completed.outcome().summary().startsWith("Completed after a restart: The key is Active again"),
                completed.outcome().summary());
        assertEquals(StatusType.ACTIVE, status());
    }

    private StatusType status() {
        return iam.listAccessKeys(r -> r.userName(user)).accessKeyMetadata().stream()
                .filter(k -> k.accessKeyId().equals(key.value())).findFirst().orElseThrow().status();
    }
}
