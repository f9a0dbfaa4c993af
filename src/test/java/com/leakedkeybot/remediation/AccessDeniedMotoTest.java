package com.leakedkeybot.remediation;

import com.leakedkeybot.aws.AttackerResourceRemoval;
import com.leakedkeybot.aws.BotPrincipal;
import com.leakedkeybot.aws.IamAccessKeys;
import com.leakedkeybot.aws.IamInlinePolicies;
import com.leakedkeybot.aws.IamKeyRotation;
import com.leakedkeybot.aws.IamOldKeys;
import com.leakedkeybot.aws.IamPolicySimulation;
import com.leakedkeybot.aws.IamRoles;
import com.leakedkeybot.aws.IamUserQuarantine;
import com.leakedkeybot.aws.SecretsManagerVault;
import com.leakedkeybot.blastradius.AccessLevels;
import com.leakedkeybot.blastradius.QuarantinePolicies;
import com.leakedkeybot.incident.Findings;
import com.leakedkeybot.incident.IncidentChannel;
import com.leakedkeybot.investigation.AffectedResource;
import com.leakedkeybot.investigation.DerivedCredential;
import com.leakedkeybot.key.AccessKeyId;
import com.leakedkeybot.step.StepId;
import com.leakedkeybot.step.StepKind;
import com.leakedkeybot.step.StepState;
import com.leakedkeybot.testkit.ApprovalHarness;
import com.leakedkeybot.testkit.AuthorizingMoto;
import com.leakedkeybot.testkit.BotPolicy;
import com.leakedkeybot.testkit.FakePolicySimulator;
import com.leakedkeybot.testkit.LogCapture;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.StatusType;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockingDetails;


/**
 * Each step run by a bot whose IAM policy is its own minus the one permission the step writes with, on a moto that
 * enforces IAM auth: the step fails saying which permission is missing, AWS is as it was (read back as an
 * administrator), the same step succeeds once the permission is granted, and no secret reaches the thread, the audit
 * trail or the logs. IAM's policy simulator, which moto lacks, is {@link FakePolicySimulator}, enforcing auth alike.
 */
class AccessDeniedMotoTest {

    private static final String TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:root\"},\"Action\":\"sts:AssumeRole\"}]}";
    private static AuthorizingMoto moto;
    private static IamClient admin;
    private static FakePolicySimulator simulator;

    @TempDir
    Path dir;

    private final List<AutoCloseable> clients = new ArrayList<>();
    private ApprovalHarness bot;
    private String suffix;
    private String user;
    private AccessKeyId key;
    private String leakedSecret;
    private String botUser;
    private AwsCredentialsProvider botCredentials;

    @BeforeAll
    static void start() {
        moto = AuthorizingMoto.start();
        admin = moto.iam(moto.admin());
        simulator = FakePolicySimulator.enforcingAuth(admin);
    }

    @AfterAll
    static void stop() {
        simulator.close();
        admin.close();
        moto.close();
    }

    @BeforeEach
    void leakedKey() {
        suffix = UUID.randomUUID().toString().substring(0, 8);
        user = "app-" + suffix;
        admin.createUser(r -> r.userName(user));
        AccessKey leaked = admin.createAccessKey(r -> r.userName(user)).accessKey();
        key = new AccessKeyId(leaked.accessKeyId());
        leakedSecret = leaked.secretAccessKey();
    }

    @AfterEach
    void close() throws Exception {
        if (bot != null) {
            bot.close();
        }
        for (AutoCloseable client : clients) {
            client.close();
        }
    }

    @Test
    void deactivateWithoutUpdateAccessKey() throws IOException {
        IamClient iam = botIam("iam:UpdateAccessKey");
        IamAccessKeys keys = new IamAccessKeys(iam);
        StepId deactivate = offered(StepKind.DEACTIVATE_KEY, new DeactivateKeyStep(keys));

        deniedThenRetried(deactivate, "iam:UpdateAccessKey", () -> keys().get(0).status());
    }

    @Test
    void revokeSessionsWithoutPutUserPolicy() throws IOException {
        StepId revoke = offered(StepKind.REVOKE_SESSIONS,
                new RevokeSessionsStep(new IamInlinePolicies(botIam("iam:PutUserPolicy"))));

        deniedThenRetried(revoke, "iam:PutUserPolicy",
                () -> admin.listUserPolicies(r -> r.userName(user)).policyNames());
    }

    @Test
    void revokeRoleSessionsWithoutPutRolePolicy() throws IOException {
        String role = "deploy-" + suffix;
        String roleArn = admin.createRole(r -> r.roleName(role).assumeRolePolicyDocument(TRUST)).role().arn();
        IamClient iam = botIam("iam:PutRolePolicy");
        bot = new ApprovalHarness(dir, key, user, List.of(new RevokeRoleSessionsStep(new IamInlinePolicies(iam),
                new IamRoles(iam))));
        DerivedCredential assumed = new DerivedCredential("ASIAEXAMPLE" + suffix.toUpperCase(), key.value(),
                "AssumeRole", roleArn, "exfil", null, null, null, Instant.now(), "us-east-1");
        bot.store.update(bot.id, i -> i.withFindings(new Findings(null, Instant.now(), 1, List.of(),
                List.of(assumed), List.of(), List.of())));
        StepId revoke = new StepId(StepKind.REVOKE_ROLE_SESSIONS, roleArn);
        bot.offers.offer(bot.id, revoke);

        deniedThenRetried(revoke, "iam:PutRolePolicy",
                () -> admin.listRolePolicies(r -> r.roleName(role)).policyNames());
    }

    @Test
    void quarantineWithoutAttachUserPolicy() throws IOException {
        StepId quarantine = offered(StepKind.QUARANTINE, new QuarantineStep(
                new IamUserQuarantine(botIam("iam:AttachUserPolicy")), QuarantinePolicies.standard(AccessLevels.standard())));

        deniedThenRetried(quarantine, "iam:AttachUserPolicy", () -> admin.listAttachedUserPolicies(
                r -> r.userName(user)).attachedPolicies().stream().map(AttachedPolicy::policyArn).toList());
    }

    @Test
    void rotateWithoutCreateAccessKeyAndNoNewSecretLeaksOnTheRetry() throws IOException {
        StepId rotate = offered(StepKind.ROTATE_KEY, rotation(botIam("iam:CreateAccessKey")));

        String logs = deniedThenRetried(rotate, "iam:CreateAccessKey",
                () -> keys().stream().map(AccessKeyMetadata::accessKeyId).toList());

        try (SecretsManagerClient asAdmin = moto.secretsManager(moto.admin())) {
            String created = asAdmin.getSecretValue(r -> r.secretId(RotateKeyStep.secretName(bot.incident())))
                    .secretString();
            String newSecret = created.replaceAll(".*\"SecretAccessKey\":\"([^\"]+)\".*", "$1");
            assertNotEquals(created, newSecret, "the stored secret was found");
            assertNoSecretIn(logs, newSecret);
        }
    }

    @Test
    void rotateWithoutSimulatePrincipalPolicyWaitsWhileTheLeakedKeyIsActiveAndRunsOnceGranted() throws IOException {
        StepId rotate = offered(StepKind.ROTATE_KEY, rotation(botIam("iam:SimulatePrincipalPolicy")));
        String logs;
        try (LogCapture capture = LogCapture.start()) {
            bot.approve(rotate, "U0SECOND");

            StepState waiting = bot.incident().step(rotate).orElseThrow();
            assertEquals(StepState.Status.FAILED, waiting.status(), String.valueOf(waiting.outcome()));
            assertTrue(waiting.outcome().summary().startsWith("Rotation waits: the leaked key " + key + " is still "
                    + "Active, and the bot could not ask IAM's policy simulator whether user " + user + " may read "
                    + "the new key's secret (iam:SimulatePrincipalPolicy: AccessDenied — User: arn:aws:iam::"
                    + "123456789012:user/" + botUser + " is not authorized to perform: iam:SimulatePrincipalPolicy"),
                    waiting.outcome().summary());
            assertTrue(waiting.outcome().nextStep().endsWith("Or grant the bot iam:SimulatePrincipalPolicy."),
                    waiting.outcome().nextStep());
            assertEquals(1, keys().size(), "no key was created");
            assertFalse(secretExists(), "no secret was created");

            moto.allow(botUser, BotPolicy.actions());
            bot.approve(rotate, "U0SECOND");
            logs = capture.text();
        }
        assertEquals(StepState.Status.SUCCEEDED, bot.incident().step(rotate).orElseThrow().status());
        assertEquals(2, keys().size());
        assertNoSecretIn(logs, leakedSecret);
        assertNoSecretIn(logs, botCredentials.resolveCredentials().secretAccessKey());
    }

    @Test
    void liftQuarantineWithoutDetachUserPolicy() throws IOException {
        admin.updateAccessKey(r -> r.userName(user).accessKeyId(key.value()).status(StatusType.INACTIVE));
        admin.putUserPolicy(r -> r.userName(user).policyName(RevocationPolicies.USER_POLICY)
                .policyDocument(RevocationPolicies.user(Instant.now())));
        admin.attachUserPolicy(r -> r.userName(user).policyArn(QuarantineStep.V3));
        IamClient iam = botIam("iam:DetachUserPolicy");
        StepId lift = offered(StepKind.LIFT_QUARANTINE, new LiftQuarantineStep(new IamUserQuarantine(iam),
                new IamAccessKeys(iam)));

        deniedThenRetried(lift, "iam:DetachUserPolicy", () -> admin.listAttachedUserPolicies(
                r -> r.userName(user)).attachedPolicies().stream().map(AttachedPolicy::policyArn).toList());
    }

    @Test
    void deleteOldKeyWithoutDeleteAccessKey() throws IOException {
        IamClient iam = botIam("iam:DeleteAccessKey");
        IamAccessKeys keys = new IamAccessKeys(iam);
        DeleteOldKeyStep retirement = new DeleteOldKeyStep(keys, new IamOldKeys(iam, keys));
        bot = new ApprovalHarness(dir, key, user, List.of(new DeactivateKeyStep(keys), rotation(iam), retirement));
        for (StepKind before : List.of(StepKind.DEACTIVATE_KEY, StepKind.ROTATE_KEY)) {
            bot.offers.offer(bot.id, StepId.of(before));
            bot.approve(StepId.of(before), "U0APPROVER");
        }
        StepId delete = StepId.of(StepKind.DELETE_OLD_KEY);
        assertEquals(StepState.Status.OFFERED, bot.incident().step(delete).orElseThrow().status());

        deniedThenRetried(delete, "iam:DeleteAccessKey",
                () -> keys().stream().map(AccessKeyMetadata::accessKeyId).toList());
    }

    @Test
    void cleanUpWithoutTerminateInstances() throws IOException {
        Ec2Client asAdmin = client(moto.ec2(moto.admin()));
        String instance = asAdmin.runInstances(r -> r.imageId("ami-12c6146b").minCount(1).maxCount(1))
                .instances().get(0).instanceId();
        IamClient iam = botIam("ec2:TerminateInstances");
        Ec2Client ec2 = client(moto.ec2(botCredentials));
        bot = new ApprovalHarness(dir, key, user, List.of(new CleanUpStep(new AttackerResourceRemoval(iam,
                region -> ec2, region -> {
                    throw new AssertionError("an instance's clean-up needs no Lambda");
                }))));
        AffectedResource started = new AffectedResource(AffectedResource.Kind.EC2_INSTANCE, instance, null,
                AffectedResource.Action.CREATED, "us-east-1", "RunInstances", "e-1", Instant.now(), key.value(), null, null);
        bot.store.update(bot.id, i -> i.withFindings(new Findings(null, Instant.now(), 1, List.of(started),
                List.of(), List.of(), List.of())));
        StepId cleanUp = new StepId(StepKind.CLEAN_UP, started.target());
        bot.offers.offer(bot.id, cleanUp);

        deniedThenRetried(cleanUp, "ec2:TerminateInstances", () -> asAdmin.describeInstances(
                r -> r.instanceIds(instance)).reservations().get(0).instances().get(0).state().name());
    }

    /**
     * Clicks the step, which fails for the missing permission without changing {@code awsState}; grants it; clicks
     * again, which succeeds and changes it. No known secret is in the logs, the incident or what the thread was sent.
     *
     * @return the logs of both clicks
     */
    private String deniedThenRetried(StepId step, String missing, Supplier<?> awsState) throws IOException {
        Object before = awsState.get();
        String logs;
        try (LogCapture capture = LogCapture.start()) {
            bot.approve(step, "U0SECOND");

            StepState failed = bot.incident().step(step).orElseThrow();
            assertEquals(StepState.Status.FAILED, failed.status(), String.valueOf(failed.outcome()));
            assertEquals("AWS answered with an error to " + missing + ": AccessDenied — User: arn:aws:iam::"
                    + "123456789012:user/" + botUser + " is not authorized to perform: " + missing,
                    failed.outcome().summary());
            assertTrue(failed.outcome().nextStep().startsWith("The bot's role lacks " + missing + " "),
                    failed.outcome().nextStep());
            assertEquals(before, awsState.get(), "AWS is as it was");

            moto.allow(botUser, BotPolicy.actions());
            bot.approve(step, "U0SECOND");
            logs = capture.text();
        }
        StepState retried = bot.incident().step(step).orElseThrow();
        assertEquals(StepState.Status.SUCCEEDED, retried.status(), String.valueOf(retried.outcome()));
        assertNotEquals(before, awsState.get(), "the retry changed AWS");
        assertEquals(2, bot.approvals(step));
        assertTrue(logs.contains(missing + ": AccessDenied"), "the failure is logged: " + logs);
        assertNoSecretIn(logs, leakedSecret);
        assertNoSecretIn(logs, botCredentials.resolveCredentials().secretAccessKey());
        assertNoSecretIn(logs, moto.admin().resolveCredentials().secretAccessKey());
        return logs;
    }

    private void assertNoSecretIn(String logs, String secret) {
        assertFalse(logs.contains(secret), "a secret in the logs");
        assertFalse(bot.incident().toString().contains(secret), "a secret in the incident or its audit trail");
        assertFalse(mockingDetails(bot.channel).getInvocations().toString().contains(secret),
                "a secret sent to the thread");
    }

    /**
     * The bot signs as an IAM user allowed its own policy's actions but {@code missing}; its IAM client sends
     * simulations to the fake simulator.
     */
    private IamClient botIam(String missing) throws IOException {
        Set<String> granted = new TreeSet<>(BotPolicy.actions());
        assertTrue(granted.remove(missing), missing + " is in the bot's policy");
        botUser = "bot-" + suffix;
        botCredentials = moto.userAllowed(botUser, granted);
        return client(moto.iam(botCredentials, simulator.routing()));
    }

    /** The rotation as the bot user; no slack-user-id tag on the user, so the owner is never messaged. */
    private RotateKeyStep rotation(IamClient iam) {
        SecretsManagerVault vault = new SecretsManagerVault(client(moto.secretsManager(botCredentials)),
                () -> BotPrincipal.ofCaller("123456789012", "arn:aws:iam::123456789012:user/" + botUser));
        return new RotateKeyStep(new IamKeyRotation(iam), vault, new IamPolicySimulation(iam),
                new IamUserQuarantine(iam), mock(IncidentChannel.class), Clock.systemUTC());
    }

    private boolean secretExists() {
        try (SecretsManagerClient asAdmin = moto.secretsManager(moto.admin())) {
            asAdmin.describeSecret(r -> r.secretId(RotateKeyStep.secretName(bot.incident())));
            return true;
        } catch (ResourceNotFoundException absent) {
            return false;
        }
    }

    private StepId offered(StepKind kind, RemediationStep step) {
        bot = new ApprovalHarness(dir, key, user, List.of(step));
        bot.offers.offer(bot.id, StepId.of(kind));
        return StepId.of(kind);
    }

    private <C extends AutoCloseable> C client(C client) {
        clients.add(client);
        return client;
    }

    private List<AccessKeyMetadata> keys() {
        return admin.listAccessKeys(r -> r.userName(user)).accessKeyMetadata();
    }
}
