package com.leakedkeybot;

import com.leakedkeybot.sandbox.FakeSlackApi;
import com.leakedkeybot.sandbox.MotoServer;
import com.leakedkeybot.sandbox.RecordedCall;
import com.leakedkeybot.testkit.Await;
import com.leakedkeybot.testkit.AwsProxy;
import com.leakedkeybot.testkit.AwsTestClients;
import com.leakedkeybot.testkit.IntakeEvents;
import com.leakedkeybot.testkit.LogCapture;
import com.leakedkeybot.testkit.RunningBot;
import com.leakedkeybot.testkit.SharedMoto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.StatusType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Incidents that open themselves: EventBridge on moto forwards AWS Health and GuardDuty events to an SQS queue, and
 * the bot, long-polling it, opens (or joins) the key's incident, naming the source. Delivery is at least once:
 * copies, a poison message and a restart between receiving and deleting are covered.
 */
class AutomaticIntakeEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String EXPOSED_AT = "https://github.com/example/app/blob/main/config.env";

    @Test
    void anAwsHealthEventOpensAnIncidentNamingWhereTheKeyWasFound() throws Exception {
        String key = leakedKey();
        try (IntakeEvents intake = IntakeEvents.create(SharedMoto.get().endpoint(), 30, 3);
             RunningBot bot = RunningBot.start(SharedMoto.get(), Map.of("INTAKE_QUEUE_URL", intake.queueUrl()))) {
            FakeSlackApi slack = bot.slack();
            intake.putHealth("AWS_RISK_CREDENTIALS_EXPOSED", key, "comm-" + UUID.randomUUID(), EXPOSED_AT);

            RecordedCall root = slack.awaitCall("chat.postMessage", c -> c.ok() && c.param("thread_ts") == null
                    && c.param("text").contains(key), WAIT);
            assertEquals(RunningBot.INCIDENT_CHANNEL, root.param("channel"));
            assertTrue(root.blocks().toString().contains("AWS Health"), "the root names the source");
            RecordedCall source = slack.awaitCall("chat.postMessage", c -> c.ok()
                    && c.blocks().toString().contains("Reported automatically by AWS Health"), WAIT);
            assertEquals(root.response().path("ts").asText(), source.param("thread_ts"));
            assertTrue(source.blocks().toString().contains(EXPOSED_AT), source.blocks().toString());
            assertTrue(source.blocks().toString().contains("AWS_RISK_CREDENTIALS_EXPOSED"));
            assertTrue(source.blocks().toString().contains("2026-12-02 10:00 UTC"), "the event's own time");
            slack.awaitCall("chat.postMessage", c -> c.ok() && c.blocks().toString().contains("step:deactivate"),
                    WAIT); // then as a slash-command report: containment offered
            slack.awaitCall("chat.postMessage", c -> c.ok() && c.blocks().toString().contains("Reading CloudTrail"),
                    WAIT); // and the investigation
            Await.until("the message is deleted once recorded", WAIT, () -> intake.inQueue() == 0);
        }
    }

    @Test
    void aGuardDutyFindingOpensAnIncidentNamingTheFindingTheCallAndTheAddress() throws Exception {
        String key = leakedKey();
        try (IntakeEvents intake = IntakeEvents.create(SharedMoto.get().endpoint(), 30, 3);
             RunningBot bot = RunningBot.start(SharedMoto.get(), Map.of("INTAKE_QUEUE_URL", intake.queueUrl()))) {
            intake.putGuardDuty(UUID.randomUUID().toString().replace("-", ""),
                    "UnauthorizedAccess:IAMUser/MaliciousIPCaller", key, "ListUsers", "198.51.100.7");

            RecordedCall source = bot.slack().awaitCall("chat.postMessage", c -> c.ok()
                    && c.blocks().toString().contains("Reported automatically by GuardDuty"), WAIT);
            String blocks = source.blocks().toString();
            assertTrue(blocks.contains("UnauthorizedAccess:IAMUser/MaliciousIPCaller"), blocks);
            assertTrue(blocks.contains("iam.amazonaws.com:ListUsers"), blocks);
            assertTrue(blocks.contains("198.51.100.7"), blocks);
            assertTrue(blocks.contains("2026-12-02 09:50 UTC"), "first seen: " + blocks);
            Await.until("the message is deleted once recorded", WAIT, () -> intake.inQueue() == 0);
        }
    }

    /**
     * The same Health communication from the backup Region's rule (another event id), the very same event again, and
     * GuardDuty repeating its finding: one incident; a different finding about the key joins it.
     */
    @Test
    void copiesOfAReportOpenNothingNewAndAnotherSourceJoinsTheOpenIncident() throws Exception {
        String key = leakedKey();
        String communication = "comm-" + UUID.randomUUID();
        String finding = UUID.randomUUID().toString().replace("-", "");
        try (IntakeEvents intake = IntakeEvents.create(SharedMoto.get().endpoint(), 30, 3);
             RunningBot bot = RunningBot.start(SharedMoto.get(), Map.of("INTAKE_QUEUE_URL", intake.queueUrl()))) {
            FakeSlackApi slack = bot.slack();
            intake.putHealth("AWS_RISK_CREDENTIALS_EXPOSED", key, communication, EXPOSED_AT);
            slack.awaitCall("chat.postMessage", c -> c.ok() && c.blocks().toString().contains("step:deactivate"),
                    WAIT);
            intake.putHealth("AWS_RISK_CREDENTIALS_EXPOSED", key, communication, EXPOSED_AT);
            String detail = IntakeEvents.guardDutyDetail(finding, "CredentialAccess:IAMUser/AnomalousBehavior", key,
                    "GetSecretValue", "203.0.113.9");
            intake.put("aws.guardduty", "GuardDuty Finding", detail);
            intake.put("aws.guardduty", "GuardDuty Finding", detail);
            Await.until("every copy is handled and deleted", WAIT, () -> intake.inQueue() == 0);
            bot.close(); // its queued work done

            assertEquals(1, slack.calls("chat.postMessage").stream()
                    .filter(c -> c.ok() && c.param("thread_ts") == null).count(), "one incident thread");
            assertEquals(1, slack.calls("chat.postMessage").stream()
                    .filter(c -> c.blocks().toString().contains("Reported automatically by AWS Health")).count());
            assertEquals(1, slack.calls("chat.postMessage").stream()
                    .filter(c -> c.blocks().toString().contains("Reported again, automatically, by GuardDuty")).count(),
                    "GuardDuty's finding joins once");
            assertEquals(1, slack.calls("chat.postMessage").stream()
                    .filter(c -> c.blocks().toString().contains("Reading CloudTrail")).count(), "one investigation");
        }
    }

    /**
     * A body the bot cannot read (holding a secret-shaped value) is logged without its content, not deleted — the
     * queue's redrive moves it to the dead-letter queue — and the poller goes on with the next event.
     */
    @Test
    void aPoisonMessageIsLeftToTheDeadLetterQueueAndThePollerGoesOn() throws Exception {
        String key = leakedKey();
        String secretShaped = "wJalrXUtnFEMI/K7MDENG/bPxRfiCY" + UUID.randomUUID().toString().substring(0, 10);
        try (LogCapture logs = LogCapture.start();
             IntakeEvents intake = IntakeEvents.create(SharedMoto.get().endpoint(), 1, 1);
             RunningBot bot = RunningBot.start(SharedMoto.get(), Map.of("INTAKE_QUEUE_URL", intake.queueUrl()))) {
            intake.sendRaw("{\"not an event\": \"" + secretShaped + "\"");
            intake.put("aws.health", "AWS Health Event", "{\"eventTypeCode\":\"AWS_RISK_CREDENTIALS_EXPOSED\","
                    + "\"note\":\"" + secretShaped + "\"}"); // names no key
            intake.putHealth("AWS_RISK_CREDENTIALS_COMPROMISED", key, "comm-" + UUID.randomUUID(), EXPOSED_AT);

            bot.slack().awaitCall("chat.postMessage", c -> c.ok()
                    && c.blocks().toString().contains("Reported automatically by AWS Health"), WAIT);
            Await.until("both poison messages reach the dead-letter queue", WAIT,
                    () -> intake.inDeadLetterQueue() == 2 && intake.inQueue() == 0);
            assertTrue(logs.text().contains("cannot be read"), "the poison message is logged");
            assertFalse(logs.text().contains(secretShaped), "never its content");
            assertFalse(bot.slack().allRecordedText().contains(secretShaped));
        }
    }

    /**
     * The first bot records the incident but cannot delete the message (SQS fails its DeleteMessage) and stops; the
     * message comes back to the restarted bot, which finds the report on record and only deletes it.
     */
    @Test
    void aRestartBetweenReceivingAndDeletingOpensNothingTwice() throws Exception {
        String key = leakedKey();
        Path state = Files.createTempDirectory("leaked-key-bot-state-");
        // The first bot receives the message again every 3 s until it stops: a generous receive count keeps a slow
        // machine from redriving it to the dead-letter queue before the second bot gets it.
        try (IntakeEvents intake = IntakeEvents.create(SharedMoto.get().endpoint(), 3, 1_000);
             FakeSlackApi slack = FakeSlackApi.start(RunningBot.BOT_TOKEN);
             AwsProxy noDeletes = AwsProxy.start(SharedMoto.get().endpoint(),
                     operation -> !operation.equals("sqs:DeleteMessage"))) {
            Map<String, String> env = Map.of("INTAKE_QUEUE_URL", intake.queueUrl(), "STATE_DIR", state.toString());
            try (RunningBot first = RunningBot.startOn(noDeletes.endpoint(), slack, env)) {
                intake.putHealth("AWS_RISK_CREDENTIALS_EXPOSED", key, "comm-" + UUID.randomUUID(), EXPOSED_AT);
                slack.awaitCall("chat.postMessage", c -> c.ok()
                        && c.blocks().toString().contains("Reported automatically by AWS Health"), WAIT);
                Await.until("the first bot tried to delete the message", WAIT,
                        () -> first.aws().count("sqs:DeleteMessage") > 0);
            }
            assertEquals(1, intake.inQueue(), "the message was not deleted");
            try (RunningBot second = RunningBot.startOn(SharedMoto.get().endpoint(), slack, env)) {
                Await.until("the restarted bot deletes it", WAIT, () -> intake.inQueue() == 0);
                assertTrue(second.aws().count("sqs:DeleteMessage") > 0);
                assertEquals(0, intake.inDeadLetterQueue(), "deleted, not redriven");
            }
            assertEquals(1, slack.calls("chat.postMessage").stream()
                    .filter(c -> c.ok() && c.param("thread_ts") == null).count(), "one incident thread");
            assertEquals(1, slack.calls("chat.postMessage").stream()
                    .filter(c -> c.blocks().toString().contains("Reported automatically")).count());
        }
    }

    /**
     * AUTO_DEACTIVATE=health: an exposure AWS confirms is contained at once, through the deactivation step (approved
     * by the policy, on the record), and Reactivate is offered; a suspicion only offers the button.
     */
    @Test
    void withAutoDeactivateAnExposureAwsConfirmsIsContainedAtOnceAndCanBeUndone() throws Exception {
        IamClient iam = AwsTestClients.iam(SharedMoto.get().endpoint());
        String user = "auto-" + UUID.randomUUID().toString().substring(0, 8);
        iam.createUser(r -> r.userName(user));
        String confirmed = iam.createAccessKey(r -> r.userName(user)).accessKey().accessKeyId();
        String suspected = leakedKey();
        Path state = Files.createTempDirectory("leaked-key-bot-state-");
        try (IntakeEvents intake = IntakeEvents.create(SharedMoto.get().endpoint(), 30, 3);
             RunningBot bot = RunningBot.start(SharedMoto.get(), Map.of("INTAKE_QUEUE_URL", intake.queueUrl(),
                     "AUTO_DEACTIVATE", "health", "STATE_DIR", state.toString()))) {
            FakeSlackApi slack = bot.slack();
            intake.putHealth("AWS_RISK_CREDENTIALS_EXPOSURE_SUSPECTED", suspected, "comm-" + UUID.randomUUID(),
                    EXPOSED_AT);
            intake.putHealth("AWS_RISK_CREDENTIALS_EXPOSED", confirmed, "comm-" + UUID.randomUUID(), EXPOSED_AT);

            Await.until("the confirmed key is inactive", WAIT, () -> iam.listAccessKeys(r -> r.userName(user))
                    .accessKeyMetadata().get(0).status() == StatusType.INACTIVE);
            slack.awaitCall("chat.update", c -> c.ok()
                    && c.blocks().toString().contains("Approved by policy AUTO_DEACTIVATE=health"), WAIT);
            slack.awaitCall("chat.postMessage", c -> c.ok() && c.blocks().toString().contains("step:reactivate"),
                    WAIT);
            Await.until("both events are handled", WAIT, () -> intake.inQueue() == 0);
            assertEquals(1, bot.aws().count("iam:UpdateAccessKey"), "only the confirmed key was deactivated");
            assertEquals(StatusType.ACTIVE, iam.listAccessKeys(r -> r.userName(ownerOf(iam, suspected)))
                    .accessKeyMetadata().get(0).status(), "a suspicion is only offered");
        }
        String journal = Files.readString(state.resolve("incidents.journal"));
        assertTrue(journal.contains("deactivated automatically by policy (AUTO_DEACTIVATE=health): AWS Health "
                + "AWS_RISK_CREDENTIALS_EXPOSED"), "the audit trail says why");
    }

    private static String ownerOf(IamClient iam, String key) {
        return iam.getAccessKeyLastUsed(r -> r.accessKeyId(key)).userName();
    }

    private static String leakedKey() {
        IamClient iam = AwsTestClients.iam(SharedMoto.get().endpoint());
        String user = "auto-" + UUID.randomUUID().toString().substring(0, 8);
        iam.createUser(r -> r.userName(user));
        return iam.createAccessKey(r -> r.userName(user)).accessKey().accessKeyId();
    }
}
