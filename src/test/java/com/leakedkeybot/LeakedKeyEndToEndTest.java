package com.leakedkeybot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.leakedkeybot.testkit.AwsCallRecorder;
import com.leakedkeybot.testkit.BotPolicy;
import com.leakedkeybot.testkit.AwsTestClients;
import com.leakedkeybot.testkit.FakeSlackApi;
import com.leakedkeybot.testkit.LogCapture;
import com.leakedkeybot.testkit.MotoServer;
import com.leakedkeybot.testkit.RecordedCall;
import com.leakedkeybot.testkit.RunningBot;
import com.leakedkeybot.testkit.SlackRequests;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.StatusType;

/**
 * The bot over real HTTP: signed requests in, a fake Slack Web API that enforces Slack's limits and the Block Kit
 * schema, and moto as the AWS account.
 */
class LeakedKeyEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    private static MotoServer moto;
    private static IamClient iam;

    private RunningBot bot;
    private FakeSlackApi slack;
    private SlackRequests requests;

    @BeforeAll
    static void startMoto() {
        moto = MotoServer.shared();
        iam = AwsTestClients.iam(moto.endpoint());
    }

    /** A bot per test, so that no test's background work (investigations) spills into the next. */
    @BeforeEach
    void startBot() throws Exception {
        AwsCallRecorder.reset();
        bot = RunningBot.start(moto, Map.of());
        slack = bot.slack();
        requests = bot.requests();
    }

    @AfterEach
    void slackAcceptedEverything() throws Exception {
        bot.close(); // waits for the incident work still queued
        assertEquals(List.of(), slack.rejected().stream().map(c -> c.method() + " " + c.error()).toList(),
                "the fake Slack refused a message the bot sent");
    }

    /** A fresh IAM user with one access key; returns the key id. */
    private static String leakedKeyOf(String user) {
        iam.createUser(r -> r.userName(user));
        return iam.createAccessKey(r -> r.userName(user)).accessKey().accessKeyId();
    }

    private static String uniqueUser() {
        return "dev-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static StatusType statusOf(String user, String keyId) {
        return iam.listAccessKeys(r -> r.userName(user)).accessKeyMetadata().stream()
                .filter(k -> k.accessKeyId().equals(keyId)).findFirst().orElseThrow().status();
    }

    private HttpResponse<String> report(String text) throws Exception {
        return requests.slashCommand(bot.eventsUrl(), Map.of("text", text, "user_id", "U0REPORTER"));
    }

    /** Waits for the thread reply that carries the step button, and returns it. */
    private RecordedCall stepMessage() throws InterruptedException {
        return slack.awaitCall("chat.postMessage", c -> c.ok() && c.blocks().toString().contains("step:deactivate"), WAIT);
    }

    /** The deactivate step of a fresh key that is then deleted behind the bot's back: approving it fails. */
    private RecordedCall stepOfAKeyDeletedSince() throws Exception {
        String user = uniqueUser();
        String keyId = leakedKeyOf(user);
        report(keyId);
        RecordedCall step = stepMessage();
        iam.deleteAccessKey(r -> r.userName(user).accessKeyId(keyId));
        return step;
    }

    private HttpResponse<String> click(RecordedCall step, String user) throws Exception {
        return requests.blockAction(bot.eventsUrl(), clickOn(step, user));
    }

    /** What Slack posts when {@code user} clicks the step's button. */
    private ObjectNode clickOn(RecordedCall step, String user) {
        JsonNode button = step.blocks().findParent("action_id");
        return SlackRequests.blockActionsPayload(user, RunningBot.INCIDENT_CHANNEL, step.response().path("ts").asText(),
                step.param("thread_ts"), button.path("action_id").asText(), "step-deactivate",
                button.path("value").asText(), slack.responseUrl("click-" + user));
    }

    @Test
    void aReportOpensAThreadWithTheKeyFactsAndADeactivateButton() throws Exception {
        String user = uniqueUser();
        String keyId = leakedKeyOf(user);

        HttpResponse<String> ack = report(keyId);

        assertEquals(200, ack.statusCode());
        assertTrue(ack.body().contains("\"response_type\":\"ephemeral\""), ack.body());
        assertTrue(ack.body().matches("(?s).*Incident \\*LK-\\d{8}-[A-Z2-7]{8}\\* opened.*"), ack.body());

        RecordedCall root = slack.awaitCall("chat.postMessage",
                c -> c.ok() && c.param("thread_ts") == null, WAIT);
        assertEquals(RunningBot.INCIDENT_CHANNEL, root.param("channel"));
        assertTrue(root.blocks().toString().contains(keyId));
        assertTrue(root.blocks().toString().contains("<@U0REPORTER>"));

        RecordedCall step = stepMessage();
        String rootTs = root.response().path("ts").asText();
        assertEquals(rootTs, step.param("thread_ts"));
        RecordedCall facts = slack.calls("chat.postMessage").stream()
                .filter(c -> c.blocks().toString().contains("What the bot knows")).findFirst().orElseThrow();
        String factsText = facts.blocks().toString();
        assertEquals(rootTs, facts.param("thread_ts"));
        assertTrue(factsText.contains("IAM user `" + user + "`"), factsText);
        assertTrue(factsText.contains("Active"), factsText);
        assertTrue(factsText.contains("`123456789012` (confirmed by STS)"), factsText);
        assertTrue(factsText.contains("*Last used*\\nnever"), factsText);
        assertTrue(facts.at().isBefore(step.at()), "facts come before the step");
        assertEquals(StatusType.ACTIVE, statusOf(user, keyId), "nothing changes before approval");
    }

    @Test
    void aRefusedClickChangesNothingAndAnApprovedClickDeactivatesTheKey() throws Exception {
        String user = uniqueUser();
        String keyId = leakedKeyOf(user);
        report(keyId);
        RecordedCall step = stepMessage();

        assertEquals(200, click(step, "U0STRANGER").statusCode());
        RecordedCall refusal = slack.awaitCall("chat.postEphemeral", c -> "U0STRANGER".equals(c.param("user")), WAIT);
        assertTrue(refusal.param("text").contains("Only configured approvers"));
        assertEquals(StatusType.ACTIVE, statusOf(user, keyId));
        assertEquals(0, AwsCallRecorder.count("Iam:UpdateAccessKey"));

        assertEquals(200, click(step, RunningBot.APPROVER).statusCode());
        RecordedCall done = slack.awaitCall("chat.update", c -> c.blocks().toString().contains(":white_check_mark:"), WAIT);
        assertEquals(step.response().path("ts").asText(), done.param("ts"));
        assertTrue(done.blocks().toString().contains("Approved by <@" + RunningBot.APPROVER + ">"));
        assertFalse(done.blocks().toString().contains("\"actions\""), "no button after success");
        assertEquals(StatusType.INACTIVE, statusOf(user, keyId));
        assertEquals(1, AwsCallRecorder.count("Iam:UpdateAccessKey"));
    }

    @Test
    void doubleClicksAndTwoApproversAtOnceLeadToExactlyOneUpdate() throws Exception {
        String user = uniqueUser();
        String keyId = leakedKeyOf(user);
        report(keyId);
        RecordedCall step = stepMessage();

        ExecutorService clickers = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> clicks = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            String approver = i % 2 == 0 ? RunningBot.APPROVER : RunningBot.SECOND_APPROVER;
            clicks.add(clickers.submit(() -> {
                go.await();
                return click(step, approver);
            }));
        }
        go.countDown();
        for (Future<HttpResponse<String>> c : clicks) {
            assertEquals(200, c.get().statusCode());
        }
        clickers.shutdown();
        slack.awaitCall("chat.update", c -> c.blocks().toString().contains(":white_check_mark:"), WAIT);
        // Every other click is answered privately; wait for all 15 before counting.
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (slack.calls("chat.postEphemeral").size() < 15 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(15, slack.calls("chat.postEphemeral").size());
        assertEquals(1, AwsCallRecorder.count("Iam:UpdateAccessKey"));
        assertEquals(1, slack.calls("chat.update").stream()
                .filter(c -> c.blocks().toString().contains(":white_check_mark:")).count());
        assertEquals(StatusType.INACTIVE, statusOf(user, keyId));
    }

    @Test
    void aKeyDeletedBeforeApprovalFailsWithAdviceAndOffersARetry() throws Exception {
        RecordedCall step = stepOfAKeyDeletedSince();

        click(step, RunningBot.APPROVER);

        RecordedCall failed = slack.awaitCall("chat.update", c -> c.blocks().toString().contains(":x:"), WAIT);
        String text = failed.blocks().toString();
        assertTrue(text.contains("NoSuchEntity"), text);
        assertTrue(text.contains("What to do next:"), text);
        assertTrue(text.contains("Retry: Deactivate key"), text);
    }

    @Test
    void aKeyThatNoUserOwnsOpensAnIncidentWithoutButtons() throws Exception {
        report("AKIAIOSFODNN7EXAMPLE");

        RecordedCall guidance = slack.awaitCall("chat.postMessage",
                c -> c.blocks().toString().contains("No IAM user in this account owns this key"), WAIT);
        assertTrue(guidance.param("thread_ts") != null);
        Thread.sleep(300);
        assertTrue(slack.calls("chat.postMessage").stream().noneMatch(c -> c.blocks().toString().contains("\"actions\"")));
        RecordedCall facts = slack.calls("chat.postMessage").stream()
                .filter(c -> c.blocks().toString().contains("What the bot knows")).findFirst().orElseThrow();
        assertTrue(facts.blocks().toString().contains("not decodable from this key id"));
    }

    @Test
    void aTemporaryKeyIsExplainedNotDeactivated() throws Exception {
        report("ASIAY34FZKBOKMUTVV7A");
        slack.awaitCall("chat.postMessage", c -> c.blocks().toString().contains("temporary STS credentials"), WAIT);
        assertEquals(0, AwsCallRecorder.count("Iam:GetAccessKeyLastUsed"));
    }

    @Test
    void badInputGetsUsageAndOpensNothing() throws Exception {
        // The longest stays under the 64 KiB request limit; RequestLimitsTest sends what goes over it.
        List<String> inputs = List.of("", "AKIA123", "<!channel>", "<http://evil.example|click here>",
                "AKIAIOSFODNN7EXAMPLE AKIAY34FZKBOKMUTVV7A", "x".repeat(60_000), "ABIAY34FZKBOKMUTVV7A");
        for (String input : inputs) {
            HttpResponse<String> ack = report(input);
            assertEquals(200, ack.statusCode());
            assertTrue(ack.body().contains("ephemeral"), ack.body());
            assertTrue(ack.body().contains("Usage"), ack.body());
            assertFalse(ack.body().contains("<!channel>") || ack.body().contains("evil.example"), ack.body());
        }
        Thread.sleep(300);
        assertEquals(List.of(), slack.calls("chat.postMessage"));
        assertTrue(AwsCallRecorder.calls().isEmpty());
    }

    @Test
    void aPastedSecretIsNeverRepeatedInSlackOrLogs() throws Exception {
        String user = uniqueUser();
        String keyId = leakedKeyOf(user);
        try (LogCapture logs = LogCapture.start()) {
            HttpResponse<String> ack = report(keyId + " " + SECRET);
            HttpResponse<String> secretOnly = report(SECRET);
            stepMessage();
            slack.awaitCall("chat.postMessage", c -> c.blocks().toString().contains("secret"), WAIT);

            assertTrue(ack.body().contains("Treat the key as compromised"), ack.body());
            assertTrue(secretOnly.body().contains("Treat the key as compromised"), secretOnly.body());
            for (String text : List.of(ack.body(), secretOnly.body(), slack.allRecordedText(), logs.text())) {
                assertFalse(text.contains(SECRET), "the secret leaked");
                assertFalse(text.contains(SECRET.substring(0, 20)), "part of the secret leaked");
            }
            assertFalse(logs.text().contains(RunningBot.SIGNING_SECRET) || logs.text().contains(RunningBot.BOT_TOKEN));
        }
    }

    @Test
    void badSignaturesAndStaleOrFutureTimestampsAreRejected() throws Exception {
        // Margins of 10 s around the 5-minute limit: the exact boundary is SlackRequestSignatureTest's, on a fixed clock.
        long now = Instant.now().getEpochSecond();
        Map<String, String> fields = Map.of("text", "AKIAIOSFODNN7EXAMPLE");
        assertEquals(401, requests.withSignature("v0=" + "0".repeat(64)).slashCommand(bot.eventsUrl(), fields).statusCode());
        assertEquals(401, requests.withTimestamp(now - 310).slashCommand(bot.eventsUrl(), fields).statusCode());
        assertEquals(401, requests.withTimestamp(now + 310).slashCommand(bot.eventsUrl(), fields).statusCode());
        assertEquals(401, new SlackRequests("the-wrong-secret", slack.responseUrl("x"))
                .slashCommand(bot.eventsUrl(), fields).statusCode());
        assertEquals(200, requests.withTimestamp(now - 250).slashCommand(bot.eventsUrl(), fields).statusCode());
        slack.awaitCall("chat.postMessage", c -> c.ok(), WAIT); // the one good request opened an incident
        assertEquals(1, slack.calls("chat.postMessage").stream().filter(c -> c.param("thread_ts") == null).count());
    }

    @Test
    void aReplayedSlashCommandIsRejectedAndOpensNoSecondIncident() throws Exception {
        String keyId = leakedKeyOf(uniqueUser());
        String otherKeyId = leakedKeyOf(uniqueUser());
        // A captured request sent again: same timestamp, same body (trigger_id included), so the same signature.
        SlackRequests captured = requests.withTimestamp(Instant.now().getEpochSecond());
        Map<String, String> fields = Map.of("text", keyId, "user_id", "U0REPORTER",
                "trigger_id", "1234567890123.1234567890.captured");
        try (LogCapture logs = LogCapture.start()) {
            assertEquals(200, captured.slashCommand(bot.eventsUrl(), fields).statusCode());
            assertEquals(401, captured.slashCommand(bot.eventsUrl(), fields).statusCode());
            assertEquals(200, report(otherKeyId).statusCode(), "a different valid request is still accepted");

            for (String key : List.of(keyId, otherKeyId)) {
                slack.awaitCall("chat.postMessage", c -> c.ok() && isRootAbout(c, key), WAIT);
            }
            assertEquals(1, slack.calls("chat.postMessage").stream().filter(c -> isRootAbout(c, keyId)).count());
            assertTrue(logs.text().contains("Rejected a replayed request"), "the replay is on the record");
            assertFalse(logs.text().contains("v0="), "a signature reached the logs");
            assertFalse(logs.text().contains("captured"), "the request body reached the logs");
        }
    }

    private static boolean isRootAbout(RecordedCall call, String keyId) {
        return call.param("thread_ts") == null && call.blocks().toString().contains(keyId);
    }

    @Test
    void aReplayedClickCannotRetryAFailedStepInTheApproversName() throws Exception {
        RecordedCall step = stepOfAKeyDeletedSince();
        SlackRequests captured = requests.withTimestamp(Instant.now().getEpochSecond());
        ObjectNode approval = clickOn(step, RunningBot.APPROVER);
        assertEquals(200, captured.blockAction(bot.eventsUrl(), approval).statusCode());
        slack.awaitCall("chat.update", c -> c.blocks().toString().contains("Retry: Deactivate key"), WAIT);

        assertEquals(401, captured.blockAction(bot.eventsUrl(), approval).statusCode());
        assertEquals(1, AwsCallRecorder.count("Iam:UpdateAccessKey"));
    }

    @Test
    void rateLimitedPostsAreRetriedAfterRetryAfter() throws Exception {
        String keyId = leakedKeyOf(uniqueUser());
        slack.failNextWith429(2, 1);
        report(keyId);
        stepMessage();
        assertEquals(2, slack.rejected().stream().filter(c -> c.status() == 429).count());
        slack.reset(); // the 429s were the point of this test; the check after each test is for invalid messages
        slack.awaitCall("chat.postMessage", c -> c.blocks().toString().contains("What the key did"), WAIT);
    }

    @Test
    void healthAnswers200() throws Exception {
        HttpResponse<String> health = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(bot.healthUrl()).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode());
        assertEquals("{\"status\":\"ok\"}", health.body());
    }

    @Test
    void everyAwsOperationTheBotSentIsInItsPolicy() throws Exception {
        String user = uniqueUser();
        String keyId = leakedKeyOf(user);
        report(keyId);
        assertEquals(200, click(stepMessage(), RunningBot.APPROVER).statusCode());
        slack.awaitCall("chat.update", c -> c.blocks().toString().contains(":white_check_mark:"), WAIT);
        var granted = BotPolicy.actions();
        for (String call : AwsCallRecorder.calls()) {
            String[] parts = call.split(":");
            String action = parts[0].toLowerCase() + ":" + parts[1];
            assertTrue(granted.contains(action), action + " is not in iam/leaked-key-bot-policy.json");
        }
        assertFalse(AwsCallRecorder.calls().isEmpty());
    }

}
