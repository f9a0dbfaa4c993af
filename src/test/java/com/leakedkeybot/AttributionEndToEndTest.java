package com.leakedkeybot;

import com.leakedkeybot.testkit.SharedMoto;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.leakedkeybot.sandbox.FakeSlackApi;
import com.leakedkeybot.sandbox.MotoServer;
import com.leakedkeybot.sandbox.RecordedCall;
import com.leakedkeybot.sandbox.SlackRequests;
import com.leakedkeybot.sandbox.TrailEvents;
import com.leakedkeybot.testkit.AwsTestClients;
import com.leakedkeybot.testkit.CloudTrailDatasets;
import com.leakedkeybot.testkit.RunningBot;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.iam.IamClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The key is a working key: its owner's CI creates and changes resources from one source before and after the
 * exposure time the reporter gives, and the attacker from another source after it. Resources made for real in moto;
 * the calls logged in the fake CloudTrail. Only the attacker's resources are proposed, each with its event; marking
 * sources changes the proposals, and the marks are on the record.
 */
class AttributionEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess";
    private static final String TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
    private static final String CI_ADDRESS = "198.51.100.20";
    private static final String CI_AGENT = "aws-cli/2.15.0 Python/3.11 exec-env/GitHubActions";
    private static final String ATTACKER_ADDRESS = "203.0.113.66";
    private static final String ATTACKER_AGENT = "Boto3/1.34.0 Python/3.12 Linux/6.5";
    private static final String THIRD_APPROVER = "U0THIRD";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final IamClient iam = AwsTestClients.iam(SharedMoto.get().endpoint());
    private final Ec2Client ec2 = AwsTestClients.ec2(SharedMoto.get().endpoint());

    @Test
    void onlyTheAttackersResourcesAreProposedWithTheirEventAndReMarkingSourcesChangesTheProposals() throws Exception {
        String s = UUID.randomUUID().toString().substring(0, 8);
        String victim = "ci-" + s;
        iam.createUser(r -> r.userName(victim));
        iam.attachUserPolicy(r -> r.userName(victim).policyArn(ADMIN));
        String key = iam.createAccessKey(r -> r.userName(victim)).accessKey().accessKeyId();
        // What the owner's CI made with the key, before and after the exposure, and what the attacker made after it.
        String ownerRole = "app-role-" + s;
        iam.createRole(r -> r.roleName(ownerRole).assumeRolePolicyDocument(TRUST));
        String ownerUser = "deploy-" + s;
        iam.createUser(r -> r.userName(ownerUser));
        String backdoor = "backdoor-" + s;
        iam.createUser(r -> r.userName(backdoor));
        String miner = ec2.runInstances(r -> r.imageId("ami-12c6146b").minCount(1).maxCount(1)
                .instanceType("t3.micro")).instances().get(0).instanceId();

        Instant exposed = Instant.now().minus(Duration.ofHours(3)).truncatedTo(ChronoUnit.MINUTES);
        String iamService = "iam.amazonaws.com";
        List<TrailEvents> trail = List.of(
                TrailEvents.event("owner-1", exposed.minus(Duration.ofDays(10)), "us-east-1", key, iamService,
                        "CreateRole").readOnly(false).from(CI_ADDRESS, CI_AGENT).request("roleName", ownerRole)
                        .response("{\"role\":{\"roleName\":\"" + ownerRole + "\"}}"),
                TrailEvents.event("owner-2", exposed.plus(Duration.ofMinutes(30)), "us-east-1", key, iamService,
                        "CreateUser").readOnly(false).from(CI_ADDRESS, CI_AGENT).request("userName", ownerUser)
                        .response("{\"user\":{\"userName\":\"" + ownerUser + "\"}}"),
                TrailEvents.event("attacker-1", exposed.plus(Duration.ofMinutes(45)), "us-east-1", key, iamService,
                        "CreateUser").readOnly(false).from(ATTACKER_ADDRESS, ATTACKER_AGENT)
                        .request("userName", backdoor).response("{\"user\":{\"userName\":\"" + backdoor + "\"}}"),
                TrailEvents.event("attacker-2", exposed.plus(Duration.ofMinutes(50)), "us-east-1", key,
                        "ec2.amazonaws.com", "RunInstances").readOnly(false).from(ATTACKER_ADDRESS, ATTACKER_AGENT)
                        .request("instanceType", "p3.16xlarge")
                        .response("{\"instancesSet\":{\"items\":[{\"instanceId\":\"" + miner + "\"}]}}"));

        try (RunningBot bot = RunningBot.start(SharedMoto.get(), Map.of("APPROVERS",
                RunningBot.APPROVER + "," + RunningBot.SECOND_APPROVER + "," + THIRD_APPROVER))) {
            trail.forEach(e -> bot.cloudTrail().add("us-east-1", e.json()));
            FakeSlackApi slack = bot.slack();

            bot.requests().slashCommand(bot.eventsUrl(), Map.of("text", key + " since "
                    + exposed.toString().replace("T", " ").replace(":00Z", ""), "user_id", RunningBot.APPROVER));

            RecordedCall close = await(slack, "step:close"); // offered last: every proposal is posted by then
            RecordedCall sources = await(slack, "Where the calls came from");
            String table = sources.blocks().toString();
            assertTrue(table.contains("*Exposure time:* " + exposed.toString().replace("T", " ")
                    .replace(":00Z", " UTC") + ", set by <@" + RunningBot.APPROVER + ">"), table);
            assertTrue(table.contains("*Owner's baseline*") && table.contains("*Suspect*"), table);
            assertTrue(table.contains("*Probably the owner's, not proposed (2):* created IAM role " + ownerRole),
                    table);
            RecordedCall userProposal = await(slack, "*Clean-up:* IAM user " + backdoor);
            RecordedCall minerProposal = await(slack, "*Clean-up:* EC2 instance " + miner);
            for (RecordedCall proposal : List.of(userProposal, minerProposal)) {
                String shown = proposal.blocks().toString();
                assertTrue(shown.contains("*Evidence (CloudTrail):*") && shown.contains("from `" + ATTACKER_ADDRESS
                        + "` with `" + ATTACKER_AGENT + "` by key `" + key + "` in us-east-1"), shown);
            }
            assertTrue(userProposal.blocks().toString().contains("`CreateUser` at " + exposed.plus(Duration
                    .ofMinutes(45)) + " from"), userProposal.blocks().toString());
            assertTrue(userProposal.blocks().toString().contains("event `attacker-1`"));
            assertTrue(minerProposal.blocks().toString().contains("event `attacker-2`"));
            assertFalse(proposed(slack, ownerUser) || proposed(slack, ownerRole), "no owner resource is proposed");

            // A non-approver cannot mark; an approver marks the CI source the attacker's: its resources are offered.
            click(bot, sources, "attribution:attacker:", CI_AGENT, "U0STRANGER");
            slack.awaitCall("chat.postEphemeral", c -> c.param("user").equals("U0STRANGER")
                    && c.param("text").contains("Only configured approvers"), WAIT);
            click(bot, sources, "attribution:attacker:", CI_AGENT, RunningBot.SECOND_APPROVER);
            RecordedCall ownerUserProposal = await(slack, "*Clean-up:* IAM user " + ownerUser);
            assertTrue(ownerUserProposal.blocks().toString().contains("event `owner-2`"));
            await(slack, "*Clean-up:* IAM role " + ownerRole);
            String sourcesTs = sources.response().path("ts").asText();
            slack.awaitCall("chat.update", c -> c.param("ts").equals(sourcesTs) && c.blocks().toString()
                    .contains("*Marked the attacker's* by <@" + RunningBot.SECOND_APPROVER + ">"), WAIT);

            // The attacker's source marked the owner's: its proposals are withdrawn, and a click on one does nothing.
            click(bot, sources, "attribution:owner:", ATTACKER_AGENT, THIRD_APPROVER);
            String userTs = userProposal.response().path("ts").asText();
            slack.awaitCall("chat.update", c -> c.param("ts").equals(userTs)
                    && c.blocks().toString().contains("*Withdrawn:*") && !c.blocks().toString().contains("\"actions\""),
                    WAIT);
            clickStep(bot, userProposal, THIRD_APPROVER);
            slack.awaitCall("chat.postEphemeral", c -> c.param("user").equals(THIRD_APPROVER)
                    && c.param("text").contains("is not available"), WAIT);
            assertTrue(AwsTestClients.iamFinds(() -> iam.getUser(r -> r.userName(backdoor))), "nothing was removed");

            // Re-marked the attacker's, it is offered again, on a new message.
            click(bot, sources, "attribution:attacker:", ATTACKER_AGENT, THIRD_APPROVER);
            slack.awaitCalls("chat.postMessage", c -> c.ok()
                    && c.blocks().toString().contains("*Clean-up:* IAM user " + backdoor), 2, WAIT);

            clickStep(bot, close, RunningBot.SECOND_APPROVER);
            String timeline = await(slack, "Timeline — ").blocks().toString();
            assertTrue(timeline.contains("<@" + RunningBot.APPROVER + "> gave the exposure time"), timeline);
            assertTrue(timeline.contains("<@" + RunningBot.SECOND_APPROVER + "> marked source "), timeline);
            assertTrue(timeline.contains("as the attacker's"), timeline);
            assertTrue(timeline.contains("<@" + THIRD_APPROVER + "> marked source "), timeline);
            assertTrue(timeline.contains("withdrew Remove IAM_USER|us-east-1||" + backdoor), timeline);
            assertEquals(List.of(), slack.rejected());
        }
    }

    /**
     * Real attacks (Stratus Red Team's create-admin-user and federation-token detonations, as if made with the leaked
     * key, from their own addresses and tools) on top of owner activity generated here: the owner's CI, from one
     * address with one user agent, creates a role ten days before the attack and a user between the two detonations.
     * Nobody gives an exposure time: the bot proposes the attack's first call, an approver confirms it, and the owner's
     * proposals are withdrawn while the attacker's stay, each with its real event.
     */
    @Test
    void onRealAttackDataTheBotProposesTheExposureTimeAndItsConfirmationLeavesOnlyTheAttackersProposals()
            throws Exception {
        String s = UUID.randomUUID().toString().substring(0, 8);
        String victim = "ci-" + s;
        iam.createUser(r -> r.userName(victim));
        iam.attachUserPolicy(r -> r.userName(victim).policyArn(ADMIN));
        String key = iam.createAccessKey(r -> r.userName(victim)).accessKey().accessKeyId();
        List<ObjectNode> attack = new ArrayList<>();
        int hoursAgo = 6;
        for (String technique : List.of("aws.persistence.iam-create-admin-user",
                "aws.persistence.sts-federation-token")) {
            List<ObjectNode> detonation = new ArrayList<>();
            for (ObjectNode event : CloudTrailDatasets.stratus(technique)) {
                ObjectNode rewritten = (ObjectNode) JSON.readTree(event.toString()
                        .replace("AKIAOZUDECYXYM4ONAN4", key).replace("AKIA6V1GNZTT65XQH36M", key));
                rewritten.put("awsRegion", "us-east-1");
                detonation.add(rewritten);
            }
            attack.addAll(CloudTrailDatasets.shiftedToRecent(detonation, Instant.now(), Duration.ofHours(hoursAgo)));
            hoursAgo -= 3;
        }
        Instant attackBegins = attack.stream().map(e -> Instant.parse(e.path("eventTime").asText()))
                .min(Instant::compareTo).orElseThrow();
        String ownerRole = "app-role-" + s;
        String ownerUser = "deploy-" + s;
        List<TrailEvents> owner = List.of(
                TrailEvents.event("owner-1", attackBegins.minus(Duration.ofDays(10)), "us-east-1", key,
                        "iam.amazonaws.com", "CreateRole").readOnly(false).from(CI_ADDRESS, CI_AGENT)
                        .request("roleName", ownerRole).response("{\"role\":{\"roleName\":\"" + ownerRole + "\"}}"),
                TrailEvents.event("owner-2", attackBegins.plus(Duration.ofHours(1)), "us-east-1", key,
                        "iam.amazonaws.com", "CreateUser").readOnly(false).from(CI_ADDRESS, CI_AGENT)
                        .request("userName", ownerUser).response("{\"user\":{\"userName\":\"" + ownerUser + "\"}}"));

        try (RunningBot bot = RunningBot.start(SharedMoto.get(), Map.of("APPROVERS",
                RunningBot.APPROVER + "," + RunningBot.SECOND_APPROVER + "," + THIRD_APPROVER))) {
            attack.forEach(e -> bot.cloudTrail().add("us-east-1", e.toString()));
            owner.forEach(e -> bot.cloudTrail().add("us-east-1", e.json()));
            FakeSlackApi slack = bot.slack();

            bot.requests().slashCommand(bot.eventsUrl(), Map.of("text", key, "user_id", RunningBot.APPROVER));

            await(slack, "step:close");
            RecordedCall sources = await(slack, "Where the calls came from");
            String table = sources.blocks().toString();
            assertTrue(table.contains("*Proposed exposure time:* " + MINUTES.format(attackBegins)), table);
            assertTrue(table.contains("`075.050.255.67`") && table.contains("`255.090.254.5`"), table);
            RecordedCall ownerProposal = await(slack, "*Clean-up:* IAM user " + ownerUser);
            RecordedCall attackerProposal = await(slack, "*Clean-up:* IAM user malicious-iam-user");
            assertTrue(attackerProposal.blocks().toString().contains("`CreateUser` at " + attack.stream()
                    .filter(e -> e.path("eventName").asText().equals("CreateUser")).findFirst().orElseThrow()
                    .path("eventTime").asText() + " from `075.050.255.67` with `stratus-red-team_"),
                    attackerProposal.blocks().toString());
            assertTrue(attackerProposal.blocks().toString().contains("event `3346344c-5a3e-429e-8405-420f98f75d6e`"));

            post(bot, sources, sources.blocks().findParent("action_id"), RunningBot.SECOND_APPROVER); // confirm
            String sourcesTs = sources.response().path("ts").asText();
            slack.awaitCall("chat.update", c -> c.param("ts").equals(sourcesTs) && c.blocks().toString()
                    .contains("set by <@" + RunningBot.SECOND_APPROVER + ">"), WAIT);
            String ownerTs = ownerProposal.response().path("ts").asText();
            slack.awaitCall("chat.update", c -> c.param("ts").equals(ownerTs)
                    && c.blocks().toString().contains("*Withdrawn:*"), WAIT);
            RecordedCall table2 = slack.awaitCall("chat.update", c -> c.param("ts").equals(sourcesTs)
                    && c.blocks().toString().contains("*Probably the owner's, not proposed (2):*"), WAIT);
            assertTrue(table2.blocks().toString().contains("created IAM role " + ownerRole), table2.blocks().toString());
            String attackerTs = attackerProposal.response().path("ts").asText();
            assertFalse(slack.calls("chat.update").stream().anyMatch(c -> c.param("ts").equals(attackerTs)),
                    "the attacker's proposal stays as it was");
            assertFalse(slack.calls("chat.update").stream().anyMatch(c -> c.blocks().toString().contains("*Withdrawn:*")
                    && c.blocks().toString().contains("malicious-iam-user")));
            assertEquals(List.of(), slack.rejected());
        }
    }

    private static boolean proposed(FakeSlackApi slack, String name) {
        return slack.calls("chat.postMessage").stream().anyMatch(c -> c.blocks().toString().contains("*Clean-up:* ")
                && c.blocks().toString().contains(" " + name + " "));
    }

    private static RecordedCall await(FakeSlackApi slack, String text) throws InterruptedException {
        return slack.awaitCall("chat.postMessage", c -> c.ok() && c.blocks().toString().contains(text), WAIT);
    }

    /** Clicks the mark button of the source with that user agent on the sources message. */
    private static void click(RunningBot bot, RecordedCall sources, String action, String userAgent, String user)
            throws Exception {
        JsonNode blocks = sources.blocks();
        for (int i = 0; i < blocks.size(); i++) {
            if (blocks.get(i).path("text").path("text").asText().contains(userAgent)) {
                for (JsonNode button : blocks.get(i + 1).path("elements")) {
                    if (button.path("action_id").asText().startsWith(action)) {
                        post(bot, sources, button, user);
                        return;
                    }
                }
            }
        }
        throw new AssertionError("no " + action + " button for " + userAgent + " in " + blocks);
    }

    private static void clickStep(RunningBot bot, RecordedCall step, String user) throws Exception {
        post(bot, step, step.blocks().findParent("action_id"), user);
    }

    private static void post(RunningBot bot, RecordedCall message, JsonNode button, String user) throws Exception {
        assertEquals(200, bot.requests().blockAction(bot.eventsUrl(), SlackRequests.blockActionsPayload(user,
                RunningBot.INCIDENT_CHANNEL, message.response().path("ts").asText(), message.param("thread_ts"),
                button.path("action_id").asText(), "b", button.path("value").asText(),
                bot.slack().responseUrl("click-" + user))).statusCode());
    }
}
