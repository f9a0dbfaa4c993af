package com.leakedkeybot;

import com.leakedkeybot.testkit.SharedMoto;
import com.fasterxml.jackson.databind.JsonNode;
import com.leakedkeybot.incident.Timeline;
import com.leakedkeybot.sandbox.FakeSlackApi;
import com.leakedkeybot.sandbox.MotoServer;
import com.leakedkeybot.sandbox.RecordedCall;
import com.leakedkeybot.sandbox.SlackRequests;
import com.leakedkeybot.sandbox.TrailEvents;
import com.leakedkeybot.testkit.AwsTestClients;
import com.leakedkeybot.testkit.RunningBot;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;


/**
 * The issue's scenario, end to end: a leaked admin key whose attacker created a backdoor user with a key and a
 * console password, attached AdministratorAccess, created a role trusting an outside account and started an
 * instance — made for real in moto with the leaked key, and logged in the fake CloudTrail. Approvers click the
 * steps in the thread (a second approver for the destructive ones); the account ends as it was, minus the attacker.
 */
class RemediationEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess";
    private static final String OUTSIDE_TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"AWS\":\"arn:aws:iam::999999999999:root\"},\"Action\":\"sts:AssumeRole\"}]}";

    private final IamClient iam = AwsTestClients.iam(SharedMoto.get().endpoint());
    private final Ec2Client ec2 = AwsTestClients.ec2(SharedMoto.get().endpoint());

    @Test
    void afterTheApprovedStepsTheAccountIsBackToItsLegitimateStateAndTheThreadSaysSo() throws Exception {
        String s = UUID.randomUUID().toString().substring(0, 8);
        String victim = "victim-" + s;
        iam.createUser(r -> r.userName(victim));
        iam.attachUserPolicy(r -> r.userName(victim).policyArn(ADMIN));
        AccessKey leaked = iam.createAccessKey(r -> r.userName(victim)).accessKey();
        iam.createUser(r -> r.userName("legit-" + s));
        iam.createRole(r -> r.roleName("legit-role-" + s).assumeRolePolicyDocument(OUTSIDE_TRUST));
        String legitInstance = runInstance(ec2);

        // The attacker, with the leaked key:
        IamClient attackerIam = attackerIam(leaked);
        String backdoor = "backdoor-" + s;
        attackerIam.createUser(r -> r.userName(backdoor));
        String backdoorKey = attackerIam.createAccessKey(r -> r.userName(backdoor)).accessKey().accessKeyId();
        attackerIam.createLoginProfile(r -> r.userName(backdoor).password("Backd00r-Pw!x"));
        attackerIam.attachUserPolicy(r -> r.userName(backdoor).policyArn(ADMIN));
        String role = "escape-" + s;
        String roleArn = attackerIam.createRole(r -> r.roleName(role).assumeRolePolicyDocument(OUTSIDE_TRUST))
                .role().arn();
        String minerInstance = runInstance(ec2);

        try (RunningBot bot = RunningBot.start(SharedMoto.get(), Map.of("APPROVERS",
                RunningBot.APPROVER + "," + RunningBot.SECOND_APPROVER + "," + THIRD_APPROVER))) {
            String key = leaked.accessKeyId();
            Instant t = Instant.now().minus(Duration.ofHours(2));
            String iamSource = "iam.amazonaws.com";
            List<TrailEvents> trail = List.of(
                    TrailEvents.event("e1", t, "us-east-1", key, iamSource, "CreateUser").readOnly(false)
                            .request("userName", backdoor).response("{\"user\":{\"userName\":\"" + backdoor + "\"}}"),
                    TrailEvents.event("e2", t.plusSeconds(10), "us-east-1", key, iamSource, "CreateAccessKey")
                            .readOnly(false).request("userName", backdoor).response("{\"accessKey\":{\"accessKeyId\":\""
                                    + backdoorKey + "\",\"userName\":\"" + backdoor + "\",\"status\":\"Active\"}}"),
                    TrailEvents.event("e3", t.plusSeconds(20), "us-east-1", key, iamSource, "CreateLoginProfile")
                            .readOnly(false).request("userName", backdoor),
                    TrailEvents.event("e4", t.plusSeconds(30), "us-east-1", key, iamSource, "AttachUserPolicy")
                            .readOnly(false).request("userName", backdoor).request("policyArn", ADMIN),
                    TrailEvents.event("e5", t.plusSeconds(40), "us-east-1", key, iamSource, "CreateRole")
                            .readOnly(false).request("roleName", role)
                            .response("{\"role\":{\"roleName\":\"" + role + "\",\"arn\":\"" + roleArn + "\"}}"),
                    TrailEvents.event("e6", t.plusSeconds(50), "us-east-1", key, "ec2.amazonaws.com", "RunInstances")
                            .readOnly(false).request("instanceType", "p3.16xlarge")
                            .response("{\"instancesSet\":{\"items\":[{\"instanceId\":\"" + minerInstance + "\"}]}}"));
            trail.forEach(e -> bot.cloudTrail().add("us-east-1", e.json()));
            FakeSlackApi slack = bot.slack();

            // The approver who reports is the reporter: the two-person rule keeps them from the destructive steps.
            bot.requests().slashCommand(bot.eventsUrl(), Map.of("text", key, "user_id", RunningBot.APPROVER));

            click(bot, await(slack, "step:deactivate"), RunningBot.APPROVER);
            click(bot, await(slack, "step:revoke-sessions"), RunningBot.APPROVER);
            for (String resource : List.of("IAM user " + backdoor, "IAM role " + role, "EC2 instance " + minerInstance)) {
                RecordedCall proposal = await(slack, "*Clean-up:* " + resource);
                click(bot, proposal, RunningBot.APPROVER);
                slack.awaitCall("chat.postEphemeral", c -> c.param("user").equals(RunningBot.APPROVER)
                        && c.param("text").contains("two-person rule"), WAIT);
                // Four eyes: a second approver's click is the first approval; clicking again does not count twice.
                String ts = proposal.response().path("ts").asText();
                click(bot, proposal, RunningBot.SECOND_APPROVER);
                slack.awaitCall("chat.update", c -> c.param("ts").equals(ts)
                        && c.blocks().toString().contains("Approved 1 of 2 by <@" + RunningBot.SECOND_APPROVER + ">"),
                        WAIT);
                click(bot, proposal, RunningBot.SECOND_APPROVER);
                slack.awaitCall("chat.postEphemeral", c -> c.param("user").equals(RunningBot.SECOND_APPROVER)
                        && c.param("text").contains("You already approved"), WAIT);
                click(bot, proposal, THIRD_APPROVER);
                slack.awaitCall("chat.update", c -> c.param("ts").equals(ts)
                        && c.blocks().toString().contains(":white_check_mark: Removed"), WAIT);
            }
            slack.awaitCall("chat.update", c -> c.blocks().toString().contains("The key is now Inactive"), WAIT);
            slack.awaitCall("chat.update", c -> c.blocks().toString().contains("LeakedKeyBotRevokeOlderSessions is on"),
                    WAIT);

            assertEquals("Inactive", iam.listAccessKeys(r -> r.userName(victim)).accessKeyMetadata().get(0)
                    .statusAsString());
            assertFalse(AwsTestClients.iamFinds(() -> iam.getUser(r -> r.userName(backdoor))), "backdoor user gone");
            assertFalse(AwsTestClients.iamFinds(() -> iam.getRole(r -> r.roleName(role))), "escape role gone");
            assertEquals(InstanceStateName.TERMINATED, state(minerInstance));
            assertTrue(AwsTestClients.iamFinds(() -> iam.getUser(r -> r.userName("legit-" + s))));
            assertTrue(AwsTestClients.iamFinds(() -> iam.getRole(r -> r.roleName("legit-role-" + s))));
            assertTrue(AwsTestClients.iamFinds(() -> iam.getUser(r -> r.userName(victim))));
            assertEquals(InstanceStateName.RUNNING, state(legitInstance));
            String thread = slack.allRecordedText();
            assertTrue(thread.contains("CreateUser") && thread.contains("RunInstances"), "the findings are told");
            assertFalse(slack.calls("chat.postMessage").stream().anyMatch(c -> c.blocks().toString()
                    .contains("*Clean-up:* IAM user legit-" + s)), "legitimate resources are never proposed");
            assertEquals(List.of(), slack.rejected());

            closeAndReadTheTimeline(bot, backdoor);
        }
    }

    /** Runbook steps 4 and 9: the restore-access guidance, then closing, the timeline, and clicks after closing. */
    private static void closeAndReadTheTimeline(RunningBot bot, String backdoor) throws Exception {
        FakeSlackApi slack = bot.slack();
        RecordedCall rotation = await(slack, "step:rotate");
        RecordedCall guidance = await(slack, "Restore access without a new long-term key");
        assertTrue(guidance.blocks().toString().contains("https://fake-workspace.slack.com/archives/"
                + RunningBot.INCIDENT_CHANNEL + "/p" + rotation.response().path("ts").asText().replace(".", "")),
                "the guidance links the rotation step");

        RecordedCall close = await(slack, "step:close");
        String incidentId = close.blocks().findParent("action_id").path("value").asText();
        click(bot, close, RunningBot.APPROVER);
        RecordedCall timeline = await(slack, "Timeline — " + incidentId);
        String told = timeline.blocks().toString();
        assertTrue(told.contains("after the report"), "time to containment: " + told);
        assertTrue(told.contains("*CreateUser* — created IAM user " + backdoor), told);
        assertTrue(told.contains("approved Close incident"), told);
        assertTrue(told.contains("<@" + RunningBot.SECOND_APPROVER + "> approved Remove"), told);

        click(bot, rotation, RunningBot.SECOND_APPROVER);
        slack.awaitCall("chat.postEphemeral", c -> c.param("user").equals(RunningBot.SECOND_APPROVER)
                && c.param("text").contains("incident is closed"), WAIT);

        bot.requests().slashCommand(bot.eventsUrl(), Map.of("text", "timeline " + incidentId,
                "user_id", RunningBot.SECOND_APPROVER, "response_url", slack.responseUrl("timeline-approver")));
        RecordedCall retrieved = slack.awaitCall(FakeSlackApi.RESPONSE_URL_PREFIX + "timeline-approver",
                RecordedCall::ok, WAIT);
        assertEquals("ephemeral", retrieved.param("response_type"));
        assertTrue(retrieved.blocks().toString().contains("*CreateUser* — created IAM user " + backdoor));
        bot.requests().slashCommand(bot.eventsUrl(), Map.of("text", "timeline " + incidentId,
                "user_id", "U0STRANGER", "response_url", slack.responseUrl("timeline-stranger")));
        RecordedCall refused = slack.awaitCall(FakeSlackApi.RESPONSE_URL_PREFIX + "timeline-stranger",
                RecordedCall::ok, WAIT);
        assertFalse(refused.rawBody().contains("CreateUser"), "a non-approver learns nothing");
        assertTrue(refused.param("text").contains("No timeline"));
    }

    /** Four eyes need a second approver besides the reporter, who may run no destructive step. */
    private static final String THIRD_APPROVER = "U0THIRD";

    private static RecordedCall await(FakeSlackApi slack, String text) throws InterruptedException {
        return slack.awaitCall("chat.postMessage", c -> c.ok() && c.blocks().toString().contains(text), WAIT);
    }

    private static void click(RunningBot bot, RecordedCall step, String user) throws Exception {
        JsonNode button = step.blocks().findParent("action_id");
        assertEquals(200, bot.requests().blockAction(bot.eventsUrl(), SlackRequests.blockActionsPayload(user,
                RunningBot.INCIDENT_CHANNEL, step.response().path("ts").asText(), step.param("thread_ts"),
                button.path("action_id").asText(), "step", button.path("value").asText(),
                bot.slack().responseUrl("click-" + user))).statusCode());
    }

    private static IamClient attackerIam(AccessKey leaked) {
        return IamClient.builder().endpointOverride(SharedMoto.get().endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(leaked.accessKeyId(), leaked.secretAccessKey())))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    private static String runInstance(Ec2Client ec2) {
        return ec2.runInstances(r -> r.imageId("ami-12c6146b").minCount(1).maxCount(1).instanceType("t3.micro"))
                .instances().get(0).instanceId();
    }

    private InstanceStateName state(String instanceId) {
        return ec2.describeInstances(r -> r.instanceIds(instanceId)).reservations().get(0).instances().get(0)
                .state().name();
    }
}
