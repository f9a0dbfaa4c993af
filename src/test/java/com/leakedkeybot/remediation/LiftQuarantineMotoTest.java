package com.leakedkeybot.remediation;

import com.leakedkeybot.aws.IamAccessKeys;
import com.leakedkeybot.aws.IamInlinePolicies;
import com.leakedkeybot.aws.IamUserQuarantine;
import com.leakedkeybot.blastradius.AccessLevels;
import com.leakedkeybot.blastradius.QuarantinePolicies;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.StatusType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Lifting AWS's quarantine, on moto with AWS's managed policies loaded, with the real containment steps before it:
 * when the runbook offers it, who must approve it, what it detaches, and what a restart finds.
 */
class LiftQuarantineMotoTest {

    private static final StepId DEACTIVATE = StepId.of(StepKind.DEACTIVATE_KEY);
    private static final StepId REVOKE = StepId.of(StepKind.REVOKE_SESSIONS);
    private static final StepId QUARANTINE = StepId.of(StepKind.QUARANTINE);
    private static final StepId LIFT = StepId.of(StepKind.LIFT_QUARANTINE);
    private static final String V2 = QuarantinePolicies.MANAGED_ARN_PREFIX + "V2";
    private static IamClient iam;

    @TempDir
    Path dir;

    private ApprovalHarness bot;
    private String user;
    private AccessKeyId key;

    /** The bot's IAM client, through a proxy that records what it asked. */
    private static RecordedIam steps;

    @BeforeAll
    static void moto() {
        iam = AwsTestClients.iam(SharedMoto.get().endpoint());
        steps = RecordedIam.atSharedMoto();
    }

    @AfterAll
    static void stop() {
        steps.close();
    }

    @BeforeEach
    void incident() {
        user = "app-" + UUID.randomUUID().toString().substring(0, 8);
        iam.createUser(r -> r.userName(user));
        key = new AccessKeyId(iam.createAccessKey(r -> r.userName(user)).accessKey().accessKeyId());
        IamAccessKeys keys = new IamAccessKeys(steps.iam());
        IamUserQuarantine quarantine = new IamUserQuarantine(steps.iam());
        bot = new ApprovalHarness(dir, key, user, List.of(new DeactivateKeyStep(keys),
                new RevokeSessionsStep(new IamInlinePolicies(steps.iam())),
                new QuarantineStep(quarantine, QuarantinePolicies.standard(AccessLevels.standard())),
                new LiftQuarantineStep(quarantine, keys)));
        List.of(DEACTIVATE, REVOKE, QUARANTINE).forEach(step -> bot.offers.offer(bot.id, step));
    }

    @AfterEach
    void close() throws Exception {
        bot.close();
    }

    static Stream<List<StepId>> containmentOrders() {
        return Stream.of(List.of(DEACTIVATE, REVOKE), List.of(REVOKE, DEACTIVATE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("containmentOrders")
    void aQuarantineAwsAttachedIsOfferedForLiftingOnlyOnceTheKeyIsInactiveAndItsSessionsRevoked(List<StepId> order) {
        iam.attachUserPolicy(r -> r.userName(user).policyArn(QuarantineStep.V3));

        bot.approve(order.get(0), "U0APPROVER");
        assertTrue(bot.incident().step(LIFT).isEmpty(), "half contained: nothing to lift yet");

        bot.approve(order.get(1), "U0APPROVER");
        assertEquals(StepState.Status.OFFERED, bot.incident().step(LIFT).orElseThrow().status());
    }

    @Test
    void withoutAQuarantineNothingIsOfferedUntilTheBotQuarantinesTheUser() {
        bot.approve(DEACTIVATE, "U0APPROVER");
        bot.approve(REVOKE, "U0APPROVER");
        assertTrue(bot.incident().step(LIFT).isEmpty(), "no quarantine on the user");

        bot.approve(QUARANTINE, "U0APPROVER");

        assertEquals(StepState.Status.OFFERED, bot.incident().step(LIFT).orElseThrow().status());
    }

    @Test
    void twoApproversLiftEveryQuarantineVersionAndIamAgrees() {
        iam.attachUserPolicy(r -> r.userName(user).policyArn(V2));
        contain();

        bot.approval.onClick(bot.id, LIFT, "U0APPROVER");
        StepState once = bot.incident().step(LIFT).orElseThrow();
        assertEquals(StepState.Status.OFFERED, once.status(), "one approval runs nothing");
        assertEquals(List.of(V2, QuarantineStep.V3), attached());

        bot.approval.onClick(bot.id, LIFT, "U0SECOND");

        StepState lifted = bot.incident().step(LIFT).orElseThrow();
        assertEquals(StepState.Status.SUCCEEDED, lifted.status(), String.valueOf(lifted.outcome()));
        assertEquals(List.of(), attached());
        assertEquals("Detached AWSCompromisedKeyQuarantineV2, AWSCompromisedKeyQuarantineV3 from user " + user
                + " (read back from IAM): the new key is no longer limited by AWS's quarantine.",
                lifted.outcome().summary());
    }

    @ParameterizedTest(name = "clicks by {0}")
    @MethodSource("com.leakedkeybot.testkit.ApprovalHarness#races")
    void racingClicksLiftTheQuarantineOnceAndTheOtherIsToldWhy(List<String> clickers) throws Exception {
        contain();
        steps.aws().reset();

        bot.clickTogether(LIFT, clickers);

        bot.assertRanOnceAndRefusedTheRest(LIFT, clickers);
        assertEquals(1, steps.aws().count("iam:DetachUserPolicy"), steps.aws().calls().toString());
        assertEquals(List.of(), attached());
    }

    @Test
    void aKeyActiveAgainIsNotFreedAndTheQuarantineStays() {
        contain();
        iam.updateAccessKey(r -> r.userName(user).accessKeyId(key.value()).status(StatusType.ACTIVE));

        bot.approve(LIFT, "U0SECOND");

        StepState refused = bot.incident().step(LIFT).orElseThrow();
        assertEquals(StepState.Status.FAILED, refused.status());
        assertTrue(refused.outcome().summary().contains("IAM shows the leaked key " + key + " Active again"),
                refused.outcome().summary());
        assertEquals(List.of(QuarantineStep.V3), attached());
    }

    @Test
    void aRevocationRemovedSinceKeepsTheQuarantine() {
        contain();
        iam.deleteUserPolicy(r -> r.userName(user).policyName(RevocationPolicies.USER_POLICY));

        bot.approve(LIFT, "U0SECOND");

        StepState refused = bot.incident().step(LIFT).orElseThrow();
        assertEquals(StepState.Status.FAILED, refused.status());
        assertTrue(refused.outcome().summary().contains("is no longer on user " + user), refused.outcome().summary());
        assertEquals(List.of(QuarantineStep.V3), attached());
    }

    @Test
    void aRestartMidStepReadsIamAndDetachesOnlyWhatIsStillThere() {
        contain();
        bot.approve(LIFT, "U0SECOND");
        StepState confirmed = bot.restartMidStep(LIFT);
        assertEquals(StepState.Status.SUCCEEDED, confirmed.status());
        assertTrue(confirmed.outcome().summary().endsWith("— confirmed by reading IAM after a restart."),
                confirmed.outcome().summary());

        iam.attachUserPolicy(r -> r.userName(user).policyArn(QuarantineStep.V3));
        StepState completed = bot.restartMidStep(LIFT);

        assertEquals(StepState.Status.SUCCEEDED, completed.status());
        assertTrue(completed.outcome().summary().startsWith("Completed after a restart: Detached "
                + "AWSCompromisedKeyQuarantineV3"), completed.outcome().summary());
        assertEquals(List.of(), attached());
    }

    /** The bot's quarantine, then the key deactivated and its sessions revoked: the lift is offered. */
    private void contain() {
        bot.approve(QUARANTINE, "U0APPROVER");
        bot.approve(DEACTIVATE, "U0APPROVER");
        bot.approve(REVOKE, "U0APPROVER");
        assertEquals(StepState.Status.OFFERED, bot.incident().step(LIFT).orElseThrow().status());
    }

    private List<String> attached() {
        return iam.listAttachedUserPolicies(r -> r.userName(user)).attachedPolicies().stream()
                .map(AttachedPolicy::policyArn).sorted().toList();
    }
}
