package com.leakedkeybot;

import com.leakedkeybot.testkit.SharedMoto;
import com.fasterxml.jackson.databind.JsonNode;
import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.IncidentId;
import com.leakedkeybot.sandbox.FakeSlackApi;
import com.leakedkeybot.sandbox.MotoServer;
import com.leakedkeybot.sandbox.RecordedCall;
import com.leakedkeybot.sandbox.SlackRequests;
import com.leakedkeybot.state.IncidentJson;
import com.leakedkeybot.state.JournalIncidentStore;
import com.leakedkeybot.state.Retention;
import com.leakedkeybot.step.StepKind;
import com.leakedkeybot.step.StepState;
import com.leakedkeybot.testkit.Await;
import com.leakedkeybot.testkit.AwsProxy;
import com.leakedkeybot.testkit.AwsTestClients;
import com.leakedkeybot.testkit.BotProcess;
import com.leakedkeybot.testkit.RunningBot;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.StatusType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;


/**
 * The packaged bot as a real process, killed with SIGKILL while its Deactivate step is in flight (its UpdateAccessKey
 * held at a proxy), then started again on the same STATE_DIR. The new process must say the outcome is unknown, learn
 * it from IAM rather than re-running the step, and let the incident be completed through the old thread's buttons,
 * with nothing missing from the audit trail.
 */
class RestartIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String UPDATE = "iam:UpdateAccessKey";

    @TempDir
    Path stateDir;

    private FakeSlackApi slack;
    /** Between the bot processes and IAM: holds their UpdateAccessKey in the air; counts what reached IAM. */
    private AwsProxy aws;
    private IamClient iam;
    private SlackRequests requests;
    private String user;
    private String keyId;

    @BeforeEach
    void setUp() {
        MotoServer moto = SharedMoto.get();
        slack = FakeSlackApi.start(RunningBot.BOT_TOKEN);
        aws = AwsProxy.start(moto.endpoint());
        iam = AwsTestClients.iam(moto.endpoint());
        requests = new SlackRequests(RunningBot.SIGNING_SECRET, slack.responseUrl("command"));
        user = "restart-" + UUID.randomUUID().toString().substring(0, 8);
        iam.createUser(r -> r.userName(user));
        keyId = iam.createAccessKey(r -> r.userName(user)).accessKey().accessKeyId();
    }

    @AfterEach
    void tearDown() {
        aws.close();
        slack.close();
        iam.close();
    }

    /** The issue's scenario: killed right after the approval; the key must not stay active until someone notices. */
    @Test
    void anApprovedDeactivationThatNeverReachedIamIsCompletedOnceAfterTheRestart() throws Exception {
        RecordedCall step = killedWhileDeactivating(false);
        assertEquals(StatusType.ACTIVE, status(), "the held request never reached IAM");

        try (BotProcess restarted = BotProcess.start(slack, aws.endpoint(), stateDir, Map.of())) {
            String ts = step.response().path("ts").asText();
            slack.awaitCall("chat.update", c -> ts.equals(c.param("ts"))
                    && c.blocks().toString().contains("Outcome unknown — re-checking AWS state"), WAIT);
            RecordedCall done = slack.awaitCall("chat.update", c -> ts.equals(c.param("ts"))
                    && c.blocks().toString().contains("Completed after a restart"), WAIT);
            assertTrue(done.blocks().toString().contains(":white_check_mark:"), done.blocks().toString());
            assertTrue(done.blocks().toString().contains("Approved by <@" + RunningBot.APPROVER + ">"),
                    "the approval given before the restart is the one that stands");
            assertFalse(done.blocks().toString().contains("\"actions\""), "no button once done");
            assertFalse(restarted.output().contains(RunningBot.SIGNING_SECRET), "no secret in the logs");
        }
        assertEquals(StatusType.INACTIVE, status());
        assertEquals(2, aws.count(UPDATE), "the lost attempt and the completion");
        assertEquals(1, aws.delivered(UPDATE), "IAM was changed exactly once");
        assertTrail(step, List.of(
                "U0REPORTER reported " + keyId,
                RunningBot.APPROVER + " approved Deactivate key: executing",
                "bot re-check Deactivate key: outcome unknown",
                "bot Deactivate key (re-checked after a restart): succeeded: Completed after a restart: The key is "
                        + "now Inactive"));
    }

    @Test
    void anUpdateThatReachedIamIsConfirmedFromIamAndNeverRunAgain() throws Exception {
        RecordedCall step = killedWhileDeactivating(true);
        // Released, the held request goes on from the proxy's own thread: it lands in IAM shortly after.
        Await.until("the held request landed after its sender died", WAIT,
                () -> status() == StatusType.INACTIVE);

        try (BotProcess restarted = BotProcess.start(slack, aws.endpoint(), stateDir, Map.of())) {
            String ts = step.response().path("ts").asText();
            RecordedCall confirmed = slack.awaitCall("chat.update", c -> ts.equals(c.param("ts"))
                    && c.blocks().toString().contains("confirmed by reading IAM after a restart"), WAIT);
            assertTrue(confirmed.blocks().toString().contains(":white_check_mark:"));
            assertFalse(confirmed.blocks().toString().contains("\"actions\""), "no button once done");

            click(restarted.eventsUrl(), step, RunningBot.SECOND_APPROVER);

            RecordedCall refusal = slack.awaitCall("chat.postEphemeral",
                    c -> RunningBot.SECOND_APPROVER.equals(c.param("user")), WAIT);
            assertTrue(refusal.param("text").contains("already carried out"), refusal.param("text"));
        }
        assertEquals(1, aws.count(UPDATE), "never re-run");
        assertEquals(1, aws.delivered(UPDATE));
        assertTrail(step, List.of(
                "U0REPORTER reported " + keyId,
                RunningBot.APPROVER + " approved Deactivate key: executing",
                "bot re-check Deactivate key: outcome unknown",
                "bot Deactivate key (re-checked after a restart): succeeded: The key is Inactive — confirmed by reading "
                        + "IAM after a restart.",
                RunningBot.SECOND_APPROVER + " asked to run Deactivate key: refused: already done"));
    }

    /**
     * Opens an incident on a first bot process, approves the step, and SIGKILLs the process while its UpdateAccessKey
     * is held at the proxy; then lets the held request reach IAM or not. Returns the step's message.
     */
    private RecordedCall killedWhileDeactivating(boolean requestReachesIam) throws Exception {
        BotProcess first = BotProcess.start(slack, aws.endpoint(), stateDir, Map.of());
        try {
            requests.slashCommand(first.eventsUrl(), Map.of("text", keyId, "user_id", "U0REPORTER"));
            RecordedCall step = slack.awaitCall("chat.postMessage",
                    c -> c.ok() && c.blocks().toString().contains("step:deactivate"), WAIT);
            aws.hold(UPDATE);
            click(first.eventsUrl(), step, RunningBot.APPROVER);
            assertTrue(aws.awaitHeld(WAIT), "the bot should have called UpdateAccessKey:\n" + first.output());
            first.kill();
            aws.release(requestReachesIam);
            return step;
        } finally {
            first.kill();
        }
    }

    private void click(URI eventsUrl, RecordedCall step, String approver) throws Exception {
        JsonNode button = step.blocks().findParent("action_id");
        assertEquals(200, requests.blockAction(eventsUrl, SlackRequests.blockActionsPayload(approver,
                RunningBot.INCIDENT_CHANNEL, step.response().path("ts").asText(), step.param("thread_ts"),
                button.path("action_id").asText(), "step-deactivate", button.path("value").asText(),
                slack.responseUrl("click-" + approver))).statusCode());
    }

    private StatusType status() {
        return iam.listAccessKeys(r -> r.userName(user)).accessKeyMetadata().get(0).status();
    }

    /** Reads the journal the processes left (the last one has exited) and checks the trail, entry by entry. */
    private void assertTrail(RecordedCall step, List<String> expectedPrefixes) throws Exception {
        IncidentId id = new IncidentId(step.blocks().findParent("action_id").path("value").asText());
        IncidentJson json = new IncidentJson();
        try (JournalIncidentStore journal = JournalIncidentStore.open(stateDir, json,
                Retention.ofClosedIncidents(Duration.ofDays(1)), Clock.systemUTC())) {
            Incident incident = journal.find(id).orElseThrow();
            List<String> trail = incident.audit().stream()
                    .map(e -> e.actor() + " " + e.action() + ": " + e.result())
                    .toList();
            assertEquals(expectedPrefixes.size(), trail.size(), trail.toString());
            for (int i = 0; i < trail.size(); i++) {
                assertTrue(trail.get(i).startsWith(expectedPrefixes.get(i)), i + ": " + trail);
            }
            assertFalse(incident.step(StepKind.DEACTIVATE_KEY).orElseThrow().inFlight());
            assertEquals(StepState.Status.SUCCEEDED, incident.step(StepKind.DEACTIVATE_KEY).orElseThrow().status());
        }
    }
}
