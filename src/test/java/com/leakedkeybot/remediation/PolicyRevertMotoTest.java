package com.leakedkeybot.remediation;

import com.leakedkeybot.testkit.SharedMoto;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.leakedkeybot.aws.CloudTrailLookup;
import com.leakedkeybot.aws.IamInlinePolicies;
import com.leakedkeybot.aws.IamPolicyVersions;
import com.leakedkeybot.aws.IamRoles;
import com.leakedkeybot.incident.Findings;
import com.leakedkeybot.incident.PolicyRevert;
import com.leakedkeybot.investigation.AffectedResource;
import com.leakedkeybot.investigation.AffectedResourceExtractor;
import com.leakedkeybot.investigation.TrailEvent;
import com.leakedkeybot.investigation.TrailLookupException;
import com.leakedkeybot.key.AccessKeyId;
import com.leakedkeybot.sandbox.FakeCloudTrail;
import com.leakedkeybot.sandbox.MotoServer;
import com.leakedkeybot.sandbox.TrailEvents;
import com.leakedkeybot.step.Refusal;
import com.leakedkeybot.step.StepId;
import com.leakedkeybot.step.StepKind;
import com.leakedkeybot.step.StepState;
import com.leakedkeybot.testkit.ApprovalHarness;
import com.leakedkeybot.testkit.AwsTestClients;
import com.leakedkeybot.testkit.CloudTrailDatasets;
import com.leakedkeybot.testkit.RunningBot;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.PolicyVersion;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;


/**
 * An admin key set a role's inline and trust policies, a user's inline policy and a managed policy (events in the
 * fake CloudTrail, state in moto); the leaked key then overwrote them. The reverts are decided from CloudTrail's
 * history, and approved clicks put back exactly the admin's documents.
 */
class PolicyRevertMotoTest {

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final String REGION = "us-east-1";
    private static final String ADMIN_KEY = "AKIAADMINEXAMPLE0001";
    private static final String ADMIN = "arn:aws:iam::123456789012:user/admin";
    private static final String LEGIT_POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::app-data/*\"}]}";
    private static final String LEGIT_USER_POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":"
            + "\"Allow\",\"Action\":[\"athena:StartQueryExecution\",\"athena:GetQueryResults\"],\"Resource\":\"*\"}]}";
    private static final String LEGIT_TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
    private static final String ATTACKER_POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":\"*\",\"Resource\":\"*\"}]}";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static IamClient iam;
    private static FakeCloudTrail trail;
    private static CloudTrailLookup lookup;
    /** The real UpdateAssumeRolePolicy of Stratus Red Team's backdoored role, re-aimed at our roles. */
    private static ObjectNode stratusTrustChange;

    @TempDir
    Path dir;

    private ApprovalHarness bot;
    private String s;
    private String leaked;
    private String policyArn;
    private String attackerVersion;
    private final List<String> attackerEvents = new ArrayList<>();
    private final List<TrailEvents> pending = new ArrayList<>();
    private final List<TrailEvents> attackerPending = new ArrayList<>();
    private int attackerEventCount;

    @BeforeAll
    static void services() throws Exception {
        iam = AwsTestClients.iam(SharedMoto.get().endpoint());
        trail = FakeCloudTrail.start(RunningBot.TUNING.cloudTrailRequestsPerSecond());
        lookup = trail.lookup("AKIDREVERTS");
        stratusTrustChange = CloudTrailDatasets.stratus("aws.persistence.iam-backdoor-role").stream()
                .filter(e -> e.path("eventName").asText().equals("UpdateAssumeRolePolicy")).findFirst().orElseThrow();
    }

    @AfterAll
    static void stop() {
        lookup.close();
        trail.close();
    }

    @BeforeEach
    void adminThenAttacker() throws TrailLookupException {
        s = UUID.randomUUID().toString().substring(0, 8);
        iam.createUser(r -> r.userName("leaky-" + s));
        leaked = iam.createAccessKey(r -> r.userName("leaky-" + s)).accessKey().accessKeyId();

        // The admin's legitimate set-up, within CloudTrail's window:
        iam.createRole(r -> r.roleName("app-" + s).assumeRolePolicyDocument(LEGIT_TRUST));
        admin(days(10), "CreateRole", "roleName", "app-" + s).request("assumeRolePolicyDocument", LEGIT_TRUST);
        iam.putRolePolicy(r -> r.roleName("app-" + s).policyName("app-access").policyDocument(LEGIT_POLICY));
        admin(days(9), "PutRolePolicy", "roleName", "app-" + s).request("policyName", "app-access")
                .request("policyDocument", LEGIT_POLICY);
        iam.createUser(r -> r.userName("analyst-" + s));
        iam.putUserPolicy(r -> r.userName("analyst-" + s).policyName("reports").policyDocument(LEGIT_USER_POLICY));
        admin(days(8), "PutUserPolicy", "userName", "analyst-" + s).request("policyName", "reports")
                .request("policyDocument", LEGIT_USER_POLICY);
        policyArn = iam.createPolicy(r -> r.policyName("shared-" + s).policyDocument(LEGIT_POLICY)).policy().arn();
        admin(days(7), "CreatePolicy", "policyName", "shared-" + s).request("policyDocument", LEGIT_POLICY)
                .response("{\"policy\":{\"arn\":\"" + policyArn + "\",\"defaultVersionId\":\"v1\"}}");
        // Older than the window: CloudTrail has no event for it.
        iam.createRole(r -> r.roleName("quiet-" + s).assumeRolePolicyDocument(LEGIT_TRUST));

        // What the leaked key did:
        iam.putRolePolicy(r -> r.roleName("app-" + s).policyName("app-access").policyDocument(ATTACKER_POLICY));
        attacker(days(1), "PutRolePolicy", "roleName", "app-" + s).request("policyName", "app-access")
                .request("policyDocument", ATTACKER_POLICY);
        iam.putRolePolicy(r -> r.roleName("app-" + s).policyName("backdoor").policyDocument(ATTACKER_POLICY));
        attacker(days(1), "PutRolePolicy", "roleName", "app-" + s).request("policyName", "backdoor")
                .request("policyDocument", ATTACKER_POLICY);
        trustChange("app-" + s);
        trustChange("quiet-" + s);
        iam.putUserPolicy(r -> r.userName("analyst-" + s).policyName("reports").policyDocument(ATTACKER_POLICY));
        attacker(days(1), "PutUserPolicy", "userName", "analyst-" + s).request("policyName", "reports")
                .request("policyDocument", ATTACKER_POLICY);
        attackerVersion = iam.createPolicyVersion(r -> r.policyArn(policyArn).policyDocument(ATTACKER_POLICY)
                .setAsDefault(true)).policyVersion().versionId();
        attacker(days(1), "CreatePolicyVersion", "policyArn", policyArn).request("policyDocument", ATTACKER_POLICY)
                .request("setAsDefault", true).response("{\"policyVersion\":{\"versionId\":\"" + attackerVersion
                        + "\",\"isDefaultVersion\":true}}");
        flush();

        RevertPolicyStep step = new RevertPolicyStep(new IamInlinePolicies(iam), new IamRoles(iam),
                new IamPolicyVersions(iam));
        bot = new ApprovalHarness(dir, new AccessKeyId(leaked), "leaky-" + s, List.of(step));
        AffectedResourceExtractor extractor = AffectedResourceExtractor.standard();
        List<AffectedResource> found = attackerEvents.stream()
                .flatMap(json -> extractor.extract(TrailEvent.parse(json)).stream()).toList();
        bot.store.update(bot.id, i -> i.withFindings(new Findings(null, NOW, found.size(), found, List.of(), List.of(),
                List.of())));
        List<PolicyRevert> planned = new PolicyRevertPlanner(lookup).plan(bot.incident(), NOW.minus(Duration.ofDays(90)),
                NOW);
        bot.store.update(bot.id, i -> i.withFindings(i.findings().withPolicyReverts(planned)));
        bot.runbook.trailRead(bot.incident());
    }

    @AfterEach
    void close() throws Exception {
        bot.close();
    }

    @Test
    void eachChangeIsDecidedFromItsHistoryKeptWithTheIncidentAndOfferedOnce() {
        Map<String, PolicyRevert> reverts = bot.incident().findings().policyReverts().stream()
                .collect(Collectors.toMap(r -> r.change().kind() + " " + r.change().identifier(), Function.identity()));

        PolicyRevert appAccess = reverts.get("IAM_ROLE_INLINE_POLICY app-access");
        assertEquals(PolicyRevert.Plan.RESTORE, appAccess.plan());
        assertEquals(LEGIT_POLICY, appAccess.earlier().document());
        assertEquals(ADMIN, appAccess.earlier().setBy());
        assertEquals(days(9), appAccess.earlier().setAt());
        assertEquals(ATTACKER_POLICY, appAccess.attackerDocument());
        PolicyRevert backdoor = reverts.get("IAM_ROLE_INLINE_POLICY backdoor");
        assertEquals(PolicyRevert.Plan.DELETE, backdoor.plan());
        assertNull(backdoor.earlier());
        assertEquals(90, backdoor.searchedDays());
        assertEquals(LEGIT_TRUST, reverts.get("IAM_ROLE_TRUST_POLICY app-" + s).earlier().document(),
                "the trust policy the admin's CreateRole set");
        assertEquals(PolicyRevert.Plan.RESTORE, reverts.get("IAM_USER_INLINE_POLICY reports").plan());
        PolicyRevert version = reverts.get("IAM_POLICY_VERSION " + attackerVersion);
        assertEquals(PolicyRevert.Plan.RESTORE, version.plan());
        assertEquals("v1", version.earlierDefault());
        PolicyRevert quiet = reverts.get("IAM_ROLE_TRUST_POLICY quiet-" + s);
        assertEquals(PolicyRevert.Plan.MANUAL, quiet.plan());
        assertEquals(List.of("arn:aws:iam::193672423079:root", "ec2.amazonaws.com"), quiet.trustedPrincipals());

        verify(bot.channel).postRevertGuidance(any(), eq(quiet));
        verify(bot.channel, times(1)).postRevertGuidance(any(), any());
        List<StepId> offered = bot.incident().steps().keySet().stream()
                .filter(id -> id.kind() == StepKind.REVERT_POLICY).toList();
        assertEquals(5, offered.size(), offered.toString());
        assertFalse(offered.contains(quiet.step()), "a trust change without history gets no button");
    }

    @Test
    void approvedRevertsPutTheAdminsDocumentsBackExactlyAndDeleteWhatHasNoHistory() throws Exception {
        List<StepId> steps = bot.incident().findings().policyReverts().stream()
                .filter(r -> r.plan() != PolicyRevert.Plan.MANUAL).map(PolicyRevert::step).toList();

        bot.approve(steps.get(0), ApprovalHarness.REPORTER);
        verify(bot.channel).refuse(any(), eq(ApprovalHarness.REPORTER),
                argThat(r -> r.reason() == Refusal.Reason.REPORTER_ON_DESTRUCTIVE_STEP));
        for (StepId step : steps) {
            bot.clickTogether(step);
            assertEquals(1, bot.approvals(step), step.toString());
            StepState done = bot.incident().step(step).orElseThrow();
            assertEquals(StepState.Status.SUCCEEDED, done.status(), String.valueOf(done.outcome()));
        }

        assertEquals(json(LEGIT_POLICY), json(iam.getRolePolicy(r -> r.roleName("app-" + s).policyName("app-access"))
                .policyDocument()));
        assertFalse(AwsTestClients.iamFinds(() -> iam.getRolePolicy(r -> r.roleName("app-" + s).policyName("backdoor"))));
        assertEquals(json(LEGIT_TRUST), json(iam.getRole(r -> r.roleName("app-" + s)).role().assumeRolePolicyDocument()));
        assertEquals(json(LEGIT_USER_POLICY), json(iam.getUserPolicy(r -> r.userName("analyst-" + s)
                .policyName("reports")).policyDocument()));
        List<PolicyVersion> versions = iam.listPolicyVersions(r -> r.policyArn(policyArn)).versions();
        assertEquals(List.of("v1"), versions.stream().map(PolicyVersion::versionId).toList());
        assertTrue(versions.get(0).isDefaultVersion());
        assertEquals(json(stratusTrustChange.path("requestParameters").path("policyDocument").asText()),
                json(iam.getRole(r -> r.roleName("quiet-" + s)).role().assumeRolePolicyDocument()),
                "no button, no change: the trust change without history is for a person");
    }

    @Test
    void aPolicyChangedAgainAfterTheAttackerIsLeftAloneWithAReason() {
        String fixedByHand = LEGIT_POLICY.replace("app-data", "app-data-v2");
        iam.putRolePolicy(r -> r.roleName("app-" + s).policyName("app-access").policyDocument(fixedByHand));
        StepId step = revertOf("app-access");

        bot.approve(step, "U0SECOND");

        StepState failed = bot.incident().step(step).orElseThrow();
        assertEquals(StepState.Status.FAILED, failed.status());
        assertTrue(failed.outcome().summary().contains("no longer holds the attacker's document"),
                failed.outcome().summary());
        assertTrue(failed.outcome().nextStep().startsWith("Nothing was changed."), failed.outcome().nextStep());
        assertEquals(json(fixedByHand), json(iam.getRolePolicy(r -> r.roleName("app-" + s).policyName("app-access"))
                .policyDocument()));
    }

    @Test
    void aRestartMidRevertIsSettledByReadingIam() {
        StepId done = revertOf("app-access");
        bot.approve(done, "U0SECOND");

        StepState confirmed = bot.restartMidStep(done);

        assertEquals(StepState.Status.SUCCEEDED, confirmed.status(), String.valueOf(confirmed.outcome()));
        assertTrue(confirmed.outcome().summary().contains("confirmed by reading IAM after a restart"));

        StepId interrupted = revertOf("backdoor");
        StepState offered = bot.incident().step(interrupted).orElseThrow();
        bot.store.update(bot.id, i -> i.withStep(offered.running("U0SECOND", Instant.now(), "pid9-dead")));
        bot.recovery.recoverAbandoned();

        StepState completed = bot.incident().step(interrupted).orElseThrow();
        assertEquals(StepState.Status.SUCCEEDED, completed.status(), String.valueOf(completed.outcome()));
        assertTrue(completed.outcome().summary().startsWith("Completed after a restart"),
                completed.outcome().summary());
        assertFalse(AwsTestClients.iamFinds(() -> iam.getRolePolicy(r -> r.roleName("app-" + s).policyName("backdoor"))),
                "the approved revert was completed: the attacker's policy is gone");
    }

    private StepId revertOf(String policyName) {
        return bot.incident().findings().policyReverts().stream()
                .filter(r -> r.change().identifier().equals(policyName)).findFirst().orElseThrow().step();
    }

    private TrailEvents admin(Instant at, String eventName, String field, String value) {
        TrailEvents event = TrailEvents.event("admin-" + s + "-" + eventName + "-" + at.getEpochSecond(), at, REGION,
                ADMIN_KEY, "iam.amazonaws.com", eventName).readOnly(false).by(ADMIN).request(field, value);
        pending.add(event);
        return event;
    }

    private TrailEvents attacker(Instant at, String eventName, String field, String value) {
        TrailEvents event = TrailEvents.event("attacker-" + s + "-" + attackerEventCount++, at, REGION, leaked,
                "iam.amazonaws.com", eventName).readOnly(false).request(field, value);
        pending.add(event);
        attackerPending.add(event);
        return event;
    }

    /** The real event shape from Stratus Red Team, made by the leaked key on our role. */
    private void trustChange(String role) {
        ObjectNode event = stratusTrustChange.deepCopy();
        event.put("eventID", "attacker-" + s + "-trust-" + role).put("eventTime", days(1).toString())
                .put("awsRegion", REGION);
        ((ObjectNode) event.path("userIdentity")).put("accessKeyId", leaked);
        ((ObjectNode) event.path("requestParameters")).put("roleName", role);
        iam.updateAssumeRolePolicy(r -> r.roleName(role)
                .policyDocument(event.path("requestParameters").path("policyDocument").asText()));
        trail.add(REGION, event.toString());
        attackerEvents.add(event.toString());
    }

    /** Events are built fluently, so they are stored once complete. */
    private void flush() {
        pending.forEach(e -> trail.add(REGION, e.json()));
        attackerPending.forEach(e -> attackerEvents.add(e.json()));
    }

    private static Instant days(int ago) {
        return NOW.minus(Duration.ofDays(ago));
    }

    private static JsonNode json(String document) {
        try {
            return JSON.readTree(URLDecoder.decode(document, StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new AssertionError("not a JSON document: " + document, e);
        }
    }
}
