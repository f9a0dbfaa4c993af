package com.leakedkeybot.remediation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leakedkeybot.aws.IamAccessKeys;
import com.leakedkeybot.aws.IamKeyRotation;
import com.leakedkeybot.aws.IamOldKeys;
import com.leakedkeybot.aws.SecretsManagerVault;
import com.leakedkeybot.key.AccessKeyId;
import com.leakedkeybot.slack.ChannelPacer;
import com.leakedkeybot.slack.RateLimitRetry;
import com.leakedkeybot.slack.SlackIncidentChannel;
import com.leakedkeybot.slack.blocks.IncidentMessages;
import com.leakedkeybot.slack.blocks.InvestigationMessages;
import com.leakedkeybot.step.StepId;
import com.leakedkeybot.step.StepKind;
import com.leakedkeybot.step.StepState;
import com.leakedkeybot.testkit.ApprovalHarness;
import com.leakedkeybot.testkit.AwsProxy;
import com.leakedkeybot.testkit.AwsTestClients;
import com.leakedkeybot.testkit.FakeSlackApi;
import com.leakedkeybot.testkit.LogCapture;
import com.leakedkeybot.testkit.MotoServer;
import com.leakedkeybot.testkit.RecordedCall;
import com.leakedkeybot.testkit.RecordedIam;
import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
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
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;


/**
 * Rotation against moto (IAM, Secrets Manager) with the owner's direct message going through the real Slack channel
 * adapter to the fake Slack API: the new key exists, its secret is in Secrets Manager, and nowhere else.
 */
class RotateKeyMotoTest {

    private static final StepId ROTATE = StepId.of(StepKind.ROTATE_KEY);
    private static final StepId DELETE = StepId.of(StepKind.DELETE_OLD_KEY);
    private static final String TOKEN = "xoxb-rotate-test";
    private static IamClient iam;
    private static SecretsManagerClient secrets;
    private static FakeSlackApi fakeSlack;
    private static Slack slack;

    @TempDir
    Path dir;

    private ApprovalHarness bot;
    private String user;
    private AccessKeyId leaked;

    @BeforeAll
    static void start() throws Exception {
        iam = AwsTestClients.iam(MotoServer.shared().endpoint());
        secrets = AwsTestClients.secretsManager(MotoServer.shared().endpoint());
        fakeSlack = FakeSlackApi.start(TOKEN);
        SlackConfig config = new SlackConfig();
        config.setMethodsEndpointUrlPrefix(fakeSlack.apiUrl());
        slack = Slack.getInstance(config);
    }

    @AfterAll
    static void stop() throws Exception {
        slack.close();
        fakeSlack.close();
    }

    @BeforeEach
    void incident() {
        fakeSlack.reset();
        user = "app-" + UUID.randomUUID().toString().substring(0, 8);
        iam.createUser(r -> r.userName(user));
        leaked = new AccessKeyId(iam.createAccessKey(r -> r.userName(user)).accessKey().accessKeyId());
        bot = botOn(iam, dir);
    }

    /** The bot with its IAM calls going through {@code botIam}, the rotation offered. */
    private ApprovalHarness botOn(IamClient botIam, Path state) {
        SlackIncidentChannel owners = new SlackIncidentChannel(slack.methods(TOKEN), new IncidentMessages(),
                new InvestigationMessages(), "C0INCIDENT", new RateLimitRetry(3, Duration.ofSeconds(5)),
                new ChannelPacer(Duration.ofMillis(10), 5));
        IamAccessKeys keys = new IamAccessKeys(botIam);
        DeleteOldKeyStep retirement = new DeleteOldKeyStep(keys, new IamOldKeys(botIam, keys));
        ApprovalHarness harness = new ApprovalHarness(state, leaked, user, List.of(new RotateKeyStep(
                new IamKeyRotation(botIam), new SecretsManagerVault(secrets), owners),
                new DeactivateKeyStep(keys), new ReactivateKeyStep(keys), retirement));
        harness.offers.offer(harness.id, ROTATE);
        return harness;
    }

    @AfterEach
    void close() throws Exception {
        bot.close();
    }

    @Test
    void simultaneousApproversCreateOneKeyWhoseSecretReachesOnlySecretsManagerAndTheOwnerLearnsWhere()
            throws Exception {
        iam.tagUser(r -> r.userName(user).tags(t -> t.key(IamKeyRotation.SLACK_USER_TAG).value("U0OWNER")));

        String logs;
        try (LogCapture capture = LogCapture.start()) {
            bot.clickTogether(ROTATE);
            logs = capture.text();
        }

        assertEquals(1, bot.approvals(ROTATE));
        List<String> keys = keys().stream().map(AccessKeyMetadata::accessKeyId).toList();
        assertEquals(2, keys.size(), "the leaked key and exactly one new key");
        String created = keys.stream().filter(k -> !k.equals(leaked.value())).findFirst().orElseThrow();
        JsonNode stored = new ObjectMapper().readTree(secrets.getSecretValue(
                r -> r.secretId(RotateKeyStep.secretName(bot.incident()))).secretString());
        assertEquals(created, stored.path("AccessKeyId").asText());
        String secret = stored.path("SecretAccessKey").asText();
        assertTrue(secret.length() >= 20, "moto returned a real-looking secret");
        String arn = secrets.describeSecret(r -> r.secretId(RotateKeyStep.secretName(bot.incident()))).arn();

        RecordedCall dm = fakeSlack.calls("chat.postMessage").get(0);
        assertEquals("D0OWNER", dm.params().get("channel"));
        assertTrue(dm.rawBody().contains(created) || dm.params().get("blocks").contains(created));
        assertTrue(dm.params().get("blocks").contains(arn), dm.params().get("blocks"));
        assertEquals(List.of(), fakeSlack.rejected());
        for (RecordedCall call : fakeSlack.calls()) {
            assertFalse(call.rawBody().contains(secret), "secret sent to Slack in " + call.method());
        }
        assertFalse(logs.contains(secret), "secret in the logs");
        String outcome = bot.incident().step(ROTATE).orElseThrow().outcome().summary();
        assertTrue(outcome.contains(arn) && outcome.contains("told privately"), outcome);
        assertFalse(bot.incident().toString().contains(secret), "secret in the incident or its audit trail");
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertFalse(Files.readString(file).contains(secret), "secret in the state journal " + file);
            }
        }
    }

    @Test
    void withoutAKnownOwnerTheSecretWaitsInSecretsManagerAndNobodyIsMessaged() {
        bot.approve(ROTATE, "U0APPROVER");

        StepState done = bot.incident().step(ROTATE).orElseThrow();
        assertEquals(StepState.Status.SUCCEEDED, done.status());
        assertTrue(done.outcome().summary().contains("owner's Slack account is unknown"), done.outcome().summary());
        assertEquals(List.of(), fakeSlack.calls("conversations.open"));
        assertEquals(2, keys().size());
    }

    @Test
    void aUserWithTwoKeysIsToldWhichKeyMustGoAndNothingIsCreated() {
        String other = iam.createAccessKey(r -> r.userName(user)).accessKey().accessKeyId();

        bot.approve(ROTATE, "U0APPROVER");

        StepState failed = bot.incident().step(ROTATE).orElseThrow();
        assertEquals(StepState.Status.FAILED, failed.status());
        assertTrue(failed.outcome().nextStep().startsWith("Delete " + other), failed.outcome().nextStep());
        assertEquals(2, keys().size());
        assertTrue(new SecretsManagerVault(secrets).arnOf(RotateKeyStep.secretName(bot.incident())).isEmpty());
    }

    @Test
    void aSecondKeyCreatedBetweenTheCheckAndTheCreationFailsWithIamsLimitAndNothingIsStored() throws Exception {
        AtomicBoolean raced = new AtomicBoolean();
        try (AwsProxy aws = AwsProxy.start(MotoServer.shared().endpoint(), operation -> {
            if (operation.equals("iam:CreateAccessKey") && raced.compareAndSet(false, true)) {
                iam.createAccessKey(r -> r.userName(user));
            }
            return true;
        }); IamClient proxied = AwsTestClients.iam(aws.endpoint())) {
            bot.close();
            bot = botOn(proxied, dir.resolve("raced"));

            bot.approve(ROTATE, "U0APPROVER");
        }

        StepState failed = bot.incident().step(ROTATE).orElseThrow();
        assertEquals(StepState.Status.FAILED, failed.status());
        assertTrue(failed.outcome().summary().contains("iam:CreateAccessKey: LimitExceeded"), failed.outcome().summary());
        assertTrue(failed.outcome().nextStep().startsWith("An IAM limit was hit"), failed.outcome().nextStep());
        assertEquals(2, keys().size(), "the leaked key and the one created in the race");
        assertTrue(new SecretsManagerVault(secrets).arnOf(RotateKeyStep.secretName(bot.incident())).isEmpty());
    }

    @Test
    void aUserDeletedMeanwhileFailsWithNoSuchEntityAndNothingIsCreated() {
        iam.deleteAccessKey(r -> r.userName(user).accessKeyId(leaked.value()));
        iam.deleteUser(r -> r.userName(user));

        bot.approve(ROTATE, "U0APPROVER");

        StepState failed = bot.incident().step(ROTATE).orElseThrow();
        assertEquals(StepState.Status.FAILED, failed.status());
        assertTrue(failed.outcome().summary().contains("iam:ListAccessKeys: NoSuchEntity"), failed.outcome().summary());
        assertTrue(failed.outcome().nextStep().startsWith("The key or its user no longer exists"));
        assertTrue(new SecretsManagerVault(secrets).arnOf(RotateKeyStep.secretName(bot.incident())).isEmpty());
    }

    @Test
    void anOldKeyDeletedByHandBetweenTheChecksAndTheDeletionFailsWithNoSuchEntity() throws Exception {
        try (AwsProxy aws = AwsProxy.start(MotoServer.shared().endpoint(), operation -> {
            if (operation.equals("iam:DeleteAccessKey")) {
                iam.deleteAccessKey(r -> r.userName(user).accessKeyId(leaked.value()));
            }
            return true;
        }); IamClient proxied = AwsTestClients.iam(aws.endpoint())) {
            bot.close();
            bot = botOn(proxied, dir.resolve("raced"));
            deactivateThenRotate();

            bot.approve(DELETE, "U0SECOND");
        }

        StepState failed = bot.incident().step(DELETE).orElseThrow();
        assertEquals(StepState.Status.FAILED, failed.status());
        assertTrue(failed.outcome().summary().contains("iam:DeleteAccessKey: NoSuchEntity"), failed.outcome().summary());
        assertTrue(failed.outcome().nextStep().contains("Check CloudTrail for who deleted it"));
        assertEquals(1, keys().size(), "only the new key is left");
    }

    @Test
    void theOldKeyIsOfferedForDeletionOnlyOnceRotatedAndInactiveAndASecondPersonDeletesIt() {
        deactivateThenRotate();
        assertEquals(StepState.Status.OFFERED, bot.incident().step(DELETE).orElseThrow().status());

        bot.approve(DELETE, ApprovalHarness.REPORTER);
        assertEquals(StepState.Status.OFFERED, bot.incident().step(DELETE).orElseThrow().status(),
                "the reporter alone never deletes");
        assertTrue(keys().stream().anyMatch(k -> k.accessKeyId().equals(leaked.value())));

        bot.approve(DELETE, "U0SECOND");
        assertEquals(StepState.Status.SUCCEEDED, bot.incident().step(DELETE).orElseThrow().status());
        List<String> left = keys().stream().map(AccessKeyMetadata::accessKeyId).toList();
        assertEquals(1, left.size());
        assertFalse(left.contains(leaked.value()));
    }

    @ParameterizedTest(name = "clicks by {0}")
    @MethodSource("com.leakedkeybot.testkit.ApprovalHarness#races")
    void racingClicksDeleteTheOldKeyOnceAndTheOtherIsToldWhy(List<String> clickers) throws Exception {
        try (RecordedIam recorded = RecordedIam.atSharedMoto()) {
            bot.close();
            bot = botOn(recorded.iam(), dir.resolve("recorded"));
            deactivateThenRotate();

            bot.clickTogether(DELETE, clickers);

            bot.assertRanOnceAndRefusedTheRest(DELETE, clickers);
            assertEquals(1, recorded.aws().count("iam:DeleteAccessKey", leaked.value()),
                    recorded.aws().calls().toString());
        }
        assertFalse(keys().stream().anyMatch(k -> k.accessKeyId().equals(leaked.value())));
        assertEquals(1, keys().size(), "the new key stays");
    }

    @Test
    void aKeyActiveAgainIsNotDeletedEvenFromAnOfferedButton() {
        deactivateThenRotate();
        iam.updateAccessKey(r -> r.userName(user).accessKeyId(leaked.value()).status("Active"));

        bot.approve(DELETE, "U0SECOND");

        StepState refused = bot.incident().step(DELETE).orElseThrow();
        assertEquals(StepState.Status.FAILED, refused.status());
        assertTrue(refused.outcome().summary().contains("IAM shows the key Active"), refused.outcome().summary());
        assertTrue(keys().stream().anyMatch(k -> k.accessKeyId().equals(leaked.value())));
    }

    @Test
    void aRestartMidRotationFindsTheStoredSecretAndCreatesNoSecondKey() {
        bot.approve(ROTATE, "U0APPROVER");

        StepState rechecked = bot.restartMidStep(ROTATE);

        assertEquals(StepState.Status.SUCCEEDED, rechecked.status());
        assertTrue(rechecked.outcome().summary().contains("confirmed by reading AWS after a restart"));
        assertEquals(2, keys().size());
    }

    /** Containment, then the rotation: the order in which the old key's deletion becomes possible. */
    private void deactivateThenRotate() {
        StepId deactivate = StepId.of(StepKind.DEACTIVATE_KEY);
        bot.offers.offer(bot.id, deactivate);
        bot.approve(deactivate, "U0APPROVER");
        assertTrue(bot.incident().step(DELETE).isEmpty(), "no new key yet: the old one must stay");
        bot.approve(ROTATE, "U0APPROVER");
    }

    private List<AccessKeyMetadata> keys() {
        return iam.listAccessKeys(r -> r.userName(user)).accessKeyMetadata();
    }
}
