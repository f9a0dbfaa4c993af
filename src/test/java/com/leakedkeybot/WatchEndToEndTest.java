package com.leakedkeybot;

import com.leakedkeybot.testkit.SharedMoto;
import com.fasterxml.jackson.databind.JsonNode;
import com.leakedkeybot.config.Settings;
import com.leakedkeybot.sandbox.FakeSlackApi;
import com.leakedkeybot.sandbox.MotoServer;
import com.leakedkeybot.sandbox.RecordedCall;
import com.leakedkeybot.sandbox.SlackRequests;
import com.leakedkeybot.sandbox.TrailEvents;
import com.leakedkeybot.testkit.AdjustableClock;
import com.leakedkeybot.testkit.Await;
import com.leakedkeybot.testkit.AwsTestClients;
import com.leakedkeybot.testkit.RunningBot;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.IamClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The watch after the first scan, through the running bot: moto for IAM (the deactivation is real), the fake CloudTrail
 * with events appended while the bot runs, and a clock the test moves past CloudTrail's delivery delay (15 minutes)
 * instead of waiting for it.
 */
class WatchEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String REGION = "us-east-1";
    private static final String SESSION = "ASIAWATCHSESSION0001";

    private final AdjustableClock clock = AdjustableClock.running();
    private final Settings.Tuning tuning = RunningBot.tunedWith(clock, Duration.ofMillis(200));
    private final List<String> trail = new ArrayList<>();

    @Test
    void theWatchFindsALateCallJudgesContainmentAndGoesOnAfterARestartWithoutRepeatingItself() throws Exception {
        IamClient iam = AwsTestClients.iam(SharedMoto.get().endpoint());
        String user = "watched-" + UUID.randomUUID().toString().substring(0, 8);
        iam.createUser(r -> r.userName(user));
        iam.attachUserPolicy(r -> r.userName(user).policyArn("arn:aws:iam::aws:policy/AdministratorAccess"));
        String key = iam.createAccessKey(r -> r.userName(user)).accessKey().accessKeyId();
        Map<String, String> env = Map.of("STATE_DIR", Files.createTempDirectory("watch-state-").toString());
        // Before the report the key assumed a role: the session it got is under investigation too.
        trail.add(TrailEvents.assumeRole("w0", clock.instant().minus(Duration.ofHours(1)), REGION, key,
                "arn:aws:iam::123456789012:role/deploy", SESSION).json());

        try (FakeSlackApi slack = FakeSlackApi.start(RunningBot.BOT_TOKEN)) {
            try (RunningBot bot = RunningBot.startOn(SharedMoto.get().endpoint(), slack, env, tuning)) {
                trail.forEach(e -> bot.cloudTrail().add(REGION, e));
                bot.requests().slashCommand(bot.eventsUrl(), Map.of("text", key));
                await(slack, "What the key did");

                // A call made now, delivered after the watch has read past its time.
                Instant made = clock.instant();
                awaitRounds(bot, 2);
                append(bot, TrailEvents.event("w1", made, REGION, key, "iam.amazonaws.com", "CreateUser")
                        .readOnly(false).request("userName", "late-" + user)
                        .response("{\"user\":{\"userName\":\"late-" + user + "\"}}").json());
                RecordedCall found = await(slack, "CloudTrail watch: 1 new event");
                assertTrue(found.blocks().toString().contains("late-" + user), found.blocks().toString());
                await(slack, "*Clean-up:* IAM user late-" + user);

                click(bot, await(slack, "step:deactivate"));
                slack.awaitCall("chat.update", c -> c.blocks().toString().contains("The key is now Inactive"), WAIT);
                assertEquals("Inactive", iam.listAccessKeys(r -> r.userName(user)).accessKeyMetadata().get(0)
                        .statusAsString());
                append(bot, TrailEvents.event("w2", clock.instant().plusSeconds(5), REGION, key,
                        "iam.amazonaws.com", "CreateUser").readOnly(false).error("InvalidClientTokenId").json());
                clock.advance(Duration.ofMinutes(16));
                RecordedCall verified = await(slack, "Containment verified");
                assertTrue(verified.blocks().toString().contains("*1 denied attempt(s)*"), verified.blocks().toString());

                append(bot, TrailEvents.event("w3", clock.instant(), REGION, SESSION, "s3.amazonaws.com",
                        "ListBuckets").readOnly(true).json());
                RecordedCall breach = await(slack, "Containment NOT verified");
                String told = breach.blocks().toString();
                assertTrue(told.contains("`ListBuckets` by `" + SESSION + "`") && told.contains("`w3`"), told);
            }
            int watchPosts = posts(slack, "CloudTrail watch:");
            int verdicts = posts(slack, "Containment");

            try (RunningBot restarted = RunningBot.startOn(SharedMoto.get().endpoint(), slack, env, tuning)) {
                trail.forEach(e -> restarted.cloudTrail().add(REGION, e));
                awaitRounds(restarted, 3);
                assertEquals(watchPosts, posts(slack, "CloudTrail watch:"), "nothing read before is posted again");
                assertEquals(verdicts, posts(slack, "Containment"), "the verdict has not changed");

                append(restarted, TrailEvents.event("w4", clock.instant(), REGION, SESSION, "iam.amazonaws.com",
                        "ListUsers").readOnly(true).json());
                Await.until("the watch goes on after the restart", WAIT,
                        () -> posts(slack, "CloudTrail watch:") == watchPosts + 1);
            }
            assertEquals(List.of(), slack.rejected());
        }
    }

    private void append(RunningBot bot, String event) {
        trail.add(event);
        bot.cloudTrail().add(REGION, event);
    }

    /** Waits for the watch to read the region {@code rounds} more times (each round asks once per key). */
    private static void awaitRounds(RunningBot bot, int rounds) throws InterruptedException {
        long served = bot.cloudTrail().served(REGION);
        Await.until("watch rounds", WAIT, () -> bot.cloudTrail().served(REGION) >= served + 2L * rounds);
    }

    private static int posts(FakeSlackApi slack, String text) {
        return (int) slack.calls("chat.postMessage").stream().filter(c -> c.ok() && c.param("text") != null
                && c.param("text").startsWith(text)).count();
    }

    private static RecordedCall await(FakeSlackApi slack, String text) throws InterruptedException {
        return slack.awaitCall("chat.postMessage", c -> c.ok() && c.blocks().toString().contains(text), WAIT);
    }

    private static void click(RunningBot bot, RecordedCall step) throws Exception {
        JsonNode button = step.blocks().findParent("action_id");
        assertEquals(200, bot.requests().blockAction(bot.eventsUrl(), SlackRequests.blockActionsPayload(
                RunningBot.APPROVER, RunningBot.INCIDENT_CHANNEL, step.response().path("ts").asText(),
                step.param("thread_ts"), button.path("action_id").asText(), "step", button.path("value").asText(),
                bot.slack().responseUrl("click"))).statusCode());
    }
}
