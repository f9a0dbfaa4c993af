package com.leakedkeybot.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The incident channel as a person sees it: the bot's posts and updates (as the Web API recorded them), threads, the
 * ephemeral messages meant for that person alone, their direct messages, and what people said or were answered.
 */
final class Workspace {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RESPONSE_PREFIX = "u-";

    /** Something said in the workspace other than through the Web API: a person's message, a command's answer. */
    private record Note(String person, boolean privately, JsonNode message, Instant at) {
    }

    private final List<Note> notes = new ArrayList<>();

    static String responseId(String person, int sequence) {
        return RESPONSE_PREFIX + person + "-" + sequence;
    }

    synchronized void clear() {
        notes.clear();
    }

    synchronized void said(String person, String text) {
        notes.add(new Note(person, false, JSON.createObjectNode().put("text", text), Instant.now()));
    }

    /** The bot's HTTP answer to a command: Slack shows its message to the person who typed it, and only to them. */
    synchronized void acknowledged(String person, int status, String body) {
        JsonNode message;
        try {
            message = status == 200 && body != null && body.startsWith("{") ? JSON.readTree(body)
                    : JSON.createObjectNode().put("text", status == 200 ? body : "The app did not respond (" + status + ")");
        } catch (java.io.IOException e) {
            message = JSON.createObjectNode().put("text", body);
        }
        if (!message.path("text").asText("").isEmpty() || message.has("blocks")) {
            notes.add(new Note(person, true, message, Instant.now()));
        }
    }

    /** Puts {@code messages} and {@code directMessages} as {@code viewer} sees them into {@code view}. */
    void render(String viewer, List<RecordedCall> calls, Map<String, String> responseThreads, ObjectNode view) {
        List<Object> events = new ArrayList<>(calls);
        synchronized (this) {
            events.addAll(notes);
        }
        events.sort(Comparator.comparing(e -> e instanceof RecordedCall call ? call.at() : ((Note) e).at()));
        ArrayNode messages = view.putArray("messages");
        ArrayNode direct = view.putArray("directMessages");
        Map<String, ObjectNode> byKey = new HashMap<>();
        for (Object event : events) {
            if (event instanceof Note note) {
                if (!note.privately() || note.person().equals(viewer)) {
                    ObjectNode shown = message(note.message(), "n" + note.at().toEpochMilli(),
                            note.privately() ? "bot" : note.person());
                    shown.put("ephemeral", note.privately());
                    messages.add(shown);
                }
                continue;
            }
            RecordedCall call = (RecordedCall) event;
            if (!call.ok()) {
                continue;
            }
            String method = call.method();
            if (method.equals("chat.postMessage")) {
                String channel = call.param("channel");
                String ts = call.response().path("ts").asText();
                ObjectNode shown = message(fields(call), ts, "bot");
                shown.put("channel", channel);
                byKey.put(channel + "/" + ts, shown);
                if (channel.startsWith("D")) {
                    if (("U" + channel.substring(1)).equals(viewer)) {
                        direct.add(shown);
                    }
                } else {
                    place(shown, call.param("thread_ts"), channel, byKey, messages);
                }
            } else if (method.equals("chat.update")) {
                ObjectNode shown = byKey.get(call.param("channel") + "/" + call.param("ts"));
                if (shown != null) {
                    shown.put("text", String.valueOf(call.param("text")));
                    shown.set("blocks", call.param("blocks") != null ? call.blocks() : JSON.createArrayNode());
                }
            } else if (method.equals("chat.postEphemeral") && viewer.equals(call.param("user"))) {
                ObjectNode shown = message(fields(call), call.response().path("message_ts").asText(), "bot");
                shown.put("ephemeral", true);
                place(shown, call.param("thread_ts"), call.param("channel"), byKey, messages);
            } else if (method.startsWith(FakeSlackApi.RESPONSE_URL_PREFIX)) {
                String id = method.substring(FakeSlackApi.RESPONSE_URL_PREFIX.length());
                if (id.startsWith(RESPONSE_PREFIX + viewer + "-") && !"true".equals(call.param("delete_original"))) {
                    ObjectNode shown = message(fields(call), id, "bot");
                    shown.put("ephemeral", !"in_channel".equals(call.param("response_type")));
                    place(shown, responseThreads.get(id), Drill.INCIDENT_CHANNEL, byKey, messages);
                }
            }
        }
    }

    private static void place(ObjectNode shown, String threadTs, String channel, Map<String, ObjectNode> byKey,
                              ArrayNode messages) {
        ObjectNode parent = threadTs == null ? null : byKey.get(channel + "/" + threadTs);
        if (parent != null) {
            parent.withArray("replies").add(shown);
        } else {
            messages.add(shown);
        }
    }

    private static JsonNode fields(RecordedCall call) {
        ObjectNode message = JSON.createObjectNode().put("text", call.param("text") == null ? "" : call.param("text"));
        if (call.param("blocks") != null) {
            message.set("blocks", call.blocks());
        }
        return message;
    }

    private static ObjectNode message(JsonNode fields, String ts, String author) {
        ObjectNode shown = JSON.createObjectNode();
        shown.put("ts", ts);
        shown.put("author", author);
        shown.put("text", fields.path("text").asText(""));
        shown.set("blocks", fields.path("blocks").isArray() ? fields.path("blocks") : JSON.createArrayNode());
        shown.put("ephemeral", false);
        shown.putArray("replies");
        return shown;
    }
}
