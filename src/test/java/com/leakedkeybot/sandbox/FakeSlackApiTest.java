package com.leakedkeybot.sandbox;

import com.leakedkeybot.testkit.Await;
import static com.slack.api.model.block.Blocks.actions;
import static com.slack.api.model.block.Blocks.asBlocks;
import static com.slack.api.model.block.Blocks.context;
import static com.slack.api.model.block.Blocks.header;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.confirmationDialog;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.asElements;
import static com.slack.api.model.block.element.BlockElements.button;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.composition.TextObject;
import com.slack.api.webhook.WebhookResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Drives the fake with the real Slack SDK client, so what it judges is the wire format the bot will send. */
class FakeSlackApiTest {

    private static final String TOKEN = "xoxb-test-token";
    private static final String CHANNEL = "C0SECURITY";
    private static final String KEY_ID = "AKIAIOSFODNN7EXAMPLE";

    private static FakeSlackApi fake;
    private static Slack slack;
    private static MethodsClient methods;

    @BeforeAll
    static void start() {
        fake = FakeSlackApi.start(TOKEN);
        SlackConfig config = new SlackConfig();
        config.setMethodsEndpointUrlPrefix(fake.apiUrl());
        slack = Slack.getInstance(config);
        methods = slack.methods(TOKEN);
    }

    @AfterAll
    static void stop() throws Exception {
        slack.close();
        fake.close();
    }

    @BeforeEach
    void reset() {
        fake.reset();
    }

    @Test
    void acceptsARealisticIncidentMessage() throws Exception {
        ChatPostMessageResponse response = post(incidentMessage());

        assertTrue(response.isOk(), () -> "refused: " + fake.rejected().get(0).response());
        assertTrue(response.getTs().matches("\\d{10}\\.\\d{6}"));
        assertEquals(CHANNEL, response.getChannel());
        RecordedCall call = fake.postedMessages().get(0);
        assertTrue(call.rawBody().contains("blocks=%5B"), "the SDK sends blocks as a form-encoded JSON string");
        assertEquals(4, call.blocks().size());
        assertEquals("header", call.blocks().get(0).path("type").asText());
        assertTrue(fake.rejected().isEmpty());
    }

    @Test
    void timestampsAreUniqueAndIncreasing() throws Exception {
        String first = post(incidentMessage()).getTs();
        String second = post(incidentMessage()).getTs();

        assertTrue(Double.parseDouble(second) > Double.parseDouble(first));
    }

    @Test
    void refusesMoreThanFiftyBlocks() throws Exception {
        List<LayoutBlock> fifty = sections(50);
        List<LayoutBlock> fiftyOne = sections(51);

        assertTrue(post(fifty).isOk());
        assertInvalidBlocks(post(fiftyOne), "51 blocks");
    }

    @Test
    void refusesSectionTextOver3000Characters() throws Exception {
        assertTrue(post(List.of(section(s -> s.text(markdownText("x".repeat(3000)))))).isOk());
        assertInvalidBlocks(post(List.of(section(s -> s.text(markdownText("x".repeat(3001)))))),
                "section text is 3001 characters");
    }

    @Test
    void refusesHeaderTextOver150Characters() throws Exception {
        assertInvalidBlocks(post(List.of(header(h -> h.text(plainText("h".repeat(151)))))),
                "header text is 151 characters");
    }

    @Test
    void refusesMoreThanTenContextElements() throws Exception {
        List<com.slack.api.model.block.ContextBlockElement> elements = new ArrayList<>();
        IntStream.range(0, 11).forEach(i -> elements.add(markdownText("e" + i)));

        assertInvalidBlocks(post(List.of(context(c -> c.elements(elements)))), "context elements: 11 given");
    }

    @Test
    void refusesTooManyOrTooLongSectionFields() throws Exception {
        List<TextObject> eleven = new ArrayList<>();
        IntStream.range(0, 11).forEach(i -> eleven.add(markdownText("f" + i)));

        assertInvalidBlocks(post(List.of(section(s -> s.fields(eleven)))), "section fields: 11 given");
        assertInvalidBlocks(post(List.of(section(s -> s.fields(List.of(markdownText("f".repeat(2001))))))),
                "section field 0 is 2001 characters");
    }

    @Test
    void refusesButtonTextOver75Characters() throws Exception {
        assertTrue(post(List.of(buttons("b".repeat(75), "go", "v"))).isOk());
        assertInvalidBlocks(post(List.of(buttons("b".repeat(76), "go", "v"))), "button text is 76 characters");
    }

    @Test
    void refusesButtonValueOver2000Characters() throws Exception {
        assertInvalidBlocks(post(List.of(buttons("Go", "go", "v".repeat(2001)))), "button value is 2001 characters");
    }

    @Test
    void refusesActionIdOver255Characters() throws Exception {
        assertInvalidBlocks(post(List.of(buttons("Go", "a".repeat(256), "v"))), "action_id is 256 characters");
    }

    @Test
    void refusesDuplicateActionIdsAcrossTheMessage() throws Exception {
        List<LayoutBlock> blocks = List.of(buttons("One", "deactivate_key", "1"), buttons("Two", "deactivate_key", "2"));

        assertInvalidBlocks(post(blocks), "action_id 'deactivate_key' is not unique");
    }

    @Test
    void refusesDuplicateOrOverlongBlockIds() throws Exception {
        List<LayoutBlock> duplicate = List.of(section(s -> s.blockId("summary").text(markdownText("a"))),
                section(s -> s.blockId("summary").text(markdownText("b"))));

        assertInvalidBlocks(post(duplicate), "block_id 'summary' is not unique");
        assertInvalidBlocks(post(List.of(section(s -> s.blockId("b".repeat(256)).text(markdownText("a"))))),
                "block_id is 256 characters");
    }

    @Test
    void refusesWhatTheBlockKitSchemaRejects() throws Exception {
        String unknownTextType = "[{\"type\":\"section\",\"text\":{\"type\":\"markdown\",\"text\":\"hi\"}}]";

        ChatPostMessageResponse response = methods.chatPostMessage(r -> r.channel(CHANNEL).text("t")
                .blocksAsString(unknownTextType));

        assertInvalidBlocks(response, "/0/text: must be valid to one and only one schema");
        assertFalse(errorsOf(fake.rejected().get(0)).contains("video"), "messages about other block kinds leaked");
    }

    @Test
    void refusesUnparsableBlocks() throws Exception {
        ChatPostMessageResponse response = methods.chatPostMessage(r -> r.channel(CHANNEL).text("t")
                .blocksAsString("[{\"type\":"));

        assertEquals("invalid_blocks_format", response.getError());
    }

    @Test
    void refusesOverlongOrMissingText() throws Exception {
        assertTrue(methods.chatPostMessage(r -> r.channel(CHANNEL).text("t".repeat(40_000))).isOk());
        assertEquals("msg_too_long", methods.chatPostMessage(r -> r.channel(CHANNEL).text("t".repeat(40_001))).getError());
        assertEquals("no_text", methods.chatPostMessage(r -> r.channel(CHANNEL)).getError());
    }

    @Test
    void refusesAWrongToken() throws Exception {
        ChatPostMessageResponse response = slack.methods("xoxb-wrong").chatPostMessage(r -> r.channel(CHANNEL).text("t"));

        assertEquals("invalid_auth", response.getError());
        assertTrue(fake.postedMessages().isEmpty());
    }

    @Test
    void refusesACallWithoutToken() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(fake.apiUrl() + "chat.postMessage"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("channel=" + CHANNEL + "&text=hi")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals("not_authed", fake.rejected().get(0).error());
        assertTrue(response.body().contains("\"ok\":false"));
    }

    @Test
    void acceptsJsonBodiesAndChecksTheirBlocksToo() throws Exception {
        String valid = "{\"channel\":\"" + CHANNEL + "\",\"text\":\"t\","
                + "\"blocks\":[{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\",\"text\":\"hi\"}}]}";
        String invalid = valid.replace("\"mrkdwn\"", "\"markdown\"");

        postJson(valid);
        postJson(invalid);

        List<RecordedCall> calls = fake.calls("chat.postMessage");
        assertTrue(calls.get(0).ok());
        assertEquals("section", calls.get(0).blocks().get(0).path("type").asText());
        assertEquals("invalid_blocks", calls.get(1).error());
    }

    @Test
    void answersAuthTestWithTheBotIdentity() throws Exception {
        var response = methods.authTest(r -> r);

        assertTrue(response.isOk());
        assertEquals(FakeSlackApi.BOT_USER_ID, response.getUserId());
        assertEquals(FakeSlackApi.TEAM_ID, response.getTeamId());
        assertEquals(FakeSlackApi.BOT_ID, response.getBotId());
    }

    @Test
    void updatesOnlyMessagesItHasSeen() throws Exception {
        String ts = post(incidentMessage()).getTs();

        assertEquals("message_not_found",
                methods.chatUpdate(r -> r.channel(CHANNEL).ts("1600000000.000100").text("x")).getError());
        var updated = methods.chatUpdate(r -> r.channel(CHANNEL).ts(ts).text("Key deactivated"));
        assertTrue(updated.isOk());
        assertEquals(ts, updated.getTs());
    }

    @Test
    void postsEphemeralMessages() throws Exception {
        var response = methods.chatPostEphemeral(r -> r.channel(CHANNEL).user("U0001").text("Only you can see this"));

        assertTrue(response.isOk());
        assertTrue(response.getMessageTs().matches("\\d{10}\\.\\d{6}"));
    }

    @Test
    void answersUnknownMethodsWithAnErrorAndRecordsThem() throws Exception {
        var response = methods.conversationsList(r -> r);

        assertEquals("unknown_method", response.getError());
        assertEquals(1, fake.calls("conversations.list").size());
    }

    @Test
    void injected429CarriesRetryAfterThenClears() throws Exception {
        fake.failNextWith429(1, 7);

        SlackApiException limited = assertThrows(SlackApiException.class, () -> post(incidentMessage()));

        assertEquals(429, limited.getResponse().code());
        assertEquals("7", limited.getResponse().header("Retry-After"));
        assertTrue(post(incidentMessage()).isOk());
        assertEquals(1, fake.rejected().size());
    }

    @Test
    void enforcedChannelRateAllowsABurstThenAnswers429() throws Exception {
        fake.enforceChannelRate(0.5, 2);

        assertTrue(post(incidentMessage()).isOk());
        assertTrue(post(incidentMessage()).isOk());
        SlackApiException limited = assertThrows(SlackApiException.class, () -> post(incidentMessage()));

        assertEquals(429, limited.getResponse().code());
        assertTrue(Integer.parseInt(limited.getResponse().header("Retry-After")) >= 1);
        assertTrue(methods.chatPostMessage(r -> r.channel("C0OTHER").text("another channel")).isOk());
    }

    @Test
    void recordsResponseUrlPostsAndChecksTheirBlocks() throws Exception {
        String url = fake.responseUrl("cmd-1");

        WebhookResponse accepted = slack.send(url, "{\"text\":\"Looking up the key…\",\"response_type\":\"ephemeral\"}");
        WebhookResponse refused = slack.send(url, "{\"text\":\"x\",\"blocks\":[{\"type\":\"nonsense\"}]}");
        WebhookResponse deleted = slack.send(url, "{\"delete_original\":true}");

        assertEquals(200, accepted.getCode());
        assertEquals("ok", accepted.getBody());
        assertEquals(400, refused.getCode());
        assertEquals("invalid_blocks", refused.getBody());
        assertEquals(200, deleted.getCode());
        List<RecordedCall> posts = fake.calls(FakeSlackApi.RESPONSE_URL_PREFIX + "cmd-1");
        assertEquals(3, posts.size());
        assertEquals("ephemeral", posts.get(0).param("response_type"));
        assertEquals(1, fake.rejected().size());
    }

    @Test
    void allRecordedTextFindsSecretsThroughFormEncodingAndJsonEscaping() throws Exception {
        String secretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
        String sessionToken = "IQoJb3JpZ2luX2VjEXAMPLE==";
        post(List.of(section(s -> s.text(markdownText("oops: " + secretKey + " " + sessionToken)))));

        RecordedCall call = fake.postedMessages().get(0);
        assertFalse(call.rawBody().contains(secretKey), "expected form encoding of '/' and '+'");
        assertFalse(call.param("blocks").contains(sessionToken), "expected the SDK's Gson to escape '=' as \\u003d");
        assertTrue(fake.allRecordedText().contains(secretKey));
        assertTrue(fake.allRecordedText().contains(sessionToken));
    }

    @Test
    void awaitCallWakesWhenAMatchingCallArrives() throws Exception {
        Thread waiter = Thread.currentThread();
        Thread poster = new Thread(() -> {
            try {
                // Posts only once the test is inside awaitCall, waiting: the call arrives late.
                Await.until("the test waits for the call", Duration.ofSeconds(10),
                        () -> waiter.getState() == Thread.State.TIMED_WAITING);
                methods.chatPostMessage(r -> r.channel(CHANNEL).text("late " + KEY_ID));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        poster.start();

        RecordedCall call = fake.awaitCall("chat.postMessage", c -> c.param("text").contains(KEY_ID),
                Duration.ofSeconds(10));

        assertTrue(call.ok());
        poster.join();
    }

    @Test
    void awaitCallFailsWhenNothingMatchesInTime() {
        assertThrows(AssertionError.class,
                () -> fake.awaitCall("chat.postMessage", c -> true, Duration.ofMillis(200)));
    }

    @Test
    void resetForgetsCallsMessagesAndInjectedFailures() throws Exception {
        String ts = post(incidentMessage()).getTs();
        fake.failNextWith429(5, 1);

        fake.reset();

        assertTrue(fake.calls().isEmpty());
        assertTrue(post(incidentMessage()).isOk());
        assertEquals("message_not_found", methods.chatUpdate(r -> r.channel(CHANNEL).ts(ts).text("x")).getError());
    }

    private static void postJson(String body) throws Exception {
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(fake.apiUrl() + "chat.postMessage"))
                        .header("Content-Type", "application/json; charset=utf-8")
                        .header("Authorization", "Bearer " + TOKEN)
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.discarding());
    }

    private static ChatPostMessageResponse post(List<LayoutBlock> blocks) throws Exception {
        return methods.chatPostMessage(r -> r.channel(CHANNEL).text("Leaked key " + KEY_ID).blocks(blocks));
    }

    /** The shape of the bot's incident message: header, summary with fields, action buttons, context. */
    private static List<LayoutBlock> incidentMessage() {
        return asBlocks(
                header(h -> h.text(plainText(":rotating_light: Leaked AWS access key " + KEY_ID))),
                section(s -> s.blockId("summary")
                        .text(markdownText("*Owner:* `alice` in account `123456789012`"))
                        .fields(List.of(markdownText("*Status*\nActive"), markdownText("*Last used*\n2024-05-01 s3")))),
                actions(a -> a.blockId("incident-actions").elements(asElements(
                        button(b -> b.actionId("deactivate_key").text(plainText("Deactivate key")).value(KEY_ID)
                                .style("danger")
                                .confirm(confirmationDialog(c -> c.title(plainText("Deactivate " + KEY_ID + "?"))
                                        .text(plainText("Anything using this key stops working."))
                                        .confirm(plainText("Deactivate")).deny(plainText("Cancel"))))),
                        button(b -> b.actionId("show_activity").text(plainText("Show activity")).value(KEY_ID))))),
                context(c -> c.elements(List.of(markdownText("Reported by <@U0001> via /leaked-key")))));
    }

    private static LayoutBlock buttons(String text, String actionId, String value) {
        return actions(a -> a.elements(asElements(button(b -> b.actionId(actionId).text(plainText(text)).value(value)))));
    }

    private static List<LayoutBlock> sections(int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> (LayoutBlock) section(s -> s.text(markdownText("line " + i))))
                .toList();
    }

    private static void assertInvalidBlocks(ChatPostMessageResponse response, String expectedReason) {
        assertEquals("invalid_blocks", response.getError());
        String errors = errorsOf(fake.rejected().get(fake.rejected().size() - 1));
        assertTrue(errors.contains(expectedReason), () -> "expected '" + expectedReason + "' in " + errors);
    }

    private static String errorsOf(RecordedCall call) {
        JsonNode errors = call.response().path("errors");
        return errors.toString();
    }

    @Test
    void conversationsOpenGivesOneDirectMessageChannelPerUserAndRefusesWhatSlackRefuses() throws Exception {
        var opened = methods.conversationsOpen(r -> r.users(java.util.List.of("U0OWNER")));
        assertTrue(opened.isOk(), opened.getError());
        assertEquals("D0OWNER", opened.getChannel().getId());
        assertEquals("D0OWNER", methods.conversationsOpen(r -> r.users(java.util.List.of("U0OWNER"))).getChannel().getId());
        assertEquals("users_list_not_supplied", methods.conversationsOpen(r -> r).getError());
        assertEquals("user_not_found", methods.conversationsOpen(r -> r.users(java.util.List.of("#general"))).getError());
    }
}
