package com.leakedkeybot.remediation;

import com.leakedkeybot.testkit.SharedMoto;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leakedkeybot.LeakedKeyBot;
import com.leakedkeybot.aws.IamAccessKeys;
import com.leakedkeybot.aws.IamKeyRotation;
import com.leakedkeybot.aws.IamOldKeys;
import com.leakedkeybot.aws.IamPolicySimulation;
import com.leakedkeybot.aws.IamUserQuarantine;
import com.leakedkeybot.aws.KeyAccountLookup;
import com.leakedkeybot.aws.SecretsManagerVault;
import com.leakedkeybot.key.AccessKeyId;
import com.leakedkeybot.sandbox.FakeSlackApi;
import com.leakedkeybot.sandbox.MotoServer;
import com.leakedkeybot.sandbox.RecordedCall;
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
import com.leakedkeybot.testkit.FakePolicySimulator;
import com.leakedkeybot.testkit.LogCapture;
import com.leakedkeybot.testkit.RecordedIam;
import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.Tag;
import software.amazon.awssdk.services.sts.StsClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;


/**
 * Rotation against moto (IAM, Secrets Manager; IAM's policy simulator from {@link FakePolicySimulator}) with the
 * owner's direct message going through the real Slack channel adapter to the fake Slack API: the new key exists, its
 * secret is in Secrets Manager, guarded, and nowhere else. The bot runs as a role session, as in production.
 */
class RotateKeyMotoTest {

    private static final StepId ROTATE = StepId.of(StepKind.ROTATE_KEY);
    private static final StepId DELETE = StepId.of(StepKind.DELETE_OLD_KEY);
    private static final StepId DEACTIVATE = StepId.of(StepKind.DEACTIVATE_KEY);
    private static final String TOKEN = "xoxb-rotate-test";
    /** The rotation's clock: a fixed day, so the deletion date is known. */
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T23:59:30Z"), ZoneOffset.UTC);
    private static final String DELETE_AFTER = "2026-12-05";
    private static final String READS_SECRETS = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"arn:aws:secretsmanager:*:*:secret:"
            + "leaked-key-bot/*\"}]}";
    private static IamClient iam;
    private static SecretsManagerClient secrets;
    /** Between the bot's IAM and Secrets Manager clients and moto: what the bot asked, in order. */
    private static AwsProxy recorder;
    private static SecretsManagerClient botSecrets;
    private static FakeSlackApi fakeSlack;
    private static Slack slack;
    private static FakePolicySimulator simulator;
    private static IamClient botIam;
    private static StsClient botSts;
    private static String botRole;

    @TempDir
    Path dir;

    private ApprovalHarness bot;
    private String user;
    private AccessKeyId leaked;
    private int simulationsBefore;

    @BeforeAll
    static void start() throws Exception {
        URI moto = SharedMoto.get().endpoint();
        iam = AwsTestClients.iam(moto);
        secrets = AwsTestClients.secretsManager(moto);
        fakeSlack = FakeSlackApi.start(TOKEN);
        SlackConfig config = new SlackConfig();
        config.setMethodsEndpointUrlPrefix(fakeSlack.apiUrl());
        slack = Slack.getInstance(config);
        simulator = FakePolicySimulator.start(iam);
        recorder = AwsProxy.start(moto);
        botIam = simulator.iam(recorder.endpoint());
        botSecrets = AwsTestClients.secretsManager(recorder.endpoint());
        botRole = "LeakedKeyBot-" + UUID.randomUUID().toString().substring(0, 8);
        String roleArn = iam.createRole(r -> r.roleName(botRole).assumeRolePolicyDocument("{\"Version\":"
                + "\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
                + "\"arn:aws:iam::123456789012:root\"},\"Action\":\"sts:AssumeRole\"}]}")).role().arn();
        botSts = AwsTestClients.stsAsRole(moto, roleArn);
    }

    @AfterAll
    static void stop() throws Exception {
        slack.close();
        fakeSlack.close();
        botIam.close();
        botSecrets.close();
        botSts.close();
        simulator.close();
        recorder.close();
    }

    @BeforeEach
    void incident() {
        fakeSlack.reset();
        user = "app-" + UUID.randomUUID().toString().substring(0, 8);
        iam.createUser(r -> r.userName(user));
        leaked = new AccessKeyId(iam.createAccessKey(r -> r.userName(user)).accessKey().accessKeyId());
        bot = botOn(botIam, dir);
        simulationsBefore = simulator.simulations();
    }

    /** The bot with its IAM calls going through {@code throughIam}, the rotation offered. */
    private ApprovalHarness botOn(IamClient throughIam, Path state) {
        SlackIncidentChannel owners = new SlackIncidentChannel(slack.methods(TOKEN), new IncidentMessages(),
                new InvestigationMessages(), "C0INCIDENT", new RateLimitRetry(3, Duration.ofSeconds(5)),
                new ChannelPacer(Duration.ofMillis(10), 5));
        IamAccessKeys keys = new IamAccessKeys(throughIam);
        DeleteOldKeyStep retirement = new DeleteOldKeyStep(keys, new IamOldKeys(throughIam, keys));
        ApprovalHarness harness = new ApprovalHarness(state, leaked, user, List.of(new RotateKeyStep(
                new IamKeyRotation(throughIam), new SecretsManagerVault(botSecrets, new KeyAccountLookup(botSts)::self),
                new IamPolicySimulation(throughIam), new IamUserQuarantine(throughIam), owners, CLOCK),
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
        recorder.reset();
        try (LogCapture capture = LogCapture.start()) {
            bot.clickTogether(ROTATE);
            logs = capture.text();
        }

        assertEquals(1, bot.approvals(ROTATE));
        assertEquals(List.of("secretsmanager:CreateSecret", "secretsmanager:PutResourcePolicy",
                "secretsmanager:TagResource", "iam:CreateAccessKey", "secretsmanager:PutSecretValue"),
                recorder.calls().stream().filter(call -> call.startsWith("secretsmanager:")
                        && !call.endsWith(":DescribeSecret") || call.equals("iam:CreateAccessKey")).toList(),
                "the secret is guarded before the key exists, and filled last");
        assertEquals(1, simulations(), "the leaked key was active: IAM's simulator was asked, once");
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
        assertTrue(dm.params().get("blocks").contains("by " + DELETE_AFTER + " (UTC)"), dm.params().get("blocks"));
        String outcome = bot.incident().step(ROTATE).orElseThrow().outcome().summary();
        assertTrue(outcome.contains(arn) && outcome.contains("told privately"), outcome);
        assertFalse(outcome.contains("quarantine"), "no quarantine on the user, none mentioned: " + outcome);
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
    void whileTheLeakedKeyMayReadTheSecretTheRotationWaitsSaysWhyAndRunsOnceTheKeyIsInactive() {
        iam.putUserPolicy(r -> r.userName(user).policyName("reads-secrets").policyDocument(READS_SECRETS));

        bot.approve(ROTATE, "U0APPROVER");

        StepState waiting = bot.incident().step(ROTATE).orElseThrow();
        assertEquals(StepState.Status.FAILED, waiting.status(), "failed, so its button offers a retry");
        assertTrue(waiting.outcome().summary().startsWith("Rotation waits: the leaked key " + leaked + " is still "
                + "Active, and IAM's policy simulator says user " + user + "'s policies allow "
                + "secretsmanager:GetSecretValue on arn:aws:secretsmanager:us-east-1:123456789012:secret:"
                + RotateKeyStep.secretName(bot.incident()) + "-*"), waiting.outcome().summary());
        assertTrue(waiting.outcome().nextStep().startsWith("Deactivate the leaked key"), waiting.outcome().nextStep());
        assertEquals(1, keys().size(), "no new key");
        assertTrue(secret().isEmpty(), "no secret");

        bot.offers.offer(bot.id, DEACTIVATE);
        bot.approve(DEACTIVATE, "U0APPROVER");
        bot.approve(ROTATE, "U0SECOND");

        StepState rotated = bot.incident().step(ROTATE).orElseThrow();
        assertEquals(StepState.Status.SUCCEEDED, rotated.status(), String.valueOf(rotated.outcome()));
        assertEquals(2, keys().size());
        assertEquals(1, simulations(), "an inactive key needs no simulation");
    }

    @Test
    void anExplicitDenyOfTheSecretLetsTheRotationRunWhileTheKeyIsActive() {
        iam.putUserPolicy(r -> r.userName(user).policyName("secrets-but-not-ours").policyDocument("{\"Version\":"
                + "\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"secretsmanager:*\","
                + "\"Resource\":\"*\"},{\"Effect\":\"Deny\",\"Action\":\"secretsmanager:GetSecretValue\","
                + "\"Resource\":\"arn:aws:secretsmanager:*:*:secret:leaked-key-bot/*\"}]}"));

        bot.approve(ROTATE, "U0APPROVER");

        StepState rotated = bot.incident().step(ROTATE).orElseThrow();
        assertEquals(StepState.Status.SUCCEEDED, rotated.status(), String.valueOf(rotated.outcome()));
        assertEquals(2, keys().size());
    }

    @Test
    void readingAllowedUnderAConditionTheSimulationCannotCheckCountsAsReadable() {
        iam.putUserPolicy(r -> r.userName(user).policyName("reads-from-the-office").policyDocument("{\"Version\":"
                + "\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"secretsmanager:*\","
                + "\"Resource\":\"*\",\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"203.0.113.0/24\"}}}]}"));

        bot.approve(ROTATE, "U0APPROVER");

        StepState waiting = bot.incident().step(ROTATE).orElseThrow();
        assertEquals(StepState.Status.FAILED, waiting.status());
        assertTrue(waiting.outcome().summary().contains("IAM's policy simulator cannot tell whether user " + user
                + " may use secretsmanager:GetSecretValue"), waiting.outcome().summary());
        assertEquals(1, keys().size());
        assertTrue(secret().isEmpty());
    }

    @Test
    void theSecretLetsInOnlyItsUserAndTheBotsRoleAndIsTaggedWithItsDeletionDate() throws Exception {
        bot.approve(ROTATE, "U0APPROVER");

        String name = RotateKeyStep.secretName(bot.incident());
        JsonNode statements = new ObjectMapper().readTree(secrets.getResourcePolicy(r -> r.secretId(name))
                .resourcePolicy()).path("Statement");
        assertEquals(1, statements.size());
        JsonNode deny = statements.get(0);
        assertEquals("Deny", deny.path("Effect").asText());
        assertEquals("*", deny.path("Principal").asText());
        assertEquals(List.of("arn:aws:iam::123456789012:user/" + user, "arn:aws:iam::123456789012:user/*/" + user,
                        "arn:aws:iam::123456789012:role/" + botRole, "arn:aws:iam::123456789012:role/*/" + botRole),
                strings(deny.path("Condition").path("ArnNotLike").path("aws:PrincipalArn")),
                "everyone is denied but the key's user and the bot's role, at any path");
        List<String> leftToOthers = strings(deny.path("NotAction"));
        assertTrue(leftToOthers.contains("secretsmanager:DeleteSecret"), leftToOthers.toString());
        for (String denied : List.of("secretsmanager:GetSecretValue", "secretsmanager:PutResourcePolicy",
                "secretsmanager:DeleteResourcePolicy", "secretsmanager:PutSecretValue", "secretsmanager:RestoreSecret")) {
            assertFalse(leftToOthers.contains(denied), denied + " is left to others: " + leftToOthers);
        }
        assertEquals(List.of(DELETE_AFTER), secret().orElseThrow().tags().stream()
                .filter(tag -> tag.key().equals(SecretsManagerVault.DELETE_AFTER_TAG)).map(Tag::value).toList());
        String outcome = bot.incident().step(ROTATE).orElseThrow().outcome().summary();
        assertTrue(outcome.contains("only user " + user + " and the bot read it, and it is tagged to be deleted "
                + "after " + DELETE_AFTER), outcome);
    }

    @Test
    void anEmptySecretLeftByAnInterruptedRotationIsGuardedAndFilled() {
        secrets.createSecret(r -> r.name(RotateKeyStep.secretName(bot.incident())));

        bot.approve(ROTATE, "U0APPROVER");

        assertEquals(StepState.Status.SUCCEEDED, bot.incident().step(ROTATE).orElseThrow().status());
        assertEquals(2, keys().size());
        assertEquals(1, secret().orElseThrow().versionIdsToStages().size(), "filled once");
        assertTrue(secrets.getResourcePolicy(r -> r.secretId(RotateKeyStep.secretName(bot.incident())))
                .resourcePolicy().contains("OnlyTheKeyOwnerAndLeakedKeyBot"));
    }

    @Test
    void aSecretThatAlreadyHoldsAKeyIsNeitherOverwrittenNorJoinedByASecondKey() {
        String name = RotateKeyStep.secretName(bot.incident());
        secrets.createSecret(r -> r.name(name).secretString("{\"AccessKeyId\":\"AKIAEARLIER\"}"));

        bot.approve(ROTATE, "U0APPROVER");

        StepState failed = bot.incident().step(ROTATE).orElseThrow();
        assertEquals(StepState.Status.FAILED, failed.status());
        assertTrue(failed.outcome().summary().startsWith("Secrets Manager already holds a key's secret"),
                failed.outcome().summary());
        assertEquals(1, keys().size());
        assertEquals("{\"AccessKeyId\":\"AKIAEARLIER\"}", secrets.getSecretValue(r -> r.secretId(name)).secretString());
    }

    @Test
    void aQuarantineStillOnTheUserIsSaidToLimitTheNewKeyUntilLifted() {
        iam.attachUserPolicy(r -> r.userName(user).policyArn(QuarantineStep.V3));

        bot.approve(ROTATE, "U0APPROVER");

        String outcome = bot.incident().step(ROTATE).orElseThrow().outcome().summary();
        assertTrue(outcome.contains("AWS's quarantine is still on user " + user + " (AWSCompromisedKeyQuarantineV3): "
                + "it limits the new key as it does the leaked one"), outcome);
        assertTrue(outcome.contains("until it is lifted"), outcome);
    }

    @Test
    void aUserWithTwoKeysIsToldWhichKeyMustGoAndNothingIsCreated() {
        String other = iam.createAccessKey(r -> r.userName(user)).accessKey().accessKeyId();

        bot.approve(ROTATE, "U0APPROVER");

        StepState failed = bot.incident().step(ROTATE).orElseThrow();
        assertEquals(StepState.Status.FAILED, failed.status());
        assertTrue(failed.outcome().nextStep().startsWith("Delete " + other), failed.outcome().nextStep());
        assertEquals(2, keys().size());
        assertTrue(secret().isEmpty());
    }

    @Test
    void aSecondKeyCreatedBetweenTheCheckAndTheCreationFailsWithIamsLimitAndNothingIsStored() throws Exception {
        AtomicBoolean raced = new AtomicBoolean();
        try (AwsProxy aws = AwsProxy.start(SharedMoto.get().endpoint(), operation -> {
            if (operation.equals("iam:CreateAccessKey") && raced.compareAndSet(false, true)) {
                iam.createAccessKey(r -> r.userName(user));
            }
            return true;
        }); IamClient proxied = simulator.iam(aws.endpoint())) {
            bot.close();
            bot = botOn(proxied, dir.resolve("raced"));

            bot.approve(ROTATE, "U0APPROVER");
        }

        StepState failed = bot.incident().step(ROTATE).orElseThrow();
        assertEquals(StepState.Status.FAILED, failed.status());
        assertTrue(failed.outcome().summary().contains("iam:CreateAccessKey: LimitExceeded"), failed.outcome().summary());
        assertTrue(failed.outcome().nextStep().startsWith("An IAM limit was hit"), failed.outcome().nextStep());
        assertEquals(2, keys().size(), "the leaked key and the one created in the race");
        assertEquals(Map.of(), secret().orElseThrow().versionIdsToStages(), "the secret was prepared, never filled");
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
        assertTrue(secret().isEmpty());
    }

    @Test
    void anOldKeyDeletedByHandBetweenTheChecksAndTheDeletionFailsWithNoSuchEntity() throws Exception {
        try (AwsProxy aws = AwsProxy.start(SharedMoto.get().endpoint(), operation -> {
            if (operation.equals("iam:DeleteAccessKey")) {
                iam.deleteAccessKey(r -> r.userName(user).accessKeyId(leaked.value()));
            }
            return true;
        }); IamClient proxied = simulator.iam(aws.endpoint())) {
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

    private int simulations() {
        return simulator.simulations() - simulationsBefore;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    /** The incident's secret as moto describes it (never its value), if there is one. */
    private Optional<DescribeSecretResponse> secret() {
        try {
            return Optional.of(secrets.describeSecret(r -> r.secretId(RotateKeyStep.secretName(bot.incident()))));
        } catch (ResourceNotFoundException absent) {
            return Optional.empty();
        }
    }
}
