package com.leakedkeybot.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.leakedkeybot.testkit.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The exfiltration drill's attribution, played through the page's HTTP API as the page's script does (the browser
 * test covers the page itself): the bot proposes the exposure time, a person who is not an approver cannot confirm
 * it, an approver can, and then the owner's build runner is withdrawn while every change of the attacker's stays
 * proposed.
 */
class SandboxAttributionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String CONFIRM = "Confirm exposure time";
    /** The button values of the attacker's changes: clean-up of each resource, the revert and the restore. */
    private static final List<String> ATTACKERS = List.of("IAM_USER|us-east-1||" + ExfiltrationScenario.BACKDOOR,
            "IAM_ROLE|us-east-1||" + ExfiltrationScenario.ROLE, "EC2_INSTANCE|eu-west-1||",
            "IAM_USER_INLINE_POLICY|us-east-1|" + ExfiltrationScenario.OWNER + "|" + ExfiltrationScenario.POLICY,
            " " + ExfiltrationScenario.BUCKET);
    private static Sandbox sandbox;

    @BeforeAll
    static void start() throws Exception {
        sandbox = Sandbox.start(0, Scenario.named("exfiltration").orElseThrow());
    }

    @AfterAll
    static void stop() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Test
    void anApproverConfirmsTheProposedExposureTimeAndOnlyTheAttackersChangesStayProposed() throws Exception {
        post("/api/message", JSON.createObjectNode().put("as", People.RILEY.id())
                .put("text", "/leaked-key " + sandbox.leakedKeyId()));
        Await.until("the exposure time is proposed, and until it is confirmed every source counts as the "
                + "attacker's: the owner's runner is offered for clean-up", WAIT, () -> button(view(People.RILEY),
                CONFIRM).isPresent() && buttonValued(view(People.RILEY), "EC2_INSTANCE|us-east-1||"));

        post("/api/click", button(view(People.NICO), CONFIRM).orElseThrow().put("as", People.NICO.id()));
        Await.until("the person who is not an approver is refused privately", WAIT,
                () -> view(People.NICO).toString().contains("Only configured approvers"));
        assertFalse(view(People.RILEY).toString().contains("Only configured approvers"), "only Nico sees it");
        assertTrue(button(view(People.ALEX), CONFIRM).isPresent(), "a refusal changes nothing");

        post("/api/click", button(view(People.ALEX), CONFIRM).orElseThrow().put("as", People.ALEX.id()));
        // The proposals are posted at Slack's pace: the withdrawal and the attacker's changes may take a moment.
        Await.until("the owner's build runner is withdrawn and every change of the attacker's is proposed", WAIT,
                () -> {
                    JsonNode view = view(People.ALEX);
                    return view.toString().contains("*Withdrawn:* Remove EC2 instance") && ATTACKERS.stream()
                            .allMatch(change -> buttonValued(view, change));
                });
        String thread = view(People.ALEX).toString();
        assertTrue(thread.contains("*Exposure time:*"), "the exposure time is shown as confirmed");
        assertTrue(thread.contains("*Probably the owner's, not proposed (1):* created EC2 instance"),
                "the owner's change is listed, not proposed");
        assertFalse(buttonValued(view(People.ALEX), "EC2_INSTANCE|us-east-1||"), "the owner's runner is not");
        assertEquals(Optional.empty(), button(view(People.ALEX), CONFIRM), "confirmed once");
    }

    private static JsonNode view(People who) {
        try {
            return JSON.readTree(HTTP.send(HttpRequest.newBuilder(sandbox.url().resolve("/api/view?as=" + who.id()))
                    .build(), HttpResponse.BodyHandlers.ofString()).body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The click the page's script would send for the button reading {@code text}, the latest one first. */
    private static Optional<ObjectNode> button(JsonNode view, String text) {
        return clicks(view).filter(click -> click.path("text").asText().equals(text)).reduce((first, last) -> last);
    }

    private static boolean buttonValued(JsonNode view, String valuePart) {
        return clicks(view).anyMatch(click -> click.path("value").asText().contains(valuePart));
    }

    private static Stream<ObjectNode> clicks(JsonNode view) {
        List<ObjectNode> found = new ArrayList<>();
        view.path("messages").forEach(message -> collect(message, found));
        return found.stream();
    }

    private static void collect(JsonNode message, List<ObjectNode> found) {
        for (JsonNode block : message.path("blocks")) {
            List<JsonNode> elements = new ArrayList<>();
            block.path("elements").forEach(elements::add);
            if (block.has("accessory")) {
                elements.add(block.path("accessory"));
            }
            for (JsonNode element : elements) {
                if (element.path("type").asText().equals("button")) {
                    found.add(JSON.createObjectNode()
                            .put("channel", message.path("channel").asText(Drill.INCIDENT_CHANNEL))
                            .put("ts", message.path("ts").asText())
                            .put("action_id", element.path("action_id").asText())
                            .put("block_id", block.path("block_id").asText(""))
                            .put("value", element.path("value").asText(""))
                            .put("text", element.path("text").path("text").asText()));
                }
            }
        }
        message.path("replies").forEach(reply -> collect(reply, found));
    }

    private static void post(String path, JsonNode body) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(sandbox.url().resolve(path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
    }
}
