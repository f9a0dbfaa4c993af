package com.leakedkeybot;

import com.leakedkeybot.testkit.SharedMoto;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.IncidentStore;
import com.leakedkeybot.key.AccessKeyId;
import com.leakedkeybot.sandbox.FakeSlackApi;
import com.leakedkeybot.sandbox.MotoServer;
import com.leakedkeybot.sandbox.RecordedCall;
import com.leakedkeybot.sandbox.SlackRequests;
import com.leakedkeybot.step.StepKind;
import com.leakedkeybot.testkit.AwsTestClients;
import com.leakedkeybot.testkit.RunningBot;
import com.leakedkeybot.testkit.TempIncidentStore;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.StatusType;

/**
 * A bot in the security account (moto's default, 123456789012) and keys of member accounts, on one moto that keeps
 * IAM per account. moto lets AssumeRole into any account and its GetAccessKeyLastUsed finds a key from any account,
 * so every assertion reads the member account's own IAM with that account's credentials, and checks that a
 * same-named user of the bot's own account is left alone: a bot acting in the wrong account fails them.
 */
class MemberAccountEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String OWN = "123456789012";
    /** Accounts of this class only: the shared moto serves other classes at the same time. */
    private static final String MEMBER = "210000000027";
    private static final String UNREACHABLE = "210000000039";
    private static final String OUTSIDE = "210000000041";
    private static final Map<String, String> ENV = Map.of("ACCOUNTS", String.join(",", OWN, MEMBER, UNREACHABLE));

    private static URI moto;
    private static IamClient ownIam;
    private static IamClient memberIam;
    private static RunningBot bot;

    @BeforeAll
    static void startBot() throws Exception {
        moto = SharedMoto.get().endpoint();
        ownIam = AwsTestClients.iam(moto);
        memberIam = AwsTestClients.iamIn(moto, MEMBER);
        bot = RunningBot.start(SharedMoto.get(), ENV);
    }

    @AfterAll
    static void stopBot() throws Exception {
        bot.close();
    }

    /** A leaked key of {@code user} in {@code iam}'s account; the bot's own account gets a same-named user too. */
    private static String leakedKey(IamClient iam, String user) {
        iam.createUser(r -> r.userName(user));
        return iam.createAccessKey(r -> r.userName(user)).accessKey().accessKeyId();
    }

    /** The same user name in the bot's own account, with a key of its own: what a wrong-account call would hit. */
    private static String decoyInOwnAccount(String user) {
        return leakedKey(ownIam, user);
    }

    private static StatusType statusIn(IamClient iam, String user, String keyId) {
        return iam.listAccessKeys(r -> r.userName(user)).accessKeyMetadata().stream()
                .filter(k -> k.accessKeyId().equals(keyId)).findFirst().orElseThrow().status();
    }

    private static String uniqueUser() {
        return "dev-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static RecordedCall rootFor(RunningBot bot, String keyId) throws Exception {
        bot.requests().slashCommand(bot.eventsUrl(), Map.of("text", keyId, "user_id", "U0REPORTER"));
        return bot.slack().awaitCall("chat.postMessage", c -> c.ok() && c.param("thread_ts") == null
                && c.blocks().toString().contains(keyId), WAIT);
    }

    private static RecordedCall reply(RunningBot bot, RecordedCall root, String text) throws InterruptedException {
        String ts = root.response().path("ts").asText();
        return bot.slack().awaitCall("chat.postMessage", c -> c.ok() && ts.equals(c.param("thread_ts"))
                && c.blocks().toString().contains(text), WAIT);
    }

    private static void approve(RunningBot bot, RecordedCall step) throws Exception {
        JsonNode button = step.blocks().findParent("action_id");
        bot.requests().blockAction(bot.eventsUrl(), SlackRequests.blockActionsPayload(RunningBot.APPROVER,
                RunningBot.INCIDENT_CHANNEL, step.response().path("ts").asText(), step.param("thread_ts"),
                button.path("action_id").asText(), "step-deactivate", button.path("value").asText(),
                bot.slack().responseUrl("click")));
    }

    @Test
    void aMemberAccountsKeyIsIdentifiedAndDeactivatedThereOnApproval() throws Exception {
        String user = uniqueUser();
        String keyId = leakedKey(memberIam, user);
        String decoy = decoyInOwnAccount(user);

        RecordedCall root = rootFor(bot, keyId);
        RecordedCall facts = reply(bot, root, "What the bot knows about");
        assertTrue(facts.blocks().toString().contains("arn:aws:iam::" + MEMBER + ":role/LeakedKeyBotResponder"),
                facts.blocks().toString());
        assertTrue(facts.blocks().toString().contains("IAM user `" + user + "`"));
        RecordedCall step = reply(bot, root, "step:deactivate");
        approve(bot, step);
        String ts = step.response().path("ts").asText();
        bot.slack().awaitCall("chat.update", c -> ts.equals(c.param("ts"))
                && c.blocks().toString().contains(":white_check_mark:"), WAIT);

        assertEquals(StatusType.INACTIVE, statusIn(memberIam, user, keyId), "the member account's key");
        assertEquals(StatusType.ACTIVE, statusIn(ownIam, user, decoy), "the bot account's same-named user");
        // The investigation read the member account's CloudTrail as the responder role's session.
        reply(bot, root, "step:close"); // offered once the investigation is over
        assertTrue(bot.cloudTrail().callers().stream()
                        .anyMatch(caller -> new AccessKeyId(caller).encodedAccountId().equals(Optional.of(MEMBER))),
                bot.cloudTrail().callers().toString());
    }

    @Test
    void approversListTheOpenIncidentsWithTheirThreadsAndOthersAreRefused() throws Exception {
        String user = uniqueUser();
        String keyId = leakedKey(memberIam, user);
        RecordedCall root = rootFor(bot, keyId);
        reply(bot, root, "step:deactivate");

        var refused = bot.requests().slashCommand(bot.eventsUrl(), Map.of("text", "list", "user_id", "U0STRANGER",
                "response_url", bot.slack().responseUrl("list-stranger")));
        assertTrue(refused.body().contains("Only approvers may list"), refused.body());
        assertFalse(refused.body().contains(keyId));

        bot.requests().slashCommand(bot.eventsUrl(), Map.of("text", "list", "user_id", RunningBot.APPROVER,
                "response_url", bot.slack().responseUrl("list-approver")));
        RecordedCall listed = bot.slack().awaitCall(FakeSlackApi.RESPONSE_URL_PREFIX + "list-approver",
                RecordedCall::ok, WAIT);
        assertEquals("ephemeral", listed.param("response_type"));
        String blocks = listed.blocks().toString();
        assertTrue(blocks.contains(keyId) && blocks.contains("account `" + MEMBER + "`")
                && blocks.contains("IAM user `" + user + "`"), blocks);
        assertTrue(blocks.contains(root.response().path("ts").asText().replace(".", "")), "links to the thread");
        assertTrue(bot.slack().calls(FakeSlackApi.RESPONSE_URL_PREFIX + "list-stranger").isEmpty());

        var help = bot.requests().slashCommand(bot.eventsUrl(), Map.of("text", "help", "user_id", "U0STRANGER"));
        assertTrue(help.body().contains("ephemeral") && help.body().contains("/leaked-key list"), help.body());
    }

    @Test
    void aRoleThatCannotBeAssumedIsNamedInTheThreadWithTheFix() throws Exception {
        IamClient unreachable = AwsTestClients.iamIn(moto, UNREACHABLE);
        String user = uniqueUser();
        String keyId = leakedKey(unreachable, user);
        String role = "arn:aws:iam::" + UNREACHABLE + ":role/LeakedKeyBotResponder";
        // moto checks no trust policy; AWS answers this when the role is missing or does not trust the bot.
        bot.aws().refuse("sts:AssumeRole", UNREACHABLE, 403, "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/"
                + "2011-06-15/\"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: "
                + "arn:aws:iam::123456789012:user/bot is not authorized to perform: sts:AssumeRole on resource: " + role
                + "</Message></Error><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ErrorResponse>");

        RecordedCall root = rootFor(bot, keyId);
        String guidance = reply(bot, root, "could not assume").blocks().toString();

        assertTrue(guidance.contains(role), guidance);
        assertTrue(guidance.contains("deploy the member stack"), guidance);
        assertFalse(bot.slack().postedMessages().stream().anyMatch(c -> c.blocks().toString().contains(keyId)
                && c.blocks().toString().contains("step:deactivate")), "no button that cannot work");
        assertEquals(StatusType.ACTIVE, statusIn(unreachable, user, keyId));
    }

    @Test
    void aKeyOfAnAccountOutsideAccountsIsRefusedWithInstructions() throws Exception {
        IamClient outside = AwsTestClients.iamIn(moto, OUTSIDE);
        String user = uniqueUser();
        String keyId = leakedKey(outside, user);

        RecordedCall root = rootFor(bot, keyId);
        String refusal = reply(bot, root, "not among the accounts this bot may act in").blocks().toString();

        assertTrue(refusal.contains("`" + OUTSIDE + "`") && refusal.contains("ACCOUNTS"), refusal);
        assertEquals(0, bot.aws().count("sts:AssumeRole", OUTSIDE), "nothing is asked of that account");
        assertEquals(StatusType.ACTIVE, statusIn(outside, user, keyId));
    }

    @Test
    void aDeactivationInterruptedByARestartIsCompletedInTheMemberAccount() throws Exception {
        Path state = Files.createTempDirectory("member-restart-");
        Map<String, String> env = Map.of("ACCOUNTS", ENV.get("ACCOUNTS"), "STATE_DIR", state.toString());
        String user = uniqueUser();
        String keyId = leakedKey(memberIam, user);
        String decoy = decoyInOwnAccount(user);
        String threadTs;
        try (RunningBot first = RunningBot.start(SharedMoto.get(), env)) {
            RecordedCall root = rootFor(first, keyId);
            reply(first, root, "step:deactivate");
            reply(first, root, "step:close"); // the investigation is over: nothing of it is left running
            threadTs = root.response().path("ts").asText();
        }
        // The first bot died after an approver's click claimed the step, before it called IAM.
        try (TempIncidentStore journal = TempIncidentStore.open(state, Clock.systemUTC())) {
            IncidentStore store = journal.store();
            Incident incident = store.findByThread(new com.leakedkeybot.incident.ThreadRef(RunningBot.INCIDENT_CHANNEL,
                    threadTs)).orElseThrow();
            store.update(incident.id(), i -> i.withStep(i.step(StepKind.DEACTIVATE_KEY).orElseThrow()
                    .running(RunningBot.APPROVER, Clock.systemUTC().instant(), "pid1-dead")));
        }

        try (RunningBot second = RunningBot.start(SharedMoto.get(), env)) {
            second.slack().awaitCall("chat.update", c -> c.blocks().toString().contains("Completed after a restart"),
                    WAIT);
            assertEquals(StatusType.INACTIVE, statusIn(memberIam, user, keyId), "completed in the member account");
            assertEquals(StatusType.ACTIVE, statusIn(ownIam, user, decoy), "the bot account's same-named user");
            assertTrue(second.aws().calls(keyId).contains("iam:UpdateAccessKey"));
        }
    }
}
