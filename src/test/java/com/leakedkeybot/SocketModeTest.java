package com.leakedkeybot;

import com.leakedkeybot.testkit.SharedMoto;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.leakedkeybot.sandbox.FakeSlackApi;
import com.leakedkeybot.sandbox.MotoServer;
import com.leakedkeybot.sandbox.RecordedCall;
import com.leakedkeybot.sandbox.SlackRequests;
import com.leakedkeybot.testkit.AwsTestClients;
import com.leakedkeybot.testkit.FakeSocketModeServer;
import com.leakedkeybot.testkit.LogCapture;
import com.leakedkeybot.testkit.RunningBot;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.StatusType;

/**
 * The bot in Socket Mode (SLACK_APP_TOKEN set) against a local fake of Slack's {@code apps.connections.open} and
 * envelope protocol: commands and clicks arrive on the WebSocket and are acknowledged there, the slash command's
 * acknowledgement carries the reply, and a connection dropped by the server is replaced.
 */
class SocketModeTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String APP_TOKEN = "xapp-1-A0001-1234567890-socketmodetestapptokenvalue";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void commandsAndClicksAreAcknowledgedOnTheSocketAndADroppedConnectionIsReplaced() throws Exception {
        MotoServer moto = SharedMoto.get();
        IamClient iam = AwsTestClients.iam(moto.endpoint());
        String user = "socket-" + UUID.randomUUID().toString().substring(0, 8);
        iam.createUser(r -> r.userName(user));
        String keyId = iam.createAccessKey(r -> r.userName(user)).accessKey().accessKeyId();

        try (LogCapture logs = LogCapture.start();
             FakeSlackApi slack = FakeSlackApi.start(RunningBot.BOT_TOKEN);
             FakeSocketModeServer socket = FakeSocketModeServer.start()) {
            slack.enableSocketMode(APP_TOKEN, socket.url());
            try (RunningBot bot = RunningBot.startOn(moto, slack, Map.of("SLACK_APP_TOKEN", APP_TOKEN))) {
                socket.awaitConnections(1, WAIT);

                String command = socket.send("slash_commands", slashCommand(keyId, slack), true);
                JsonNode ack = socket.awaitAck(command, WAIT);
                assertEquals("ephemeral", ack.path("payload").path("response_type").asText(), ack.toString());
                assertTrue(ack.path("payload").path("text").asText().startsWith("Incident LK-"), ack.toString());

                RecordedCall step = slack.awaitCall("chat.postMessage",
                        c -> c.ok() && c.blocks().toString().contains("step:deactivate"), WAIT);
                String click = socket.send("interactive", clickOn(step, slack), false);
                socket.awaitAck(click, WAIT);
                slack.awaitCall("chat.update", c -> c.blocks().toString().contains(":white_check_mark:"), WAIT);
                assertEquals(StatusType.INACTIVE, iam.listAccessKeys(r -> r.userName(user)).accessKeyMetadata()
                        .get(0).status());

                int urlsBefore = slack.calls("apps.connections.open").size();
                socket.dropConnection();
                socket.awaitConnections(2, WAIT);
                assertTrue(slack.calls("apps.connections.open").size() > urlsBefore, "a fresh URL for the new connection");
                String afterReconnect = socket.send("slash_commands", slashCommand("", slack), true);
                assertTrue(socket.awaitAck(afterReconnect, WAIT).path("payload").path("text").asText()
                        .contains("Tell me which key leaked"));

                HttpClient http = HttpClient.newHttpClient();
                assertEquals(200, http.send(HttpRequest.newBuilder(bot.healthUrl()).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode(), "health is still served on PORT");
                int events = http.send(HttpRequest.newBuilder(bot.eventsUrl())
                        .POST(HttpRequest.BodyPublishers.ofString("payload=%7B%7D")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                assertTrue(events == 404 || events == 405, "no HTTP endpoint for Slack, got " + events);
            }
            assertFalse(logs.text().contains(APP_TOKEN.substring(5)), "the app token never reaches the logs");
        }
    }

    /** A slash command's fields, as Socket Mode delivers them: the form of the HTTP request as a JSON object. */
    private static ObjectNode slashCommand(String text, FakeSlackApi slack) {
        return JSON.createObjectNode()
                .put("token", "unused-verification-token")
                .put("team_id", FakeSlackApi.TEAM_ID)
                .put("team_domain", "fake-workspace")
                .put("channel_id", SlackRequests.CHANNEL_ID)
                .put("channel_name", "security-incidents")
                .put("user_id", "U0REPORTER")
                .put("user_name", "alice")
                .put("command", "/leaked-key")
                .put("text", text)
                .put("api_app_id", SlackRequests.API_APP_ID)
                .put("is_enterprise_install", "false")
                .put("response_url", slack.responseUrl("socket-command"))
                .put("trigger_id", "1234567890123.1234567890.socket");
    }

    private static ObjectNode clickOn(RecordedCall step, FakeSlackApi slack) {
        JsonNode button = step.blocks().findParent("action_id");
        return SlackRequests.blockActionsPayload(RunningBot.APPROVER, RunningBot.INCIDENT_CHANNEL,
                step.response().path("ts").asText(), step.param("thread_ts"), button.path("action_id").asText(),
                "step-deactivate", button.path("value").asText(), slack.responseUrl("socket-click"));
    }
}
