package com.leakedkeybot.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * A fake of the Slack Web API and of response_url endpoints on a loopback port. It answers what the bot calls
 * ({@code auth.test}, {@code chat.postMessage}, {@code chat.update}, {@code chat.postEphemeral}), refuses what real
 * Slack refuses (Block Kit limits and schema, message length, bad tokens, rate limits) and records every request, so a
 * test can assert on exactly what went over the wire.
 */
public final class FakeSlackApi implements AutoCloseable {

    /** Recorded method of a post to {@link #responseUrl(String)}: this prefix followed by the id. */
    public static final String RESPONSE_URL_PREFIX = "response_url:";

    public static final String TEAM_ID = "T0001";
    public static final String BOT_USER_ID = "UBOT";
    public static final String BOT_ID = "B0001";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String botToken;
    private final HttpServer server;
    private final ExecutorService executor;

    /** Guards every field below; waiters in {@link #awaitCall} are woken through it. */
    private final Object lock = new Object();
    private final List<RecordedCall> calls = new ArrayList<>();
    private final Map<String, JsonNode> messagesByChannelAndTs = new HashMap<>();
    private static final int RESPONSE_URL_USES = 5;
    private final Map<String, Integer> responseUrlUses = new HashMap<>();
    private final Map<String, TokenBucket> channelLimits = new HashMap<>();
    private long lastTsMicros = 1_700_000_000_000_000L;
    private int injected429s;
    private int injectedRetryAfterSeconds;
    private double channelPerSecond;
    private int channelBurst;
    private String appToken;
    private String socketModeUrl;

    private FakeSlackApi(String botToken) throws IOException {
        this.botToken = botToken;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        this.executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "fake-slack-api");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/api/", this::handleApi);
        server.createContext("/response/", this::handleResponseUrl);
        server.start();
    }

    /** Starts the fake on a free loopback port; it accepts only {@code botToken}. */
    public static FakeSlackApi start(String botToken) {
        try {
            return new FakeSlackApi(botToken);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Web API base URL, for {@code SlackConfig#setMethodsEndpointUrlPrefix} (the bot's SLACK_API_URL). */
    public String apiUrl() {
        return baseUrl() + "/api/";
    }

    /** A response_url for a slash command or button click; posts to it are recorded as {@code response_url:{id}}. */
    public String responseUrl(String id) {
        return baseUrl() + "/response/" + id;
    }

    /** The next {@code count} Web API calls (other than {@code auth.test}) are answered HTTP 429. */
    public void failNextWith429(int count, int retryAfterSeconds) {
        synchronized (lock) {
            injected429s = count;
            injectedRetryAfterSeconds = retryAfterSeconds;
        }
    }

    /**
     * Enforces Slack's per-channel limit on {@code chat.postMessage} as a token bucket: {@code burst} posts at once,
     * refilled at {@code perSecond}. A post over the limit is answered HTTP 429 with the seconds until the next token.
     */
    public void enforceChannelRate(double perSecond, int burst) {
        synchronized (lock) {
            channelPerSecond = perSecond;
            channelBurst = burst;
            channelLimits.clear();
        }
    }

    /**
     * Answers {@code apps.connections.open} called with {@code appToken} (and only that token: Slack refuses bot
     * tokens there) with {@code url}, the Socket Mode WebSocket to connect to.
     */
    public void enableSocketMode(String appToken, String url) {
        synchronized (lock) {
            this.appToken = appToken;
            this.socketModeUrl = url;
        }
    }

    /** Forgets calls, stored messages, injected failures and rate limits; timestamps keep increasing. */
    public void reset() {
        synchronized (lock) {
            calls.clear();
            messagesByChannelAndTs.clear();
            responseUrlUses.clear();
            channelLimits.clear();
            injected429s = 0;
            channelPerSecond = 0;
        }
    }

    public List<RecordedCall> calls() {
        synchronized (lock) {
            return List.copyOf(calls);
        }
    }

    public List<RecordedCall> calls(String method) {
        return calls().stream().filter(call -> call.method().equals(method)).toList();
    }

    /** Calls Slack refused: answered {@code ok:false} or with a non-200 status such as 429. */
    public List<RecordedCall> rejected() {
        return calls().stream().filter(call -> !call.ok()).toList();
    }

    /** Accepted {@code chat.postMessage} calls, in order. */
    public List<RecordedCall> postedMessages() {
        return calls("chat.postMessage").stream().filter(RecordedCall::ok).toList();
    }

    /**
     * Everything the bot sent: each raw body, each decoded field, and the text inside JSON-valued fields such as
     * {@code blocks}. A secret has to be looked for in all three, since form encoding and JSON escaping disguise it.
     */
    public String allRecordedText() {
        StringBuilder text = new StringBuilder();
        for (RecordedCall call : calls()) {
            text.append(call.rawBody()).append('\n');
            call.params().values().forEach(value -> {
                text.append(value).append('\n');
                appendJsonText(value, text);
            });
        }
        return text.toString();
    }

    /** Waits until a call to {@code method} matching {@code condition} has been recorded, and returns the first. */
    public RecordedCall awaitCall(String method, Predicate<RecordedCall> condition, Duration timeout)
            throws InterruptedException {
        return awaitCalls(method, condition, 1, timeout).get(0);
    }

    /** Waits until {@code count} calls to {@code method} matching {@code condition} have been recorded; returns them all. */
    public List<RecordedCall> awaitCalls(String method, Predicate<RecordedCall> condition, int count, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (true) {
                List<RecordedCall> matches = calls.stream()
                        .filter(call -> call.method().equals(method) && condition.test(call))
                        .toList();
                if (matches.size() >= count) {
                    return matches;
                }
                long remainingMillis = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
                if (remainingMillis <= 0) {
                    // Only method names: bodies may hold the very secret a test is guarding.
                    throw new AssertionError(matches.size() + " of " + count + " matching " + method + " calls within "
                            + timeout + "; recorded: " + calls.stream().map(RecordedCall::method).toList());
                }
                lock.wait(remainingMillis);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handleApi(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestURI().getPath().substring("/api/".length());
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> params = parseBody(exchange, body);
        Answer answer;
        synchronized (lock) {
            answer = answerApi(method, exchange.getRequestHeaders().getFirst("Authorization"), params);
            record(new RecordedCall(method, params, body, answer.status, answer.json, Instant.now()));
        }
        if (answer.retryAfterSeconds > 0) {
            exchange.getResponseHeaders().set("Retry-After", String.valueOf(answer.retryAfterSeconds));
        }
        send(exchange, answer.status, "application/json; charset=utf-8", answer.json.toString());
    }

    private Answer answerApi(String method, String authorization, Map<String, String> params) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return Answer.error("not_authed");
        }
        String token = authorization.substring("Bearer ".length());
        if (method.equals("apps.connections.open")) {
            if (appToken == null || !appToken.equals(token)) {
                return Answer.error(token.equals(botToken) ? "not_allowed_token_type" : "invalid_auth");
            }
            return Answer.ok(JSON.createObjectNode().put("url", socketModeUrl));
        }
        if (!token.equals(botToken)) {
            return Answer.error("invalid_auth");
        }
        // Bolt calls auth.test on its own, at start and before a token's first call: failing it would break the app
        // rather than exercise the bot's handling of a rate-limited post.
        if (injected429s > 0 && !method.equals("auth.test")) {
            injected429s--;
            return Answer.rateLimited(injectedRetryAfterSeconds);
        }
        return switch (method) {
            case "auth.test" -> Answer.ok(authTest());
            case "chat.postMessage" -> postMessage(params);
            case "chat.update" -> update(params);
            case "chat.postEphemeral" -> postEphemeral(params);
            case "chat.getPermalink" -> permalink(params);
            case "conversations.open" -> openDirectMessage(params);
            default -> Answer.error("unknown_method");
        };
    }

    private ObjectNode authTest() {
        ObjectNode answer = JSON.createObjectNode();
        answer.put("url", "https://fake-workspace.slack.com/");
        answer.put("team", "Fake Workspace");
        answer.put("user", "leaked-key-bot");
        answer.put("team_id", TEAM_ID);
        answer.put("user_id", BOT_USER_ID);
        answer.put("bot_id", BOT_ID);
        answer.put("is_enterprise_install", false);
        return answer;
    }

    private Answer postMessage(Map<String, String> params) {
        String channel = params.get("channel");
        if (channel == null || channel.isBlank()) {
            return Answer.error("channel_not_found");
        }
        if (channelPerSecond > 0) {
            long retryAfter = channelLimits
                    .computeIfAbsent(channel, c -> new TokenBucket(channelPerSecond, channelBurst))
                    .tryAcquire();
            if (retryAfter > 0) {
                return Answer.rateLimited(retryAfter);
            }
        }
        Optional<MessageRules.Rejection> rejection = MessageRules.check(params, false);
        if (rejection.isPresent()) {
            return Answer.rejected(rejection.get());
        }
        String ts = nextTs();
        ObjectNode message = storedMessage(params, ts);
        messagesByChannelAndTs.put(channel + "/" + ts, message);
        ObjectNode answer = JSON.createObjectNode();
        answer.put("channel", channel);
        answer.put("ts", ts);
        answer.set("message", message);
        return Answer.ok(answer);
    }

    private Answer update(Map<String, String> params) {
        String channel = params.get("channel");
        String ts = params.get("ts");
        if (!messagesByChannelAndTs.containsKey(channel + "/" + ts)) {
            return Answer.error("message_not_found");
        }
        Optional<MessageRules.Rejection> rejection = MessageRules.check(params, false);
        if (rejection.isPresent()) {
            return Answer.rejected(rejection.get());
        }
        ObjectNode message = storedMessage(params, ts);
        messagesByChannelAndTs.put(channel + "/" + ts, message);
        ObjectNode answer = JSON.createObjectNode();
        answer.put("channel", channel);
        answer.put("ts", ts);
        answer.put("text", params.getOrDefault("text", ""));
        answer.set("message", message);
        return Answer.ok(answer);
    }

    /** Slack's chat.getPermalink: only for a message that exists, in the thread form Slack gives replies. */
    private Answer permalink(Map<String, String> params) {
        String channel = params.get("channel");
        String ts = params.get("message_ts");
        if (channel == null || channel.isBlank()) {
            return Answer.error("channel_not_found");
        }
        JsonNode message = messagesByChannelAndTs.get(channel + "/" + ts);
        if (message == null) {
            return Answer.error("message_not_found");
        }
        String link = "https://fake-workspace.slack.com/archives/" + channel + "/p" + ts.replace(".", "");
        String thread = message.path("thread_ts").asText("");
        ObjectNode answer = JSON.createObjectNode();
        answer.put("channel", channel);
        answer.put("permalink", thread.isEmpty() ? link : link + "?thread_ts=" + thread + "&cid=" + channel);
        return Answer.ok(answer);
    }

    private Answer postEphemeral(Map<String, String> params) {
        if (params.get("channel") == null || params.get("channel").isBlank()) {
            return Answer.error("channel_not_found");
        }
        if (params.get("user") == null || params.get("user").isBlank()) {
            return Answer.error("user_not_found");
        }
        Optional<MessageRules.Rejection> rejection = MessageRules.check(params, false);
        if (rejection.isPresent()) {
            return Answer.rejected(rejection.get());
        }
        ObjectNode answer = JSON.createObjectNode();
        answer.put("message_ts", nextTs());
        return Answer.ok(answer);
    }

    /**
     * Slack's conversations.open for one user: the same D… channel every time for that user; a missing list, or
     * anything that is not a user id, is refused like Slack does.
     */
    private Answer openDirectMessage(Map<String, String> params) {
        String users = params.get("users");
        if (users == null || users.isBlank()) {
            return Answer.error("users_list_not_supplied");
        }
        if (!users.matches("[UW][A-Z0-9]{2,}")) {
            return Answer.error("user_not_found");
        }
        ObjectNode answer = JSON.createObjectNode();
        answer.putObject("channel").put("id", "D" + users.substring(1));
        return Answer.ok(answer);
    }

    /** The message as Slack echoes it back: posted by the bot user, with the blocks it was given. */
    private ObjectNode storedMessage(Map<String, String> params, String ts) {
        ObjectNode message = JSON.createObjectNode();
        message.put("type", "message");
        message.put("user", BOT_USER_ID);
        message.put("bot_id", BOT_ID);
        message.put("text", params.getOrDefault("text", ""));
        message.put("ts", ts);
        if (params.get("thread_ts") != null) {
            message.put("thread_ts", params.get("thread_ts"));
        }
        if (params.get("blocks") != null) {
            message.set("blocks", parseJson(params.get("blocks")));
        }
        return message;
    }

    /** Unique and increasing like Slack's, e.g. {@code 1700000000.000100}. */
    private String nextTs() {
        lastTsMicros += 100;
        return String.format("%d.%06d", lastTsMicros / 1_000_000, lastTsMicros % 1_000_000);
    }

    private void handleResponseUrl(HttpExchange exchange) throws IOException {
        String id = exchange.getRequestURI().getPath().substring("/response/".length());
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> params = parseBody(exchange, body);
        // Slack checks response_url messages like any other; it answers them in plain text, not JSON.
        Optional<MessageRules.Rejection> rejection =
                MessageRules.check(params, "true".equals(params.get("delete_original")));
        Answer answer = rejection.map(Answer::rejected).orElseGet(() -> Answer.ok(JSON.createObjectNode()));
        int status = rejection.isPresent() ? 400 : 200;
        String error = rejection.map(MessageRules.Rejection::error).orElse("ok");
        synchronized (lock) {
            // Slack lets a response_url be used five times; later posts are refused.
            if (rejection.isEmpty() && responseUrlUses.merge(id, 1, Integer::sum) > RESPONSE_URL_USES) {
                status = 404;
                error = "used_url";
                answer = Answer.error(error);
            }
            record(new RecordedCall(RESPONSE_URL_PREFIX + id, params, body, status, answer.json, Instant.now()));
        }
        send(exchange, status, "text/plain; charset=utf-8", error);
    }

    /** Callers hold {@link #lock}. */
    private void record(RecordedCall call) {
        calls.add(call);
        lock.notifyAll();
    }

    /**
     * The SDK sends most methods as form fields (JSON-valued ones as JSON strings) and some as a JSON body;
     * response_url posts are JSON. Either way the fields come out as strings, non-text JSON values as JSON.
     */
    private static Map<String, String> parseBody(HttpExchange exchange, String body) {
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        Map<String, String> params = new LinkedHashMap<>();
        if (contentType != null && contentType.startsWith("application/json")) {
            JsonNode json = parseJson(body);
            json.fields().forEachRemaining(field -> params.put(field.getKey(),
                    field.getValue().isTextual() ? field.getValue().asText() : field.getValue().toString()));
        } else if (!body.isEmpty()) {
            for (String pair : body.split("&")) {
                int eq = pair.indexOf('=');
                String name = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : pair.substring(eq + 1);
                params.put(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
            }
        }
        return Collections.unmodifiableMap(params);
    }

    private static JsonNode parseJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return JSON.createObjectNode();
        }
    }

    private static void appendJsonText(String value, StringBuilder text) {
        try {
            JsonNode json = JSON.readTree(value);
            if (json != null && json.isContainerNode()) {
                appendTextLeaves(json, text);
            }
        } catch (JsonProcessingException notJson) {
            // Plain field: its decoded value is already in the text.
        }
    }

    private static void appendTextLeaves(JsonNode node, StringBuilder text) {
        if (node.isValueNode()) {
            text.append(node.asText()).append('\n');
        }
        node.forEach(child -> appendTextLeaves(child, text));
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** An HTTP answer: status, JSON body and, for 429, the Retry-After seconds. */
    private record Answer(int status, ObjectNode json, long retryAfterSeconds) {

        static Answer ok(ObjectNode fields) {
            ObjectNode json = JSON.createObjectNode().put("ok", true);
            json.setAll(fields);
            return new Answer(200, json, 0);
        }

        static Answer error(String error) {
            return new Answer(200, JSON.createObjectNode().put("ok", false).put("error", error), 0);
        }

        static Answer rejected(MessageRules.Rejection rejection) {
            Answer answer = error(rejection.error());
            if (!rejection.reasons().isEmpty()) {
                ArrayNode errors = answer.json.putArray("errors");
                rejection.reasons().forEach(errors::add);
            }
            return answer;
        }

        static Answer rateLimited(long retryAfterSeconds) {
            return new Answer(429, JSON.createObjectNode().put("ok", false).put("error", "ratelimited"),
                    retryAfterSeconds);
        }
    }
}
