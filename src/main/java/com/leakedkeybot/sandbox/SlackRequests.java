package com.leakedkeybot.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.slack.api.app_backend.SlackSignature;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Sends what Slack sends to the bot: signed slash commands and button clicks, as form posts over real HTTP. Requests
 * are signed by the Slack SDK's own {@link SlackSignature.Generator}, an oracle independent of the bot's verifier. The
 * timestamp and signature can be overridden to test stale, future and forged requests.
 */
public final class SlackRequests {

    public static final String USER_ID = "U0001";
    public static final String CHANNEL_ID = "C0SECURITY";
    public static final String API_APP_ID = "A0001";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String signingSecret;
    private final String defaultResponseUrl;
    private final Long timestampOverride;
    private final String signatureOverride;

    /**
     * @param signingSecret      the app's signing secret, as the bot is configured with it
     * @param defaultResponseUrl the response_url of slash commands that name none, e.g. {@link FakeSlackApi#responseUrl}
     */
    public SlackRequests(String signingSecret, String defaultResponseUrl) {
        this(signingSecret, defaultResponseUrl, null, null);
    }

    private SlackRequests(String signingSecret, String defaultResponseUrl, Long timestampOverride,
                          String signatureOverride) {
        this.signingSecret = signingSecret;
        this.defaultResponseUrl = defaultResponseUrl;
        this.timestampOverride = timestampOverride;
        this.signatureOverride = signatureOverride;
    }

    /** Requests stamped {@code unixSeconds} instead of now, still correctly signed for that stamp. */
    public SlackRequests withTimestamp(long unixSeconds) {
        return new SlackRequests(signingSecret, defaultResponseUrl, unixSeconds, signatureOverride);
    }

    /** Requests carrying this {@code X-Slack-Signature} verbatim instead of the correct one. */
    public SlackRequests withSignature(String signature) {
        return new SlackRequests(signingSecret, defaultResponseUrl, timestampOverride, signature);
    }

    /** A {@code /leaked-key} command from {@link #USER_ID} in {@link #CHANNEL_ID}; {@code fields} override the defaults. */
    public HttpResponse<String> slashCommand(URI eventsUrl, Map<String, String> fields)
            throws IOException, InterruptedException {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("token", "unused-verification-token");
        form.put("team_id", FakeSlackApi.TEAM_ID);
        form.put("team_domain", "fake-workspace");
        form.put("channel_id", CHANNEL_ID);
        form.put("channel_name", "security-incidents");
        form.put("user_id", USER_ID);
        form.put("user_name", "alice");
        form.put("command", "/leaked-key");
        form.put("text", "");
        form.put("api_app_id", API_APP_ID);
        form.put("is_enterprise_install", "false");
        form.put("response_url", defaultResponseUrl);
        form.put("trigger_id", newTriggerId());
        form.putAll(fields);
        return post(eventsUrl, formEncode(form));
    }

    /** A button click or other interaction: the form field {@code payload} holding the JSON. */
    public HttpResponse<String> blockAction(URI eventsUrl, ObjectNode payload) throws IOException, InterruptedException {
        return post(eventsUrl, formEncode(Map.of("payload", payload.toString())));
    }

    /** Signs {@code formBody} exactly as given and posts it, as Slack does. */
    public HttpResponse<String> post(URI url, String formBody) throws IOException, InterruptedException {
        long timestamp = timestampOverride != null ? timestampOverride : Instant.now().getEpochSecond();
        String signature = signatureOverride != null ? signatureOverride
                : new SlackSignature.Generator(signingSecret).generate(String.valueOf(timestamp), formBody);
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header(SlackSignature.HeaderNames.X_SLACK_REQUEST_TIMESTAMP, String.valueOf(timestamp))
                .header(SlackSignature.HeaderNames.X_SLACK_SIGNATURE, signature)
                .POST(HttpRequest.BodyPublishers.ofString(formBody, StandardCharsets.UTF_8))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A {@code block_actions} payload as Slack sends it for a button click on a message the bot posted.
     *
     * @param threadTs the thread the message sits in, or null for a top-level message
     */
    public static ObjectNode blockActionsPayload(String userId, String channelId, String messageTs, String threadTs,
                                                 String actionId, String blockId, String value, String responseUrl) {
        ObjectNode payload = JSON.createObjectNode();
        payload.put("type", "block_actions");
        payload.putObject("user").put("id", userId).put("username", "alice").put("name", "alice")
                .put("team_id", FakeSlackApi.TEAM_ID);
        payload.put("api_app_id", API_APP_ID);
        payload.put("token", "unused-verification-token");
        ObjectNode container = payload.putObject("container").put("type", "message").put("message_ts", messageTs)
                .put("channel_id", channelId).put("is_ephemeral", false);
        payload.put("trigger_id", newTriggerId());
        payload.putObject("team").put("id", FakeSlackApi.TEAM_ID).put("domain", "fake-workspace");
        payload.putNull("enterprise");
        payload.put("is_enterprise_install", false);
        payload.putObject("channel").put("id", channelId).put("name", "security-incidents");
        ObjectNode message = payload.putObject("message").put("type", "message").put("user", FakeSlackApi.BOT_USER_ID)
                .put("bot_id", FakeSlackApi.BOT_ID).put("ts", messageTs).put("text", "Leaked key report");
        message.putArray("blocks");
        if (threadTs != null) {
            container.put("thread_ts", threadTs);
            message.put("thread_ts", threadTs);
        }
        payload.putObject("state").putObject("values");
        payload.put("response_url", responseUrl);
        payload.putArray("actions").addObject()
                .put("type", "button")
                .put("action_id", actionId)
                .put("block_id", blockId)
                .put("value", value)
                .put("action_ts", Instant.now().getEpochSecond() + ".000000")
                .putObject("text").put("type", "plain_text").put("text", "Button").put("emoji", true);
        return payload;
    }

    private static String formEncode(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(field -> URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /** Unique per request, shaped like Slack's. */
    private static String newTriggerId() {
        return "1234567890123.1234567890." + UUID.randomUUID().toString().replace("-", "");
    }
}
