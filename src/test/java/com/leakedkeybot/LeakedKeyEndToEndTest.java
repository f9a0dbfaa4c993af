package com.leakedkeybot;

import com.leakedkeybot.testkit.SharedMoto;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.leakedkeybot.sandbox.FakeSlackApi;
import com.leakedkeybot.sandbox.MotoServer;
import com.leakedkeybot.sandbox.RecordedCall;
import com.leakedkeybot.sandbox.SlackRequests;
import com.leakedkeybot.testkit.AwsTestClients;
import com.leakedkeybot.testkit.BotPolicy;
import com.leakedkeybot.testkit.LogCapture;
import com.leakedkeybot.testkit.RunningBot;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.StatusType;

/**
 * The bot over real HTTP: signed requests in, a fake Slack Web API that enforces Slack's limits and the Block Kit
 * schema, and moto as the AWS account. One bot serves the whole class: each test reports keys of its own and looks
 * only at its own incident's thread and AWS calls, so another test's background work (investigations) cannot blur it.
 */
class LeakedKeyEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final String UPDATE = "iam:UpdateAccessKey";

    private static IamClient iam;
    private static RunningBot bot;
    private static FakeSlackApi slack;
    private static SlackRequests requests;

    /** Rejections recorded before the current test. */
    private int rejectedBefore;

    @BeforeAll
    static void startBot() throws Exception {
        iam = AwsTestClients.iam(SharedMoto.get().endpoint());
        bot = RunningBot.start(SharedMoto.get(), Map.of());
        slack = bot.slack();
        requests = bot.requests();
    }

    @AfterAll
    static void stopBot() throws Exception {
        bot.close(); // waits for the incident work still queued
    }

    @BeforeEach
    void countRejections() {
        rejectedBefore = slack.rejected().size();
    }

    /** 429s are left out: the fake answers them only when a test injects them, as one does. */
    @AfterEach
    void slackAcceptedEverything() {
        List<RecordedCall> rejected = slack.rejected();
        assertEquals(List.of(), rejected.subList(rejectedBefore, rejected.size()).stream()
                .filter(c -> c.status() != 429).map(c -> c.method() + " " + c.error()).toList(),
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

    private static HttpResponse<String> report(String text) throws Exception {
        return requests.slashCommand(bot.eventsUrl(), Map.of("text", text, "user_id", "U0REPORTER"));
    }

    /** Waits for the thread's root message of the incident opened for {@code keyId}. */
    private static RecordedCall rootFor(String keyId) throws InterruptedException {
        return slack.awaitCall("chat.postMessage", c -> c.ok() && c.param("thread_ts") == null
                && c.blocks().toString().contains(keyId), WAIT);
    }

    /** Waits for a reply in {@code root}'s thread that contains {@code text}. */
    private static RecordedCall reply(RecordedCall root, String text) throws InterruptedException {
        String ts = root.response().path("ts").asText();
        return slack.awaitCall("chat.postMessage", c -> c.ok() && ts.equals(c.param("thread_ts"))
                && c.blocks().toString().contains(text), WAIT);
    }

    /** Waits for the thread reply that carries the step button, and returns it. */
    private static RecordedCall stepMessage(RecordedCall root) throws InterruptedException {
        return reply(root, "step:deactivate");
    }

    /** Waits for an update of the step's message that contains {@code text}. */
    private static RecordedCall stepUpdate(RecordedCall step, String text) throws InterruptedException {
        String ts = step.response().path("ts").asText();
        return slack.awaitCall("chat.update", c -> ts.equals(c.param("ts")) && c.blocks().toString().contains(text), WAIT);
    }

    private static HttpResponse<String> click(RecordedCall step, String user) throws Exception {
        return requests.blockAction(bot.eventsUrl(), clickOn(step, user));
    }

    /** What Slack posts when {@code user} clicks the step's button. */
    private static ObjectNode clickOn(RecordedCall step, String user) {
        JsonNode button = step.blocks().findParent("action_id");
        return SlackRequests.blockActionsPayload(user, RunningBot.INCIDENT_CHANNEL, step.response().path("ts").asText(),
                step.param("thread_ts"), button.path("action_id").asText(), "step-deactivate",
                button.path("value").asText(), slack.responseUrl("click-" + user));
    }

    /** The deactivate step of a fresh key, and the key, deleted behind the bot's back: approving it fails. */
    private record DeletedKey(RecordedCall step, String keyId) {
    }

    private static DeletedKey stepOfAKeyDeletedSince() throws Exception {
        String user = uniqueUser();
        String keyId = leakedKeyOf(user);
        report(keyId);
        RecordedCall step = stepMessage(rootFor(keyId));
        iam.deleteAccessKey(r -> r.userName(user).accessKeyId(keyId));
        return new DeletedKey(step, keyId);
    }

    @Test
    void aReportOpensAThreadWithTheKeyFactsAndADeactivateButton() throws Exception {
        String user = uniqueUser();
        String keyId = leakedKeyOf(user);

        HttpResponse<String> ack = report(keyId);

        assertEquals(200, ack.statusCode());
        assertTrue(ack.body().contains("\"response_type\":\"ephemeral\""), ack.body());
        assertTrue(ack.body().matches("(?s).*Incident \\*LK-\\d{8}-[A-Z2-7]{8}\\* opened.*"), ack.body());

        RecordedCall root = rootFor(keyId);
        assertEquals(RunningBot.INCIDENT_CHANNEL, root.param("channel"));
        assertTrue(root.blocks().toString().contains("<@U0REPORTER>"));

        RecordedCall step = stepMessage(root);
        RecordedCall facts = reply(root, "What the bot knows");
        String factsText = facts.blocks().toString();
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
        RecordedCall step = stepMessage(rootFor(keyId));

        assertEquals(200, click(step, "U0STRANGER").statusCode());
        RecordedCall refusal = slack.awaitCall("chat.postEphemeral", c -> "U0STRANGER".equals(c.param("user"))
                && step.param("thread_ts").equals(c.param("thread_ts")), WAIT);
        assertTrue(refusal.param("text").contains("Only configured approvers"));
        assertEquals(StatusType.ACTIVE, statusOf(user, keyId));
        assertEquals(0, bot.aws().count(UPDATE, keyId));

        assertEquals(200, click(step, RunningBot.APPROVER).statusCode());
        RecordedCall done = stepUpdate(step, ":white_check_mark:");
        assertTrue(done.blocks().toString().contains("Approved by <@" + RunningBot.APPROVER + ">"));
        assertFalse(done.blocks().toString().contains("\"actions\""), "no button after success");
        assertEquals(StatusType.INACTIVE, statusOf(user, keyId));
        assertEquals(1, bot.aws().count(UPDATE, keyId));
    }

    @Test
    void doubleClicksAndTwoApproversAtOnceLeadToExactlyOneUpdate() throws Exception {
        String user = uniqueUser();
        String keyId = leakedKeyOf(user);
        report(keyId);
        RecordedCall step = stepMessage(rootFor(keyId));
        String thread = step.param("thread_ts");

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
        stepUpdate(step, ":white_check_mark:");
        // Every other click is answered privately; wait for all 15 before counting.
        assertEquals(15, slack.awaitCalls("chat.postEphemeral", c -> thread.equals(c.param("thread_ts")), 15, WAIT)
                .size());
        assertEquals(1, bot.aws().count(UPDATE, keyId));
        assertEquals(1, slack.calls("chat.update").stream().filter(c -> step.response().path("ts").asText()
                .equals(c.param("ts")) && c.blocks().toString().contains(":white_check_mark:")).count());
        assertEquals(StatusType.INACTIVE, statusOf(user, keyId));
    }

    @Test
    void aKeyDeletedBeforeApprovalFailsWithAdviceAndOffersARetry() throws Exception {
        RecordedCall step = stepOfAKeyDeletedSince().step();

        click(step, RunningBot.APPROVER);

        RecordedCall failed = stepUpdate(step, ":x:");
        String text = failed.blocks().toString();
        assertTrue(text.contains("NoSuchEntity"), text);
        assertTrue(text.contains("What to do next:"), text);
        assertTrue(text.contains("Retry: Deactivate key"), text);
    }

    @Test
    void aKeyThatNoUserOwnsOpensAnIncidentWithoutButtons() throws Exception {
        report("AKIAIOSFODNN7EXAMPLE");

        RecordedCall root = rootFor("AKIAIOSFODNN7EXAMPLE");
        reply(root, "No IAM user in this account owns this key");
        reply(root, "step:close"); // offered last, once the investigation is over: the thread is complete
        String thread = root.response().path("ts").asText();
        List<String> buttons = slack.calls("chat.postMessage").stream()
                .filter(c -> c.ok() && (thread.equals(c.param("thread_ts")) || thread.equals(c.response().path("ts").asText())))
                .flatMap(c -> c.blocks().findValuesAsText("action_id").stream()).toList();
        assertEquals(List.of("step:close"), buttons, "no step that cannot work; closing the incident can");
        RecordedCall facts = reply(root, "What the bot knows");
        assertTrue(facts.blocks().toString().contains("not decodable from this key id"));
    }

    @Test
    void aTemporaryKeyIsExplainedNotDeactivated() throws Exception {
        report("ASIAY34FZKBOKMUTVV7A");
        reply(rootFor("ASIAY34FZKBOKMUTVV7A"), "temporary STS credentials");
        assertEquals(0, bot.aws().count("iam:GetAccessKeyLastUsed", "ASIAY34FZKBOKMUTVV7A"));
    }

    @Test
    void badInputGetsUsageAndOpensNothing() throws Exception {
        String reporter = "U0TYPIST";
        List<String> keyShaped = List.of("AKIA123", "AKIAJ2QE6LBTYEXAMPLE", "AKIAY34FZKBOKMUTVV7B", "ABIAY34FZKBOKMUTVV7A");
        List<String> inputs = List.of("", keyShaped.get(0), "<!channel>", "<http://evil.example|click here>",
                keyShaped.get(1) + " " + keyShaped.get(2), "x".repeat(60_000), keyShaped.get(3)); // under the 64 KiB request limit: RequestLimitsTest goes over it
        for (String input : inputs) {
            HttpResponse<String> ack = requests.slashCommand(bot.eventsUrl(), Map.of("text", input, "user_id", reporter));
            assertEquals(200, ack.statusCode());
            assertTrue(ack.body().contains("ephemeral"), ack.body());
            assertTrue(ack.body().contains("Usage"), ack.body());
            assertFalse(ack.body().contains("<!channel>") || ack.body().contains("evil.example"), ack.body());
        }
        // Nothing can be awaited: a good report after the bad ones is, and anything they had set going was queued
        // before it.
        String keyId = leakedKeyOf(uniqueUser());
        requests.slashCommand(bot.eventsUrl(), Map.of("text", keyId, "user_id", reporter));
        stepMessage(rootFor(keyId));
        assertEquals(1, slack.calls("chat.postMessage").stream().filter(c -> c.param("thread_ts") == null
                && c.blocks().toString().contains("<@" + reporter + ">")).count(), "only the good report opened");
        keyShaped.forEach(text -> assertEquals(List.of(), bot.aws().calls(text), text));
    }

    @Test
    void aPastedSecretIsNeverRepeatedInSlackOrLogs() throws Exception {
        String user = uniqueUser();
        String keyId = leakedKeyOf(user);
        try (LogCapture logs = LogCapture.start()) {
            HttpResponse<String> ack = report(keyId + " " + SECRET);
            HttpResponse<String> secretOnly = report(SECRET);
            RecordedCall root = rootFor(keyId);
            stepMessage(root);
            reply(root, "secret");

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
        String keyId = "AKIAJ7QKZ3T5EXAMPLE2";
        Map<String, String> fields = Map.of("text", keyId);
        assertEquals(401, requests.withSignature("v0=" + "0".repeat(64)).slashCommand(bot.eventsUrl(), fields).statusCode());
        assertEquals(401, requests.withTimestamp(now - 310).slashCommand(bot.eventsUrl(), fields).statusCode());
        assertEquals(401, requests.withTimestamp(now + 310).slashCommand(bot.eventsUrl(), fields).statusCode());
        assertEquals(401, new SlackRequests("the-wrong-secret", slack.responseUrl("x"))
                .slashCommand(bot.eventsUrl(), fields).statusCode());
        assertEquals(200, requests.withTimestamp(now - 250).slashCommand(bot.eventsUrl(), fields).statusCode());
        rootFor(keyId); // the one good request opened an incident
        assertEquals(1, slack.calls("chat.postMessage").stream().filter(c -> c.param("thread_ts") == null
                && c.blocks().toString().contains(keyId)).count());
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
        DeletedKey deleted = stepOfAKeyDeletedSince();
        SlackRequests captured = requests.withTimestamp(Instant.now().getEpochSecond());
        ObjectNode approval = clickOn(deleted.step(), RunningBot.APPROVER);
        assertEquals(200, captured.blockAction(bot.eventsUrl(), approval).statusCode());
        stepUpdate(deleted.step(), "Retry: Deactivate key");

        assertEquals(401, captured.blockAction(bot.eventsUrl(), approval).statusCode());
        assertEquals(1, bot.aws().count(UPDATE, deleted.keyId()));
    }

    @Test
    void rateLimitedPostsAreRetriedAfterRetryAfter() throws Exception {
        String keyId = leakedKeyOf(uniqueUser());
        slack.failNextWith429(2, 1);
        report(keyId);
        RecordedCall root = rootFor(keyId);
        stepMessage(root);
        assertEquals(2, slack.rejected().stream().filter(c -> c.status() == 429).count());
        reply(root, "What the key did");
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
        RecordedCall step = stepMessage(rootFor(keyId));
        assertEquals(200, click(step, RunningBot.APPROVER).statusCode());
        stepUpdate(step, ":white_check_mark:");
        assertEquals(1, bot.aws().count(UPDATE, keyId));
        BotPolicy.assertGrants(bot.aws().calls()); // every test's calls so far, not only this one's
    }

}
