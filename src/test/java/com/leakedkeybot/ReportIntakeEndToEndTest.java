package com.leakedkeybot;

import com.leakedkeybot.testkit.SharedMoto;
import com.fasterxml.jackson.databind.JsonNode;
import com.leakedkeybot.config.Settings;
import com.leakedkeybot.sandbox.FakeSlackApi;
import com.leakedkeybot.sandbox.MotoServer;
import com.leakedkeybot.sandbox.RecordedCall;
import com.leakedkeybot.sandbox.SlackRequests;
import com.leakedkeybot.testkit.Await;
import com.leakedkeybot.testkit.AwsTestClients;
import com.leakedkeybot.testkit.RunningBot;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.StatusType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How reports are taken in, over real HTTP: a key reported twice is investigated once, the second reporter is pointed
 * at the open incident; one person cannot flood the channel with reports.
 */
class ReportIntakeEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void aKeyReportedTwiceHasOneThreadAndTheSecondReporterGetsItsLink() throws Exception {
        String key = leakedKey();
        try (RunningBot bot = RunningBot.start(SharedMoto.get(), Map.of())) {
            FakeSlackApi slack = bot.slack();
            bot.requests().slashCommand(bot.eventsUrl(), Map.of("text", key, "user_id", "U0FIRSTREPORTER",
                    "response_url", slack.responseUrl("first")));
            slack.awaitCall("chat.postMessage", c -> c.ok() && c.blocks().toString().contains("step:deactivate"),
                    WAIT);

            bot.requests().slashCommand(bot.eventsUrl(), Map.of("text", key, "user_id", "U0SECONDREPORTER",
                    "response_url", slack.responseUrl("second")));

            RecordedCall told = slack.awaitCall(FakeSlackApi.RESPONSE_URL_PREFIX + "second", RecordedCall::ok, WAIT);
            assertEquals("ephemeral", told.param("response_type"));
            assertTrue(told.param("text").contains("already has an open incident"), told.param("text"));
            assertTrue(told.param("text").contains("https://fake-workspace.slack.com/archives/"
                    + RunningBot.INCIDENT_CHANNEL + "/p"), "a link to the open thread: " + told.param("text"));
            bot.close(); // its queued work done: every post the second report could have caused is in
            assertEquals(1, slack.calls("chat.postMessage").stream()
                    .filter(c -> c.ok() && c.param("thread_ts") == null).count(), "one incident thread");
            assertEquals(1, slack.calls("chat.postMessage").stream()
                    .filter(c -> c.blocks().toString().contains("Reading CloudTrail")).count(), "one investigation");
        }
    }

    @Test
    void onePersonReportingKeyAfterKeyIsToldToWaitAndOpensNothingMore() throws Exception {
        try (RunningBot bot = RunningBot.start(SharedMoto.get().endpoint(), Map.of(),
                RunningBot.withProductionReportLimit())) {
            String reporter = "U0HASTY" + UUID.randomUUID().toString().substring(0, 4).toUpperCase();
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> ack = bot.requests().slashCommand(bot.eventsUrl(),
                        Map.of("text", leakedKey(), "user_id", reporter));
                assertTrue(ack.body().contains("opened"), ack.body());
            }
            HttpResponse<String> sixth = bot.requests().slashCommand(bot.eventsUrl(),
                    Map.of("text", leakedKey(), "user_id", reporter));

            assertEquals(200, sixth.statusCode());
            assertTrue(sixth.body().contains("reported several keys in a row"), sixth.body());
            assertFalse(sixth.body().contains("opened"), sixth.body());
            HttpResponse<String> someoneElse = bot.requests().slashCommand(bot.eventsUrl(),
                    Map.of("text", leakedKey(), "user_id", "U0CALM"));
            assertTrue(someoneElse.body().contains("opened"), "others are not limited: " + someoneElse.body());
        }
    }

    /**
     * One thread opens incidents, one more may wait, and Slack takes a post every 300 ms: reports pile up behind the
     * first. The flood is answered "busy" (nothing queued without limit, nothing started), and an approver's click on
     * an open incident deactivates its key while openings are still waiting: clicks have workers of their own.
     */
    @Test
    void aFloodOfReportsIsAnsweredBusyAndAContainmentClickDoesNotWaitBehindIt() throws Exception {
        Settings.Tuning t = RunningBot.TUNING;
        Settings.Tuning saturated = new Settings.Tuning(1, t.clickWorkers(), t.investigators(), 1, t.cachedIncidents(),
                t.sharedLease(), t.sharedCacheFreshness(), Duration.ofMillis(300), 1, t.slackRateLimitAttempts(),
                t.slackRateLimitMaxWait(), t.cloudTrailRequestsPerSecond(), t.scanProgressInterval(),
                t.reportsAtOnce(), t.oneMoreReportEvery(), t.trailWatchInterval(), t.trailDeliveryDelay(), t.clock());
        IamClient iam = AwsTestClients.iam(SharedMoto.get().endpoint());
        String user = "flooded-" + UUID.randomUUID().toString().substring(0, 8);
        iam.createUser(r -> r.userName(user));
        String key = iam.createAccessKey(r -> r.userName(user)).accessKey().accessKeyId();
        try (RunningBot bot = RunningBot.start(SharedMoto.get().endpoint(), Map.of(), saturated)) {
            FakeSlackApi slack = bot.slack();
            bot.requests().slashCommand(bot.eventsUrl(), Map.of("text", key, "user_id", "U0VICTIMREPORTER"));
            RecordedCall step = slack.awaitCall("chat.postMessage",
                    c -> c.ok() && c.blocks().toString().contains("step:deactivate"), WAIT);

            List<String> acks = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                acks.add(bot.requests().slashCommand(bot.eventsUrl(), Map.of("text", randomKeyId(),
                        "user_id", "U0FLOOD" + i)).body());
            }
            JsonNode button = step.blocks().findParent("action_id");
            bot.requests().blockAction(bot.eventsUrl(), SlackRequests.blockActionsPayload(RunningBot.APPROVER,
                    RunningBot.INCIDENT_CHANNEL, step.response().path("ts").asText(), step.param("thread_ts"),
                    button.path("action_id").asText(), "step", button.path("value").asText(),
                    slack.responseUrl("click")));
            Await.until("the key is inactive", WAIT, () -> iam.listAccessKeys(r -> r.userName(user))
                    .accessKeyMetadata().get(0).status() == StatusType.INACTIVE);
            long threadsWhenContained = slack.calls("chat.postMessage").stream()
                    .filter(c -> c.ok() && c.param("thread_ts") == null).count();

            long busy = acks.stream().filter(ack -> ack.contains("busy")).count();
            long accepted = acks.stream().filter(ack -> ack.contains("opened")).count();
            assertTrue(busy > 0, "a full queue answers busy: " + acks);
            assertEquals(acks.size(), busy + accepted, acks.toString());
            assertTrue(threadsWhenContained < 1 + accepted, "the click ran while accepted openings still waited ("
                    + threadsWhenContained + " threads of " + (1 + accepted) + ")");
        }
    }

    /** A well-formed key id that no IAM user owns. */
    private static String randomKeyId() {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        StringBuilder id = new StringBuilder("AKIAY34FZKBO");
        for (int i = 0; i < 8; i++) {
            id.append(alphabet.charAt(java.util.concurrent.ThreadLocalRandom.current().nextInt(alphabet.length())));
        }
        return id.toString();
    }

    private static String leakedKey() {
        IamClient iam = AwsTestClients.iam(SharedMoto.get().endpoint());
        String user = "intake-" + UUID.randomUUID().toString().substring(0, 8);
        iam.createUser(r -> r.userName(user));
        return iam.createAccessKey(r -> r.userName(user)).accessKey().accessKeyId();
    }
}
