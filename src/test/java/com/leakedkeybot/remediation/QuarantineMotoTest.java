package com.leakedkeybot.remediation;

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
import com.leakedkeybot.testkit.SharedMoto;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;


/** AWS's quarantine policy attached by an approved click, on moto with AWS's managed policies loaded. */
class QuarantineMotoTest {

    private static final StepId QUARANTINE = StepId.of(StepKind.QUARANTINE);
    private static final String V2 = QuarantinePolicies.MANAGED_ARN_PREFIX + "V2";
    private static IamClient iam;
    private static QuarantinePolicies policies;

    @TempDir
    Path dir;

    private ApprovalHarness bot;
    private String user;

    @BeforeAll
    static void moto() throws Exception {
        iam = AwsTestClients.iam(SharedMoto.get().endpoint());
        policies = QuarantinePolicies.standard(AccessLevels.standard());
    }

    @BeforeEach
    void incident() {
        user = "app-" + UUID.randomUUID().toString().substring(0, 8);
        iam.createUser(r -> r.userName(user));
        AccessKeyId key = new AccessKeyId(iam.createAccessKey(r -> r.userName(user)).accessKey().accessKeyId());
        bot = new ApprovalHarness(dir, key, user, List.of(new QuarantineStep(new IamUserQuarantine(iam), policies)));
        bot.offers.offer(bot.id, QUARANTINE);
    }

    @AfterEach
    void close() throws Exception {
        bot.close();
    }

    @Test
    void simultaneousApproversAttachV3OnceAndTheThreadSaysWhatItLeavesOpen() throws Exception {
        bot.clickTogether(QUARANTINE);

        assertEquals(List.of(QuarantineStep.V3), attached());
        assertEquals(1, bot.approvals(QUARANTINE));
        String summary = bot.incident().step(QUARANTINE).orElseThrow().outcome().summary();
        assertTrue(summary.startsWith("Attached AWSCompromisedKeyQuarantineV3"), summary);
        assertTrue(summary.contains("secretsmanager:GetSecretValue"), summary);
    }

    @Test
    void anEarlierQuarantineByAwsIsRecognisedAndV3AddedToIt() {
        iam.attachUserPolicy(r -> r.userName(user).policyArn(V2));
        iam.putUserPolicy(r -> r.userName(user).policyName(QuarantinePolicies.LEGACY_INLINE_NAME).policyDocument(
                "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Deny\",\"Action\":\"iam:*\",\"Resource\":\"*\"}}"));

        bot.approve(QUARANTINE, "U0APPROVER");

        assertEquals(List.of(V2, QuarantineStep.V3), attached());
        assertTrue(bot.incident().step(QUARANTINE).orElseThrow().outcome().summary().contains(
                "already there: AWSCompromisedKeyQuarantineV2, AWSExposedCredentialPolicy_DO_NOT_REMOVE (inline)"));
    }

    @Test
    void v3AlreadyAttachedIsReportedAndNothingChanges() {
        iam.attachUserPolicy(r -> r.userName(user).policyArn(QuarantineStep.V3));

        bot.approve(QUARANTINE, "U0APPROVER");

        StepState done = bot.incident().step(QUARANTINE).orElseThrow();
        assertEquals(StepState.Status.SUCCEEDED, done.status());
        assertTrue(done.outcome().summary().contains("was already attached"), done.outcome().summary());
        assertEquals(List.of(QuarantineStep.V3), attached());
    }

    @Test
    void aUserDeletedMeanwhileFailsWithNoSuchEntity() {
        iam.listAccessKeys(r -> r.userName(user)).accessKeyMetadata()
                .forEach(k -> iam.deleteAccessKey(r -> r.userName(user).accessKeyId(k.accessKeyId())));
        iam.deleteUser(r -> r.userName(user));

        bot.approve(QUARANTINE, "U0APPROVER");

        StepState failed = bot.incident().step(QUARANTINE).orElseThrow();
        assertEquals(StepState.Status.FAILED, failed.status());
        assertTrue(failed.outcome().summary().contains("NoSuchEntity"), failed.outcome().summary());
    }

    @Test
    void aRestartMidStepReadsTheAttachmentAndAttachesOnlyWhatIsMissing() {
        bot.approve(QUARANTINE, "U0APPROVER");
        assertEquals(StepState.Status.SUCCEEDED, bot.restartMidStep(QUARANTINE).status());

        iam.detachUserPolicy(r -> r.userName(user).policyArn(QuarantineStep.V3));
        StepState completed = bot.restartMidStep(QUARANTINE);

        assertEquals(StepState.Status.SUCCEEDED, completed.status());
        assertTrue(completed.outcome().summary().startsWith("Completed after a restart: Attached"),
                completed.outcome().summary());
        assertEquals(List.of(QuarantineStep.V3), attached(), "the approved quarantine is attached, once");
    }

    private List<String> attached() {
        return iam.listAttachedUserPolicies(r -> r.userName(user)).attachedPolicies().stream()
                .map(AttachedPolicy::policyArn).sorted().toList();
    }
}
