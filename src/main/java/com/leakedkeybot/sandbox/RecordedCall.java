package com.leakedkeybot.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.time.Instant;
import java.util.Map;

/**
 * One request that reached {@link FakeSlackApi}, with the answer it got.
 *
 * @param method   the Web API method ({@code chat.postMessage}), or {@code response_url:{id}} for a response_url post
 * @param params   the request's fields, decoded; JSON-valued fields (such as {@code blocks}) stay JSON strings, as the
 *                 Java SDK sends them
 * @param rawBody  the body exactly as received
 * @param status   the HTTP status answered
 * @param response the JSON answered; for a response_url post, which Slack answers in plain text, the equivalent
 *                 {@code {"ok":…}} verdict so every call can be judged the same way
 * @param at       when the request arrived
 */
public record RecordedCall(String method, Map<String, String> params, String rawBody, int status, JsonNode response,
                           Instant at) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Whether Slack would have accepted the call. */
    public boolean ok() {
        return status == 200 && response.path("ok").asBoolean(false);
    }

    /** The field's value, or null when it was not sent. */
    public String param(String name) {
        return params.get(name);
    }

    /** The {@code error} Slack answered, or null when the call was accepted. */
    public String error() {
        return response.path("error").textValue();
    }

    /** The {@code blocks} sent, parsed; a missing node when none were sent. */
    public JsonNode blocks() {
        String blocks = params.get("blocks");
        if (blocks == null) {
            return MissingNode.getInstance();
        }
        try {
            return JSON.readTree(blocks);
        } catch (JsonProcessingException e) {
            return MissingNode.getInstance();
        }
    }
}
