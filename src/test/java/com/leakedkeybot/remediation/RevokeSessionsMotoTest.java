package com.leakedkeybot.remediation;

import com.leakedkeybot.audit.AuditEntry;
import com.leakedkeybot.aws.IamInlinePolicies;
import com.leakedkeybot.aws.IamRoles;
import com.leakedkeybot.incident.Findings;
import com.leakedkeybot.investigation.DerivedCredential;
import com.leakedkeybot.key.AccessKeyId;
import com.leakedkeybot.sandbox.MotoServer;
import com.leakedkeybot.step.Refusal;
import com.leakedkeybot.step.StepId;
import com.leakedkeybot.step.StepKind;
import com.leakedkeybot.step.StepState;
import com.leakedkeybot.testkit.ApprovalHarness;
import com.leakedkeybot.testkit.AwsTestClients;
import com.leakedkeybot.testkit.RecordedIam;
import com.leakedkeybot.testkit.SharedMoto;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
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
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.verify;


/** Session revocation on the key's user and on the roles it assumed, against moto's IAM, through StepApproval. */
class RevokeSessionsMotoTest {

    private static final StepId REVOKE = StepId.of(StepKind.REVOKE_SESSIONS);
    private static final String TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:root\"},\"Action\":\"sts:AssumeRole\"}]}";
    private static IamClient iam;
    /** The steps' IAM: what they asked of it is recorded. */
    private static RecordedIam steps;

    @TempDir
    Path dir;

    private ApprovalHarness bot;
    private String user;
    private String suffix;

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
    void incident() {
        suffix = UUID.randomUUID().toString().substring(0, 8);
        user = "app-" + suffix;
        iam.createUser(r -> r.userName(user));
        AccessKeyId key = new AccessKeyId(iam.createAccessKey(r -> r.userName(user)).accessKey().accessKeyId());
        IamInlinePolicies policies = new IamInlinePolicies(steps.iam());
        bot = new ApprovalHarness(dir, key, user, List.of(new RevokeSessionsStep(policies),
                new RevokeRoleSessionsStep(policies, new IamRoles(steps.iam()))));
    }

    @AfterEach
    void close() throws Exception {
        bot.close();
    }

    @Test
    void simultaneousApproversPutTheExactDenyOnTheUserOnce() throws Exception {
        bot.offers.offer(bot.id, REVOKE);

        bot.clickTogether(REVOKE);

        StepState done = bot.incident().step(REVOKE).orElseThrow();
        assertEquals(StepState.Status.SUCCEEDED, done.status(), String.valueOf(done.outcome()));
        assertEquals(1, bot.approvals(REVOKE));
        assertEquals(RevocationPolicies.user(done.approvedAt()), userPolicy());
        assertTrue(done.outcome().summary().contains("two forms"), done.outcome().summary());
        assertTrue(done.outcome().summary().contains("federated-user sessions"), done.outcome().summary());
    }

    @Test
    void aRoleTheAttackerAssumedGetsADenyOfTheirSessionsOnlyAndNotFromTheReporter() {
        String roleArn = role("deploy-" + suffix, "/");
        StepId step = attackerAssumed(roleArn, "exfil-session");

        bot.approve(step, ApprovalHarness.REPORTER);

        verify(bot.channel).refuse(any(), eq(ApprovalHarness.REPORTER),
                argThat(r -> r.reason() == Refusal.Reason.REPORTER_ON_DESTRUCTIVE_STEP));
        assertThrows(NoSuchEntityException.class, () -> rolePolicy(roleArn));
        assertEquals("refused: reporter on destructive step", last().result());

        bot.approve(step, "U0SECOND");

        String roleId = iam.getRole(r -> r.roleName(RevokeRoleSessionsStep.roleName(roleArn))).role().roleId();
        assertEquals(RevocationPolicies.roleSessions(roleId, List.of("exfil-session"),
                bot.incident().step(step).orElseThrow().approvedAt()), rolePolicy(roleArn));
        assertTrue(rolePolicy(roleArn).contains("\"" + roleId + ":exfil-session\""));
        assertTrue(bot.incident().step(step).orElseThrow().outcome().summary().contains("not affected"));
    }

    @Test
    void aRoleOfAnotherAccountIsNamedNotChangedEvenWhenARoleHereHasItsName() {
        String here = role("shared-" + suffix, "/");
        String elsewhere = "arn:aws:iam::999999999999:role/shared-" + suffix;
        DerivedCredential assumed = new DerivedCredential("ASIAEXAMPLE" + suffix.toUpperCase(), "AKIAPARENT",
                "AssumeRole", elsewhere, "exfil-session", null, null, null, Instant.now(), "us-east-1");
        bot.store.update(bot.id, i -> i.withFindings(new Findings(null, Instant.now(), 1, List.of(),
                List.of(assumed), List.of(), List.of())));

        bot.runbook.trailRead(bot.incident());

        assertTrue(bot.incident().steps().keySet().stream().noneMatch(id -> id.kind() == StepKind.REVOKE_ROLE_SESSIONS),
                bot.incident().steps().keySet().toString());
        verify(bot.channel).postInvestigationProblem(any(), eq("Sessions of roles in other accounts"),
                argThat(text -> text.contains(elsewhere) && text.contains("123456789012")));
        assertThrows(NoSuchEntityException.class, () -> rolePolicy(here), "the same-named role here is untouched");
    }

    @ParameterizedTest(name = "clicks by {0}")
    @MethodSource("com.leakedkeybot.testkit.ApprovalHarness#races")
    void racingClicksPutTheRoleDenyOnceAndTheOtherIsToldWhy(List<String> clickers) throws Exception {
        String roleArn = role("race-" + suffix, "/");
        StepId step = attackerAssumed(roleArn, "exfil-session");
        steps.aws().reset();

        bot.clickTogether(step, clickers);

        bot.assertRanOnceAndRefusedTheRest(step, clickers);
        assertEquals(1, steps.aws().count("iam:PutRolePolicy"), steps.aws().calls().toString());
        String roleId = iam.getRole(r -> r.roleName(RevokeRoleSessionsStep.roleName(roleArn))).role().roleId();
        assertEquals(RevocationPolicies.roleSessions(roleId, List.of("exfil-session"),
                bot.incident().step(step).orElseThrow().approvedAt()), rolePolicy(roleArn));
    }

    @Test
    void withoutSessionNamesEveryOlderSessionOfTheRoleIsDeniedWithAWarning() {
        String roleArn = role("batch-" + suffix, "/jobs/");
        StepId step = attackerAssumed(roleArn, null);

        bot.approve(step, "U0APPROVER");

        StepState done = bot.incident().step(step).orElseThrow();
        assertEquals(RevocationPolicies.roleOlderSessions(done.approvedAt()), rolePolicy(roleArn));
        assertTrue(done.outcome().summary().contains("every legitimate user"), done.outcome().summary());
    }

    @Test
    void aRoleDeletedSinceTheScanFailsWithNoSuchEntity() {
        StepId step = attackerAssumed("arn:aws:iam::123456789012:role/gone-" + suffix, "s");

        bot.approve(step, "U0APPROVER");

        StepState failed = bot.incident().step(step).orElseThrow();
        assertEquals(StepState.Status.FAILED, failed.status());
        assertTrue(failed.outcome().summary().contains("iam:GetRole: NoSuchEntity"), failed.outcome().summary());
    }

    @Test
    void aUserDeletedMeanwhileFailsWithNoSuchEntity() {
        iam.listAccessKeys(r -> r.userName(user)).accessKeyMetadata()
                .forEach(k -> iam.deleteAccessKey(r -> r.userName(user).accessKeyId(k.accessKeyId())));
        iam.deleteUser(r -> r.userName(user));
        bot.offers.offer(bot.id, REVOKE);

        bot.approve(REVOKE, "U0APPROVER");

        StepState failed = bot.incident().step(REVOKE).orElseThrow();
        assertEquals(StepState.Status.FAILED, failed.status());
        assertTrue(failed.outcome().summary().contains("iam:PutUserPolicy: NoSuchEntity"), failed.outcome().summary());
        assertTrue(failed.outcome().nextStep().startsWith("The key or its user no longer exists"));
    }

    @Test
    void afterARestartMidStepIamIsReadAndAnUndoneRevocationIsCompleted() {
        bot.offers.offer(bot.id, REVOKE);
        bot.approve(REVOKE, "U0APPROVER");
        StepState rechecked = bot.restartMidStep(REVOKE);
        assertEquals(StepState.Status.SUCCEEDED, rechecked.status());
        assertTrue(rechecked.outcome().summary().contains("confirmed by reading IAM after a restart"));

        iam.deleteUserPolicy(r -> r.userName(user).policyName(RevocationPolicies.USER_POLICY));
        StepState completed = bot.restartMidStep(REVOKE);
        assertEquals(StepState.Status.SUCCEEDED, completed.status());
        assertTrue(completed.outcome().summary().startsWith("Completed after a restart: Inline policy "
                + RevocationPolicies.USER_POLICY), completed.outcome().summary());
        assertTrue(AwsTestClients.iamFinds(() -> iam.getUserPolicy(r -> r.userName(user)
                .policyName(RevocationPolicies.USER_POLICY))), "the approved revocation is in IAM again");
    }

    @Test
    void aRoleRevocationInterruptedByARestartIsConfirmedFromIam() {
        String roleArn = role("ops-" + suffix, "/");
        StepId step = attackerAssumed(roleArn, "s1");
        bot.approve(step, "U0SECOND");

        StepState rechecked = bot.restartMidStep(step);

        assertEquals(StepState.Status.SUCCEEDED, rechecked.status());
        assertTrue(rechecked.outcome().summary().contains("confirmed by reading IAM after a restart"));
    }

    private String role(String name, String path) {
        return iam.createRole(r -> r.roleName(name).path(path).assumeRolePolicyDocument(TRUST)).role().arn();
    }

    /** The investigation found the key assuming this role; the role's revocation is offered. */
    private StepId attackerAssumed(String roleArn, String sessionName) {
        DerivedCredential assumed = new DerivedCredential("ASIAEXAMPLE" + suffix.toUpperCase(), "AKIAPARENT",
                "AssumeRole", roleArn, sessionName, null, null, null, Instant.now(), "us-east-1");
        bot.store.update(bot.id, i -> i.withFindings(new Findings(null, Instant.now(), 1, List.of(),
                List.of(assumed), List.of(), List.of())));
        StepId step = new StepId(StepKind.REVOKE_ROLE_SESSIONS, roleArn);
        bot.offers.offer(bot.id, step);
        return step;
    }

    private com.leakedkeybot.audit.AuditEntry last() {
        List<com.leakedkeybot.audit.AuditEntry> audit = bot.incident().audit();
        return audit.get(audit.size() - 1);
    }

    private String userPolicy() {
        return decode(iam.getUserPolicy(r -> r.userName(user).policyName(RevocationPolicies.USER_POLICY))
                .policyDocument());
    }

    private String rolePolicy(String roleArn) {
        return decode(iam.getRolePolicy(r -> r.roleName(RevokeRoleSessionsStep.roleName(roleArn))
                .policyName(RevocationPolicies.ROLE_POLICY)).policyDocument());
    }

    private static String decode(String document) {
        return URLDecoder.decode(document, StandardCharsets.UTF_8);
    }
}
