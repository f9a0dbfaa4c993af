package com.leakedkeybot.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The channel as each person sees it, from what the Web API recorded. */
class WorkspaceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHANNEL = Drill.INCIDENT_CHANNEL;

    private final List<RecordedCall> calls = new ArrayList<>();
    private final Workspace workspace = new Workspace();
    private Instant clock = Instant.parse("2026-12-04T06:00:00Z");

    @Test
    void repliesSitUnderTheirParentAndUpdatesReplaceWhatWasPosted() {
        post(CHANNEL, "1.000100", null, "root");
        post(CHANNEL, "1.000200", "1.000100", "step offered");
        call("chat.update", Map.of("channel", CHANNEL, "ts", "1.000200", "text", "step done",
                "blocks", "[{\"type\":\"divider\"}]"), JSON.createObjectNode());

        JsonNode messages = view("U0ALEX").path("messages");

        assertEquals(1, messages.size());
        assertEquals("root", messages.get(0).path("text").asText());
        JsonNode reply = messages.get(0).path("replies").get(0);
        assertEquals("step done", reply.path("text").asText());
        assertEquals("divider", reply.path("blocks").get(0).path("type").asText());
    }

    @Test
    void anEphemeralMessageAndAResponseUrlAnswerAreShownOnlyToTheirPerson() {
        post(CHANNEL, "1.000100", null, "root");
        call("chat.postEphemeral", Map.of("channel", CHANNEL, "user", "U0NICO", "thread_ts", "1.000100",
                "text", "You are not an approver"), JSON.createObjectNode().put("message_ts", "1.000300"));
        call(FakeSlackApi.RESPONSE_URL_PREFIX + Workspace.responseId("U0RILEY", 1), Map.of("text", "Incident opened"),
                JSON.createObjectNode());

        JsonNode nico = view("U0NICO").path("messages");
        JsonNode riley = view("U0RILEY").path("messages");
        JsonNode alex = view("U0ALEX").path("messages");

        assertEquals("You are not an approver", nico.get(0).path("replies").get(0).path("text").asText());
        assertEquals(true, nico.get(0).path("replies").get(0).path("ephemeral").asBoolean());
        assertEquals(1, nico.size());
        assertEquals("Incident opened", riley.get(1).path("text").asText());
        assertEquals(true, riley.get(1).path("ephemeral").asBoolean());
        assertEquals(0, riley.get(0).path("replies").size());
        assertEquals(1, alex.size());
        assertEquals(0, alex.get(0).path("replies").size());
    }

    @Test
    void aDirectMessageReachesOnlyItsPerson() {
        post("D0NICO", "1.000500", null, "Your new key is ready");

        assertEquals("Your new key is ready", view("U0NICO").path("directMessages").get(0).path("text").asText());
        assertEquals(0, view("U0ALEX").path("directMessages").size());
        assertEquals(0, view("U0NICO").path("messages").size());
    }

    @Test
    void whatPeopleSayIsPublicAndACommandsAnswerPrivate() {
        workspace.said("U0SAM", "on it");
        workspace.acknowledged("U0RILEY", 200, "{\"response_type\":\"ephemeral\",\"text\":\"Incident LK-1 opened\"}");

        JsonNode alex = view("U0ALEX").path("messages");
        JsonNode riley = view("U0RILEY").path("messages");

        assertEquals(1, alex.size());
        assertEquals("U0SAM", alex.get(0).path("author").asText());
        assertEquals("Incident LK-1 opened", riley.get(1).path("text").asText());
        assertEquals("bot", riley.get(1).path("author").asText());
    }

    private void post(String channel, String ts, String threadTs, String text) {
        Map<String, String> params = new java.util.HashMap<>(Map.of("channel", channel, "text", text));
        if (threadTs != null) {
            params.put("thread_ts", threadTs);
        }
        call("chat.postMessage", params, JSON.createObjectNode().put("ts", ts));
    }

    private void call(String method, Map<String, String> params, ObjectNode answer) {
        clock = clock.plusSeconds(1);
        calls.add(new RecordedCall(method, params, "", 200, answer.put("ok", true), clock));
    }

    private JsonNode view(String person) {
        ObjectNode view = JSON.createObjectNode();
        workspace.render(person, calls, Map.of(), view);
        return view;
    }
}
