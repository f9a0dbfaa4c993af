package com.leakedkeybot.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.slack.api.app_backend.SlackSignature;
import com.slack.api.app_backend.interactive_components.payload.BlockActionPayload;
import com.slack.api.app_backend.slash_commands.SlashCommandPayloadParser;
import com.slack.api.app_backend.slash_commands.payload.SlashCommandPayload;
import com.slack.api.util.json.GsonFactory;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Checks requests against the Slack SDK's own signature verifier and payload parsers, over real HTTP. */
class SlackRequestsTest {

    private static final String SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
    private static final String RESPONSE_URL = "http://127.0.0.1:1/response/cmd";

    private final SlackSignature.Verifier verifier =
            new SlackSignature.Verifier(new SlackSignature.Generator(SIGNING_SECRET));
    private final SlackRequests requests = new SlackRequests(SIGNING_SECRET, RESPONSE_URL);

    /** What the receiving end saw: timestamp header, signature header, raw body. */
    private record Received(String timestamp, String signature, String body) {
    }

    private final AtomicReference<Received> received = new AtomicReference<>();
    private HttpServer receiver;
    private URI eventsUrl;

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/slack/events", exchange -> {
            received.set(new Received(exchange.getRequestHeaders().getFirst("X-Slack-Request-Timestamp"),
                    exchange.getRequestHeaders().getFirst("X-Slack-Signature"),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        eventsUrl = URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/slack/events");
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    @Test
    void signsSlacksOwnDocumentedExampleAsSlackDoes() throws Exception {
        // The example of Slack's "Verifying requests from Slack", with its signing secret (SIGNING_SECRET).
        String body = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
                + "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
                + "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
                + "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";

        requests.withTimestamp(1531420618L).post(eventsUrl, body);

        Received request = received.get();
        assertEquals("1531420618", request.timestamp());
        assertEquals(body, request.body());
        assertEquals("v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503", request.signature());
    }

    @Test
    void slashCommandIsSignedAndParsesWithDefaultsAndOverrides() throws Exception {
        assertEquals(200, requests.slashCommand(eventsUrl, Map.of("text", "AKIAIOSFODNN7EXAMPLE")).statusCode());

        Received request = received.get();
        assertTrue(verifier.isValid(request.timestamp(), request.body(), request.signature()));
        SlashCommandPayload command = new SlashCommandPayloadParser().parse(request.body());
        assertEquals("/leaked-key", command.getCommand());
        assertEquals("AKIAIOSFODNN7EXAMPLE", command.getText());
        assertEquals(SlackRequests.USER_ID, command.getUserId());
        assertEquals(RESPONSE_URL, command.getResponseUrl());
    }

    @Test
    void blockActionIsSignedAndParsesAsTheSdkPayload() throws Exception {
        requests.blockAction(eventsUrl, SlackRequests.blockActionsPayload("U0002", "C0SECURITY", "1700000000.000100",
                null, "deactivate_key", "incident-actions", "AKIAIOSFODNN7EXAMPLE", RESPONSE_URL));

        Received request = received.get();
        assertTrue(verifier.isValid(request.timestamp(), request.body(), request.signature()));
        assertTrue(request.body().startsWith("payload="));
        String json = URLDecoder.decode(request.body().substring("payload=".length()), StandardCharsets.UTF_8);
        BlockActionPayload payload = GsonFactory.createSnakeCase().fromJson(json, BlockActionPayload.class);
        assertEquals("block_actions", payload.getType());
        assertEquals("U0002", payload.getUser().getId());
        assertEquals("C0SECURITY", payload.getChannel().getId());
        assertEquals("1700000000.000100", payload.getContainer().getMessageTs());
        assertNull(payload.getContainer().getThreadTs());
        assertEquals("deactivate_key", payload.getActions().get(0).getActionId());
        assertEquals("incident-actions", payload.getActions().get(0).getBlockId());
        assertEquals("AKIAIOSFODNN7EXAMPLE", payload.getActions().get(0).getValue());
        assertEquals(RESPONSE_URL, payload.getResponseUrl());
    }

    @Test
    void blockActionCarriesTheThreadWhenGiven() {
        var payload = SlackRequests.blockActionsPayload("U0002", "C0SECURITY", "1700000000.000200",
                "1700000000.000100", "a", "b", "v", RESPONSE_URL);

        assertEquals("1700000000.000100", payload.path("container").path("thread_ts").asText());
        assertEquals("1700000000.000100", payload.path("message").path("thread_ts").asText());
    }

    @Test
    void overriddenTimestampIsStillCorrectlySignedButStale() throws Exception {
        long sixMinutesAgo = Instant.now().minusSeconds(360).getEpochSecond();

        requests.withTimestamp(sixMinutesAgo).slashCommand(eventsUrl, Map.of());

        Received request = received.get();
        assertEquals(String.valueOf(sixMinutesAgo), request.timestamp());
        assertTrue(verifier.isValid(request.timestamp(), request.body(), request.signature(), sixMinutesAgo * 1000));
        assertFalse(verifier.isValid(request.timestamp(), request.body(), request.signature()));
    }

    @Test
    void overriddenSignatureIsSentVerbatim() throws Exception {
        String forged = "v0=" + "0".repeat(64);

        requests.withSignature(forged).slashCommand(eventsUrl, Map.of());

        Received request = received.get();
        assertEquals(forged, request.signature());
        assertFalse(verifier.isValid(request.timestamp(), request.body(), request.signature()));
    }
}
