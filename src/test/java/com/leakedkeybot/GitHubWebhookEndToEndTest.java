package com.leakedkeybot;

import com.leakedkeybot.sandbox.FakeSlackApi;
import com.leakedkeybot.sandbox.MotoServer;
import com.leakedkeybot.sandbox.RecordedCall;
import com.leakedkeybot.testkit.Await;
import com.leakedkeybot.testkit.AwsTestClients;
import com.leakedkeybot.testkit.FakeGitHubApi;
import com.leakedkeybot.testkit.LogCapture;
import com.leakedkeybot.testkit.RunningBot;
import com.leakedkeybot.testkit.SharedMoto;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.IamClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GitHub secret scanning over real HTTP: a signed {@code secret_scanning_alert} is acknowledged at once, the alert is
 * read from (a fake of) GitHub's API for its key id, and the incident opens naming the repository and the alert.
 * Unsigned or mis-signed requests are refused; a delivery sent twice is handled once.
 */
class GitHubWebhookEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String WEBHOOK_SECRET = "github-webhook-secret-for-tests";
    private static final String TOKEN = "ghp_testtoken0123456789";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aSignedAlertOfAnAwsKeyOpensAnIncidentNamingTheRepositoryAndTheAlert() throws Exception {
        String key = leakedKey();
        try (LogCapture logs = LogCapture.start(); FakeGitHubApi github = FakeGitHubApi.start(TOKEN);
             RunningBot bot = start(github)) {
            github.addAlert("example/payments", 42, "aws_access_key_id", key);

            HttpResponse<String> answer = post(bot, payload("created", "example/payments", 42, "aws_access_key_id"),
                    WEBHOOK_SECRET, UUID.randomUUID().toString());

            assertEquals(202, answer.statusCode(), answer.body());
            FakeSlackApi slack = bot.slack();
            RecordedCall root = slack.awaitCall("chat.postMessage", c -> c.ok() && c.param("thread_ts") == null
                    && c.param("text").contains(key), WAIT);
            assertTrue(root.blocks().toString().contains("GitHub secret scanning"));
            RecordedCall source = slack.awaitCall("chat.postMessage", c -> c.ok()
                    && c.blocks().toString().contains("Reported automatically by GitHub secret scanning"), WAIT);
            assertTrue(source.blocks().toString().contains("example/payments"));
            assertTrue(source.blocks().toString().contains(
                    "https://github.com/example/payments/security/secret-scanning/42"));
            slack.awaitCall("chat.postMessage", c -> c.ok() && c.blocks().toString().contains("step:deactivate"),
                    WAIT);
            assertEquals(1, github.reads());
            assertFalse(logs.text().contains(TOKEN) || logs.text().contains(WEBHOOK_SECRET));
        }
    }

    @Test
    void missingOrWrongSignaturesAreRefusedAndNothingIsRead() throws Exception {
        try (FakeGitHubApi github = FakeGitHubApi.start(TOKEN); RunningBot bot = start(github)) {
            github.addAlert("example/payments", 7, "aws_access_key_id", leakedKey());
            String body = payload("created", "example/payments", 7, "aws_access_key_id");

            HttpResponse<String> unsigned = HTTP.send(request(bot, body, UUID.randomUUID().toString()).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> otherSecret = post(bot, body, "not-the-webhook-secret", UUID.randomUUID().toString());
            HttpResponse<String> tampered = HTTP.send(request(bot, body.replace("payments", "paymentz"),
                            UUID.randomUUID().toString()).header("X-Hub-Signature-256", sign(body, WEBHOOK_SECRET))
                    .build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> notHex = HTTP.send(request(bot, body, UUID.randomUUID().toString())
                    .header("X-Hub-Signature-256", "sha256=zz").build(), HttpResponse.BodyHandlers.ofString());

            assertEquals(401, unsigned.statusCode());
            assertEquals(401, otherSecret.statusCode());
            assertEquals(401, tampered.statusCode());
            assertEquals(401, notHex.statusCode());
            // A correctly signed request afterwards is read: had any refused one been taken, it would have been first.
            assertEquals(202, post(bot, body, WEBHOOK_SECRET, UUID.randomUUID().toString()).statusCode());
            bot.slack().awaitCall("chat.postMessage", c -> c.ok() && c.param("thread_ts") == null, WAIT);
            assertEquals(1, github.reads());
        }
    }

    @Test
    void aDeliverySentTwiceIsHandledOnce() throws Exception {
        String key = leakedKey();
        try (FakeGitHubApi github = FakeGitHubApi.start(TOKEN); RunningBot bot = start(github)) {
            github.addAlert("example/payments", 9, "aws_access_key_id", key);
            String body = payload("created", "example/payments", 9, "aws_access_key_id");
            String delivery = UUID.randomUUID().toString();

            assertEquals(202, post(bot, body, WEBHOOK_SECRET, delivery).statusCode());
            HttpResponse<String> again = post(bot, body, WEBHOOK_SECRET, delivery);
            assertEquals(200, again.statusCode());
            assertTrue(again.body().contains("duplicate"), again.body());
            bot.slack().awaitCall("chat.postMessage", c -> c.ok() && c.blocks().toString().contains("step:deactivate"),
                    WAIT);
            bot.close();
            assertEquals(1, github.reads());
            assertEquals(1, bot.slack().calls("chat.postMessage").stream()
                    .filter(c -> c.ok() && c.param("thread_ts") == null).count());
        }
    }

    /** The bot's token is refused by GitHub (401), or the alert is not there (404): nothing opens, the token is not logged. */
    @Test
    void anAlertGitHubWillNotGiveOpensNothingAndTheTokenStaysOutOfTheLogs() throws Exception {
        String key = leakedKey();
        try (LogCapture logs = LogCapture.start(); FakeGitHubApi github = FakeGitHubApi.start("ghp_anothertoken");
             RunningBot bot = start(github)) {
            github.addAlert("example/payments", 11, "aws_access_key_id", key);
            assertEquals(202, post(bot, payload("created", "example/payments", 11, "aws_access_key_id"),
                    WEBHOOK_SECRET, UUID.randomUUID().toString()).statusCode());
            assertEquals(202, post(bot, payload("created", "example/missing", 12, "aws_access_key_id"),
                    WEBHOOK_SECRET, UUID.randomUUID().toString()).statusCode());
            Await.until("both alerts were tried", WAIT,
                    () -> logs.text().contains("alert 11 of example/payments could not be read: GitHub answered 401")
                            && logs.text().contains("alert 12 of example/missing could not be read: GitHub answered"));
            bot.close();
            assertEquals(0, bot.slack().calls("chat.postMessage").size());
            assertFalse(logs.text().contains(TOKEN));
        }
    }

    @Test
    void otherEventsAndActionsAreAcknowledgedAndIgnored() throws Exception {
        try (FakeGitHubApi github = FakeGitHubApi.start(TOKEN); RunningBot bot = start(github)) {
            assertEquals(200, post(bot, payload("resolved", "example/payments", 3, "aws_access_key_id"),
                    WEBHOOK_SECRET, UUID.randomUUID().toString()).statusCode());
            assertEquals(200, post(bot, payload("created", "example/payments", 4, "github_personal_access_token"),
                    WEBHOOK_SECRET, UUID.randomUUID().toString()).statusCode());
            bot.close();
            assertEquals(0, github.reads());
        }
    }

    /** The route is behind the server's size limits: a body over 64 KiB is refused unread, signed or not. */
    @Test
    void anOversizedDeliveryIsRefusedUnread() throws Exception {
        try (FakeGitHubApi github = FakeGitHubApi.start(TOKEN); RunningBot bot = start(github)) {
            String body = payload("created", "example/payments", 5, "aws_access_key_id")
                    .replace("\"validity\"", "\"padding\":\"" + "x".repeat(70 * 1024) + "\",\"validity\"");
            assertEquals(413, post(bot, body, WEBHOOK_SECRET, UUID.randomUUID().toString()).statusCode());
            assertEquals(0, github.reads());
        }
    }

    @Test
    void withoutAWebhookSecretTheRouteIsNotServed() throws Exception {
        try (RunningBot bot = RunningBot.start(SharedMoto.get(), Map.of())) {
            HttpResponse<String> answer = post(bot, payload("created", "example/payments", 1, "aws_access_key_id"),
                    WEBHOOK_SECRET, UUID.randomUUID().toString());
            HttpResponse<String> nowhere = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + bot.eventsUrl().getPort() + "/no-such-route")).POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(nowhere.statusCode(), answer.statusCode(), "answered as any unknown route");
            assertTrue(answer.statusCode() >= 400, String.valueOf(answer.statusCode()));
        }
    }

    private static RunningBot start(FakeGitHubApi github) throws Exception {
        return RunningBot.start(SharedMoto.get(), Map.of("GITHUB_WEBHOOK_SECRET", WEBHOOK_SECRET,
                "GITHUB_TOKEN", TOKEN, "GITHUB_API_URL", github.url().toString()));
    }

    /** The shape of GitHub's {@code secret_scanning_alert} webhook: the alert without its secret. */
    private static String payload(String action, String repository, long number, String secretType) {
        return "{\"action\":\"" + action + "\",\"alert\":{\"number\":" + number + ",\"created_at\":"
                + "\"2026-12-02T08:00:00Z\",\"url\":\"https://api.github.com/repos/" + repository
                + "/secret-scanning/alerts/" + number + "\",\"html_url\":\"https://github.com/" + repository
                + "/security/secret-scanning/" + number + "\",\"secret_type\":\"" + secretType + "\","
                + "\"validity\":\"unknown\"},\"repository\":{\"id\":1,\"full_name\":\"" + repository + "\","
                + "\"private\":true},\"sender\":{\"login\":\"github\"}}";
    }

    private static HttpResponse<String> post(RunningBot bot, String body, String secret, String delivery)
            throws Exception {
        return HTTP.send(request(bot, body, delivery).header("X-Hub-Signature-256", sign(body, secret)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(RunningBot bot, String body, String delivery) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bot.eventsUrl().getPort() + "/github/webhook"))
                .header("Content-Type", "application/json").header("X-GitHub-Event", "secret_scanning_alert")
                .header("X-GitHub-Delivery", delivery)
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    static String sign(String body, String secret) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    private static String leakedKey() {
        IamClient iam = AwsTestClients.iam(SharedMoto.get().endpoint());
        String user = "gh-" + UUID.randomUUID().toString().substring(0, 8);
        iam.createUser(r -> r.userName(user));
        return iam.createAccessKey(r -> r.userName(user)).accessKey().accessKeyId();
    }
}
