package com.leakedkeybot;

import com.leakedkeybot.testkit.SharedMoto;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.leakedkeybot.config.Settings;
import com.leakedkeybot.sandbox.FakeSlackApi;
import com.leakedkeybot.sandbox.MotoServer;
import com.leakedkeybot.sandbox.RecordedCall;
import com.leakedkeybot.testkit.AwsTestClients;
import com.leakedkeybot.testkit.CloudTrailDatasets;
import com.leakedkeybot.testkit.RunningBot;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * {@code /leaked-key} through to the investigation in the thread: blast radius from moto's IAM, CloudTrail from the
 * fake loaded with real attack events, and every message checked by the fake Slack.
 */
class InvestigationEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String adminUserWithKey() {
        IamClient iam = AwsTestClients.iam(SharedMoto.get().endpoint());
        String user = "victim-" + UUID.randomUUID().toString().substring(0, 8);
        iam.createUser(r -> r.userName(user));
        iam.attachUserPolicy(r -> r.userName(user).policyArn("arn:aws:iam::aws:policy/AdministratorAccess"));
        return iam.createAccessKey(r -> r.userName(user)).accessKey().accessKeyId();
    }

    /** Stratus Red Team's create-admin-user and federation-token detonations, as if made with {@code key}. */
    private static List<ObjectNode> attackBy(String key) throws IOException {
        List<ObjectNode> events = new ArrayList<>();
        int hoursAgo = 6;
        for (String technique : List.of("aws.persistence.iam-create-admin-user", "aws.persistence.sts-federation-token")) {
            List<ObjectNode> detonation = new ArrayList<>();
            for (ObjectNode event : CloudTrailDatasets.stratus(technique)) {
                String json = event.toString().replace("AKIAOZUDECYXYM4ONAN4", key).replace("AKIA6V1GNZTT65XQH36M", key);
                ObjectNode rewritten = (ObjectNode) JSON.readTree(json);
                rewritten.put("awsRegion", "us-east-1");
                detonation.add(rewritten);
            }
            // The detonations ran on different days; bring each into LookupEvents' 90 days, hours apart.
            events.addAll(CloudTrailDatasets.shiftedToRecent(detonation, Instant.now(), Duration.ofHours(hoursAgo)));
            hoursAgo -= 3;
        }
        return events;
    }

    @Test
    void theThreadTellsWhatTheKeyCanDoAndWhatItDid() throws Exception {
        String key = adminUserWithKey();
        try (RunningBot bot = RunningBot.start(SharedMoto.get(), Map.of())) {
            attackBy(key).forEach(e -> bot.cloudTrail().add("us-east-1", e.toString()));
            FakeSlackApi slack = bot.slack();

            bot.requests().slashCommand(bot.eventsUrl(), Map.of("text", key));

            RecordedCall persistence = awaitPost(slack, "Persistence (new ways back in)* —");
            List<String> replies = slack.calls("chat.postMessage").stream()
                    .filter(c -> c.param("thread_ts") != null).map(c -> c.blocks().toString()).toList();
            int blast = indexOf(replies, "What the key can do");
            int progress = indexOf(replies, "Reading CloudTrail");
            int summary = indexOf(replies, "What the key did");
            assertTrue(indexOf(replies, "step:deactivate") < blast, "containment is offered before the analysis");
            assertTrue(blast < progress && progress < summary, replies.toString());

            String radius = replies.get(blast);
            assertTrue(radius.contains("*Admin*"), radius);
            assertTrue(radius.contains("contain first"), radius);

            String report = replies.get(summary);
            assertTrue(report.contains("*Persistence (new ways back in)*\\n2"), report);
            assertTrue(report.contains("*Privilege escalation*\\n1"), report);
            assertTrue(report.contains("ASIASTJKC5GCM7ZE6LUP"), "the minted federation token is listed: " + report);
            assertTrue(report.contains("AKIAXAFZN8JEPF6L682H minted by " + key + " via CreateAccessKey"), report);
            assertTrue(report.contains("valid until deleted"), report);
            assertTrue(report.contains("management events"), "coverage is stated honestly: " + report);
            String created = persistence.blocks().toString();
            assertTrue(created.contains("CreateUser") && created.contains("CreateAccessKey"), created);

            RecordedCall finished = slack.awaitCall("chat.update",
                    c -> c.blocks().toString().contains("CloudTrail scan finished: 2 regions"), WAIT);
            assertEquals(slack.calls("chat.postMessage").stream().filter(c -> c.blocks().toString()
                    .contains("Reading CloudTrail")).findFirst().orElseThrow().response().path("ts").asText(),
                    finished.param("ts"));
            assertEquals(List.of(), slack.rejected());
        }
    }

    @Test
    void aHundredThousandEventsBecomeAHandfulOfValidMessagesPostedAtSlacksPace() throws Exception {
        String key = adminUserWithKey();
        List<String> regions = List.of("us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-west-1", "eu-west-2",
                "eu-west-3", "eu-central-1", "eu-north-1", "ap-south-1", "ap-northeast-1", "ap-northeast-2",
                "ap-southeast-1", "ap-southeast-2", "ca-central-1", "sa-east-1", "ap-northeast-3", "eu-south-1",
                "me-south-1", "af-south-1", "ap-east-1", "eu-central-2", "ap-south-2", "il-central-1", "me-central-1");
        Settings.Tuning tuning = RunningBot.TUNING;
        try (RunningBot bot = RunningBot.start(SharedMoto.get(), Map.of("CLOUDTRAIL_REGIONS", String.join(",", regions)))) {
            CloudTrailDatasets.volume(key, 100_000, regions, Instant.now()).forEach(bot.cloudTrail()::add);
            FakeSlackApi slack = bot.slack();
            // The channel's limit is the pace the bot is tuned to, with one post of grace for the time a post spends
            // between the bot's pacer and the fake: a post beyond it is refused (429), and the test fails.
            slack.enforceChannelRate(1_000.0 / tuning.slackPostInterval().toMillis(), tuning.slackPostBurst() + 1);

            bot.requests().slashCommand(bot.eventsUrl(), Map.of("text", key));

            RecordedCall summary = slack.awaitCall("chat.postMessage",
                    c -> c.blocks().toString().contains("What the key did"), Duration.ofMinutes(3));
            assertTrue(summary.blocks().toString().contains("100,000 CloudTrail events"), summary.blocks().toString());
            slack.awaitCall("chat.update", c -> c.blocks().toString().contains("CloudTrail scan finished"), WAIT);
            awaitPost(slack, "step:close"); // offered last, after every category reply
            List<RecordedCall> posts = slack.calls("chat.postMessage");
            // About 20 messages whatever the volume (facts, steps, guidance, progress, summary, one per category,
            // where the calls came from), up to 10 alarming findings posted during the scan (how many depends on how
            // fast it reads), plus one proposal per resource the key created: the synthetic trail creates a handful.
            assertTrue(posts.size() < 45, "a handful of messages, not one per event: " + posts.size() + " "
                    + posts.stream().map(c -> c.param("text")).toList());
            assertEquals(List.of(), slack.rejected(), "every message valid, none beyond the channel's pace");
        }
    }

    /** Waits for a post containing {@code text}; on a timeout, says what was posted instead. */
    private static RecordedCall awaitPost(FakeSlackApi slack, String text) throws InterruptedException {
        try {
            return slack.awaitCall("chat.postMessage", c -> c.blocks().toString().contains(text), WAIT);
        } catch (AssertionError e) {
            throw new AssertionError("no post contains " + text + "; posted: "
                    + slack.calls("chat.postMessage").stream().map(c -> c.blocks().toString()).toList(), e);
        }
    }

    private static int indexOf(List<String> replies, String text) {
        for (int i = 0; i < replies.size(); i++) {
            if (replies.get(i).contains(text)) {
                return i;
            }
        }
        throw new AssertionError("no reply contains " + text + ": " + replies);
    }
}
