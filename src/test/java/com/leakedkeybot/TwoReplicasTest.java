package com.leakedkeybot;

import com.leakedkeybot.testkit.SharedMoto;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.leakedkeybot.sandbox.FakeSlackApi;
import com.leakedkeybot.sandbox.MotoServer;
import com.leakedkeybot.sandbox.RecordedCall;
import com.leakedkeybot.sandbox.SlackRequests;
import com.leakedkeybot.testkit.AwsProxy;
import com.leakedkeybot.testkit.AwsTestClients;
import com.leakedkeybot.testkit.BotPolicy;
import com.leakedkeybot.testkit.RunningBot;
import com.leakedkeybot.testkit.StateTables;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.StatusType;

/**
 * Two bot replicas sharing one DynamoDB table (on moto) and one Slack workspace. The same approval button is clicked
 * on both at the same moment, round after round: each incident's key is deactivated by exactly one AWS call and gets
 * exactly one outcome message, and every click is answered.
 */
class TwoReplicasTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int ROUNDS = 20;
    private static final int CLICKS = 8;
    private static final String UPDATE = "iam:UpdateAccessKey";

    /** The replicas' way to AWS, their shared table's included. */
    private static AwsProxy oneAtATime;
    private static FakeSlackApi slack;
    private static RunningBot first;
    private static RunningBot second;
    private static IamClient iam;

    @BeforeAll
    static void startReplicas() throws Exception {
        oneAtATime = AwsProxy.oneAtATime(SharedMoto.get().endpoint());
        String table = StateTables.create(AwsTestClients.dynamoDb(oneAtATime.endpoint()));
        slack = FakeSlackApi.start(RunningBot.BOT_TOKEN);
        first = RunningBot.startOn(oneAtATime.endpoint(), slack, Map.of("STATE_TABLE", table));
        second = RunningBot.startOn(oneAtATime.endpoint(), slack, Map.of("STATE_TABLE", table));
        iam = AwsTestClients.iam(SharedMoto.get().endpoint());
    }

    @AfterAll
    static void stopReplicas() throws Exception {
        first.close();
        second.close();
        slack.close();
        oneAtATime.close();
    }

    @Test
    void simultaneousClicksOnBothReplicasDeactivateOnceAndReportOnce() throws Exception {
        SlackRequests requests = first.requests();
        ExecutorService clickers = Executors.newFixedThreadPool(CLICKS);
        try {
            for (int round = 1; round <= ROUNDS; round++) {
                String user = "replica-" + UUID.randomUUID().toString().substring(0, 8);
                iam.createUser(r -> r.userName(user));
                String keyId = iam.createAccessKey(r -> r.userName(user)).accessKey().accessKeyId();
                requests.slashCommand(first.eventsUrl(), Map.of("text", keyId, "user_id", "U0REPORTER"));
                String thread = slack.awaitCall("chat.postMessage", c -> c.ok() && c.param("thread_ts") == null
                        && c.blocks().toString().contains(keyId), WAIT).response().path("ts").asText();
                RecordedCall step = slack.awaitCall("chat.postMessage", c -> c.ok()
                        && thread.equals(c.param("thread_ts")) && c.blocks().toString().contains("step:deactivate"), WAIT);
                String stepTs = step.response().path("ts").asText();

                CountDownLatch go = new CountDownLatch(1);
                List<Future<HttpResponse<String>>> clicks = new ArrayList<>();
                for (int i = 0; i < CLICKS; i++) {
                    RunningBot replica = i % 2 == 0 ? first : second;
                    String approver = i % 4 < 2 ? RunningBot.APPROVER : RunningBot.SECOND_APPROVER;
                    clicks.add(clickers.submit(() -> {
                        go.await();
                        return click(requests, replica, step, approver);
                    }));
                }
                go.countDown();
                for (Future<HttpResponse<String>> click : clicks) {
                    assertEquals(200, click.get().statusCode());
                }
                slack.awaitCall("chat.update", c -> stepTs.equals(c.param("ts"))
                        && c.blocks().toString().contains(":white_check_mark:"), WAIT);
                slack.awaitCalls("chat.postEphemeral", c -> thread.equals(c.param("thread_ts")), CLICKS - 1, WAIT);

                String inRound = "round " + round + ": ";
                assertEquals(1, first.aws().count(UPDATE, keyId) + second.aws().count(UPDATE, keyId),
                        inRound + first.aws().calls() + second.aws().calls());
                assertEquals(1, slack.calls("chat.update").stream().filter(c -> stepTs.equals(c.param("ts"))
                        && c.blocks().toString().contains(":white_check_mark:")).count(), inRound + "one outcome");
                assertEquals(CLICKS - 1, slack.calls("chat.postEphemeral").stream()
                        .filter(c -> thread.equals(c.param("thread_ts"))).count(), inRound + "every other click answered");
                assertEquals(StatusType.INACTIVE, iam.listAccessKeys(r -> r.userName(user)).accessKeyMetadata()
                        .get(0).status(), inRound);
                assertTrue(slack.rejected().isEmpty(), inRound + slack.rejected());
            }
            // The replicas' DynamoDB calls, like their IAM and STS calls, must be granted by the bot's policy.
            BotPolicy.assertGrants(first.aws().calls());
            BotPolicy.assertGrants(second.aws().calls());
        } finally {
            clickers.shutdown();
        }
    }

    private static HttpResponse<String> click(SlackRequests requests, RunningBot replica, RecordedCall step,
                                              String user) throws Exception {
        JsonNode button = step.blocks().findParent("action_id");
        return requests.blockAction(replica.eventsUrl(), SlackRequests.blockActionsPayload(user,
                RunningBot.INCIDENT_CHANNEL, step.response().path("ts").asText(), step.param("thread_ts"),
                button.path("action_id").asText(), "step-deactivate", button.path("value").asText(),
                slack.responseUrl("click-" + user)));
    }
}
