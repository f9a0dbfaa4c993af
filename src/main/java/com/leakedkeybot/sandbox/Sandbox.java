package com.leakedkeybot.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The whole sandbox: an emulated AWS account (moto), a Slack-like workspace (the Web API the bot calls, and the page
 * people use), and the bot itself, unchanged, wired to both. Everything binds to 127.0.0.1 and nothing is read from
 * the environment: the sandbox cannot touch a real workspace or account.
 */
public final class Sandbox implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COMMAND = "/leaked-key";

    private final MotoServer moto;
    private final FakeSlackApi slack;
    private final SandboxSecrets secrets;
    private final Workspace workspace = new Workspace();
    private final AtomicInteger interactions = new AtomicInteger();
    /** Where each response_url's answers appear: the thread of the message that was clicked. */
    private final Map<String, String> responseThreads = new ConcurrentHashMap<>();
    private volatile Drill drill;
    private WorkspacePage page;

    private Sandbox(MotoServer moto, FakeSlackApi slack, SandboxSecrets secrets) {
        this.moto = moto;
        this.slack = slack;
        this.secrets = secrets;
    }

    /**
     * Starts moto, the workspace, the drill and the page on {@code port} (0 for any free one).
     *
     * @throws MotoServer.Missing when moto is not installed; nothing is left running
     */
    public static Sandbox start(int port, Scenario scenario) throws Exception {
        MotoServer moto = MotoServer.launch();
        SandboxSecrets secrets = SandboxSecrets.random();
        FakeSlackApi slack = null;
        Sandbox sandbox = null;
        try {
            slack = FakeSlackApi.start(secrets.botToken());
            // Slack's per-channel pace for chat.postMessage: about one a second, with a short burst.
            slack.enforceChannelRate(1.0, 5);
            sandbox = new Sandbox(moto, slack, secrets);
            sandbox.drill = Drill.start(scenario, moto, slack, secrets);
            sandbox.page = WorkspacePage.start(port, sandbox);
            return sandbox;
        } catch (Exception | Error e) {
            if (sandbox != null) {
                sandbox.close();
            } else {
                if (slack != null) {
                    slack.close();
                }
                moto.close();
            }
            throw e;
        }
    }

    /** The workspace page. */
    public URI url() {
        return page.url();
    }

    /** Waits for a reset in progress: there is no key while the drill starts again. */
    public synchronized String leakedKeyId() {
        return drill.leakedKeyId();
    }

    public synchronized String scenario() {
        return drill.scenario().name();
    }

    /** The emulated account, for anyone who wants to see for themselves what the bot did. */
    public URI awsEndpoint() {
        return moto.endpoint();
    }

    /** Starts the drill again from its beginning: AWS, the trail, the bot's state and the channel. */
    public synchronized void reset(Scenario scenario) throws Exception {
        Drill old = drill;
        drill = null;
        old.close();
        slack.reset();
        workspace.clear();
        responseThreads.clear();
        drill = Drill.start(scenario, moto, slack, secrets);
    }

    /** {@code person} sends {@code text} in the incident channel: a {@code /leaked-key} command goes to the bot. */
    void send(String person, String text) throws IOException, InterruptedException {
        People who = People.byId(person);
        String trimmed = text.strip();
        if (!trimmed.startsWith(COMMAND + " ") && !trimmed.equals(COMMAND)) {
            workspace.said(who.id(), trimmed);
            return;
        }
        Drill current = running();
        String responseUrl = newResponseUrl(who, null);
        HttpResponse<String> ack = requests().slashCommand(current.eventsUrl(), Map.of(
                "text", trimmed.substring(COMMAND.length()).strip(),
                "user_id", who.id(),
                "user_name", who.displayName().toLowerCase(),
                "channel_id", Drill.INCIDENT_CHANNEL,
                "channel_name", "security-incidents",
                "response_url", responseUrl));
        current.reported();
        workspace.acknowledged(who.id(), ack.statusCode(), ack.body());
    }

    /** {@code person} clicks a button of the bot's message {@code ts}: a signed {@code block_actions} as Slack sends. */
    void click(String person, JsonNode click) throws IOException, InterruptedException {
        People who = People.byId(person);
        String channel = click.path("channel").asText();
        String ts = click.path("ts").asText();
        JsonNode message = storedMessage(channel, ts);
        String threadTs = message.path("thread_ts").asText(null);
        String responseUrl = newResponseUrl(who, threadTs != null ? threadTs : ts);
        ObjectNode payload = SlackRequests.blockActionsPayload(who.id(), channel, ts, threadTs,
                click.path("action_id").asText(), click.path("block_id").asText(), click.path("value").asText(),
                responseUrl);
        payload.withObject("/user").put("username", who.displayName().toLowerCase())
                .put("name", who.displayName().toLowerCase());
        ((ObjectNode) payload.get("message")).set("blocks", message.path("blocks"));
        ((ObjectNode) payload.get("message")).put("text", message.path("text").asText());
        HttpResponse<String> ack = requests().blockAction(running().eventsUrl(), payload);
        if (ack.statusCode() != 200) {
            workspace.acknowledged(who.id(), ack.statusCode(), ack.body());
        }
    }

    /** What {@code person} sees: the channel with its threads, their own private messages and direct messages. */
    ObjectNode view(String person) {
        People viewer = People.byId(person);
        Drill current = drill;
        ObjectNode view = JSON.createObjectNode();
        view.put("leakedKeyId", current == null ? "" : current.leakedKeyId());
        view.put("scenario", current == null ? "" : current.scenario().name());
        view.put("channel", "security-incidents");
        view.put("viewer", viewer.id());
        var scenarios = view.putArray("scenarios");
        Scenario.ALL.forEach(s -> scenarios.addObject().put("name", s.name()).put("summary", s.summary()));
        var people = view.putArray("people");
        for (People p : People.values()) {
            people.addObject().put("id", p.id()).put("name", p.displayName()).put("role", p.role());
        }
        workspace.render(viewer.id(), slack.calls(), responseThreads, view);
        return view;
    }

    /** The drill, unless a reset is starting it again. */
    private Drill running() {
        Drill current = drill;
        if (current == null) {
            throw new IllegalStateException("The drill is being reset: try again in a moment");
        }
        return current;
    }

    private JsonNode storedMessage(String channel, String ts) {
        List<RecordedCall> calls = new ArrayList<>(slack.calls());
        for (int i = calls.size() - 1; i >= 0; i--) {
            RecordedCall call = calls.get(i);
            if (call.ok() && (call.method().equals("chat.postMessage") || call.method().equals("chat.update"))
                    && channel.equals(call.param("channel")) && ts.equals(call.response().path("ts").asText())) {
                ObjectNode message = JSON.createObjectNode().put("text", String.valueOf(call.param("text")));
                message.set("blocks", call.param("blocks") != null ? call.blocks() : JSON.createArrayNode());
                String thread = firstPostOf(calls, channel, ts).param("thread_ts");
                if (thread != null) {
                    message.put("thread_ts", thread);
                }
                return message;
            }
        }
        throw new IllegalArgumentException("no such message in the channel");
    }

    private static RecordedCall firstPostOf(List<RecordedCall> calls, String channel, String ts) {
        return calls.stream().filter(c -> c.ok() && c.method().equals("chat.postMessage")
                && channel.equals(c.param("channel")) && ts.equals(c.response().path("ts").asText()))
                .findFirst().orElseThrow();
    }

    /** A response_url naming who it answers, so that its messages are shown to them alone. */
    private String newResponseUrl(People who, String threadTs) {
        String id = Workspace.responseId(who.id(), interactions.incrementAndGet());
        if (threadTs != null) {
            responseThreads.put(id, threadTs);
        }
        return slack.responseUrl(id);
    }

    private SlackRequests requests() {
        return new SlackRequests(secrets.signingSecret(), slack.responseUrl("unused"));
    }

    @Override
    public void close() {
        if (page != null) {
            page.close();
        }
        // The workspace goes first: the bot's remaining posts fail at once instead of draining at Slack's pace.
        slack.close();
        try {
            if (drill != null) {
                drill.close();
            }
        } catch (Exception e) {
            // Stopping anyway: the remaining parts must not be left running.
        } finally {
            moto.close();
        }
    }
}
