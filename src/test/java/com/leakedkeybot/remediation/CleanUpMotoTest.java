package com.leakedkeybot.remediation;

import com.leakedkeybot.aws.AttackerResourceRemoval;
import com.leakedkeybot.incident.Findings;
import com.leakedkeybot.investigation.AffectedResource.Action;
import com.leakedkeybot.investigation.AffectedResource.Kind;
import com.leakedkeybot.investigation.AffectedResource;
import com.leakedkeybot.key.AccessKeyId;
import com.leakedkeybot.sandbox.MotoServer;
import com.leakedkeybot.step.Refusal;
import com.leakedkeybot.step.StepId;
import com.leakedkeybot.step.StepKind;
import com.leakedkeybot.step.StepState;
import com.leakedkeybot.testkit.ApprovalHarness;
import com.leakedkeybot.testkit.AwsTestClients;
import com.leakedkeybot.testkit.SharedMoto;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.verify;


/**
 * The attacker's persistence (a backdoor user with a key, a console password and AdministratorAccess; a role trusting
 * an outside account; an instance) created for real in moto, found in the findings, removed by approved clicks —
 * and the legitimate user, role and instance left alone.
 */
class CleanUpMotoTest {

    private static final String ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess";
    private static final String OUTSIDE_TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"AWS\":\"arn:aws:iam::999999999999:root\"},\"Action\":\"sts:AssumeRole\"}]}";
    private static final String READ_OBJECTS = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}";
    private static IamClient iam;
    private static Ec2Client ec2;
    private static LambdaClient lambda;

    @TempDir
    Path dir;

    private ApprovalHarness bot;
    private CleanUpStep cleanUp;
    private String s;
    private String legitInstance;
    private String attackerInstance;
    private String attackerKey;

    @BeforeAll
    static void moto() throws Exception {
        iam = AwsTestClients.iam(SharedMoto.get().endpoint());
        ec2 = AwsTestClients.ec2(SharedMoto.get().endpoint());
        lambda = AwsTestClients.lambda(SharedMoto.get().endpoint());
    }

    @BeforeEach
    void attackerPersistence() {
        s = UUID.randomUUID().toString().substring(0, 8);
        iam.createUser(r -> r.userName("leaky-" + s));
        AccessKeyId leaked = new AccessKeyId(iam.createAccessKey(r -> r.userName("leaky-" + s)).accessKey().accessKeyId());
        iam.createUser(r -> r.userName("legit-" + s));
        iam.attachUserPolicy(r -> r.userName("legit-" + s).policyArn(ADMIN));
        iam.createRole(r -> r.roleName("legit-role-" + s).assumeRolePolicyDocument(OUTSIDE_TRUST));
        legitInstance = runInstance();
        // What the attacker did with the leaked key:
        iam.createUser(r -> r.userName("backdoor-" + s));
        attackerKey = iam.createAccessKey(r -> r.userName("backdoor-" + s)).accessKey().accessKeyId();
        iam.createLoginProfile(r -> r.userName("backdoor-" + s).password("Sup3r-Secret-Pw!"));
        iam.attachUserPolicy(r -> r.userName("backdoor-" + s).policyArn(ADMIN));
        iam.createRole(r -> r.roleName("backdoor-role-" + s).assumeRolePolicyDocument(OUTSIDE_TRUST));
        iam.attachRolePolicy(r -> r.roleName("backdoor-role-" + s).policyArn(ADMIN));
        attackerInstance = runInstance();
        String legitRoleArn = iam.getRole(r -> r.roleName("legit-role-" + s)).role().arn();
        lambda.createFunction(r -> r.functionName("miner-" + s).runtime("python3.12").handler("m.h")
                .role(legitRoleArn).code(c -> c.zipFile(SdkBytes.fromByteArray(zipWithOneFile()))));

        cleanUp = new CleanUpStep(new AttackerResourceRemoval(iam, region -> ec2, region -> lambda));
        bot = new ApprovalHarness(dir, leaked, "leaky-" + s, List.of(cleanUp));
        List<AffectedResource> found = List.of(
                created(Kind.IAM_USER, "backdoor-" + s, null),
                created(Kind.IAM_ACCESS_KEY, attackerKey, "backdoor-" + s),
                created(Kind.IAM_LOGIN_PROFILE, "backdoor-" + s, null),
                created(Kind.IAM_USER_POLICY_ATTACHMENT, ADMIN, "backdoor-" + s),
                created(Kind.IAM_ROLE, "backdoor-role-" + s, null),
                created(Kind.EC2_INSTANCE, attackerInstance, null),
                created(Kind.LAMBDA_FUNCTION, "miner-" + s, null),
                new AffectedResource(Kind.IAM_USER, "legit-" + s, null, Action.CHANGED, "us-east-1", "UpdateUser",
                        "e-x", Instant.now(), leaked.value(), null, null),
                new AffectedResource(Kind.SECRET, "prod/db", null, Action.CREATED, "us-east-1", "CreateSecret",
                        "e-y", Instant.now(), leaked.value(), null, null));
        bot.store.update(bot.id, i -> i.withFindings(new Findings(null, Instant.now(), 9, found, List.of(), List.of(),
                List.of())));
    }

    @AfterEach
    void close() throws Exception {
        bot.close();
    }

    @Test
    void eachCreatedResourceIsProposedOnceWithItsPartsFoldedIntoTheUser() {
        List<String> targets = cleanUp.propose(bot.incident()).steps().stream().map(StepId::target).toList();

        assertEquals(List.of("IAM_USER|us-east-1||backdoor-" + s, "IAM_ROLE|us-east-1||backdoor-role-" + s,
                "EC2_INSTANCE|us-east-1||" + attackerInstance, "LAMBDA_FUNCTION|us-east-1||miner-" + s), targets,
                "changed resources, kinds the bot cannot remove, and parts of the backdoor user are not proposed");
    }

    @Test
    void approvedClicksRemoveTheAttackersResourcesAndNothingElse() throws Exception {
        List<StepId> proposals = cleanUp.propose(bot.incident()).steps();
        proposals.forEach(step -> bot.offers.offer(bot.id, step));

        bot.approve(proposals.get(0), ApprovalHarness.REPORTER);
        verify(bot.channel).refuse(any(), eq(ApprovalHarness.REPORTER),
                argThat(r -> r.reason() == Refusal.Reason.REPORTER_ON_DESTRUCTIVE_STEP));
        assertTrue(userExists("backdoor-" + s), "refused: nothing removed");

        for (StepId step : proposals) {
            bot.clickTogether(step);
            assertEquals(1, bot.approvals(step), step.toString());
            StepState done = bot.incident().step(step).orElseThrow();
            assertEquals(StepState.Status.SUCCEEDED, done.status(), String.valueOf(done.outcome()));
        }

        assertFalse(userExists("backdoor-" + s));
        assertFalse(roleExists("backdoor-role-" + s));
        assertEquals(InstanceStateName.TERMINATED, state(attackerInstance));
        assertFalse(found(() -> lambda.getFunction(r -> r.functionName("miner-" + s))), "function deleted");
        assertTrue(userExists("legit-" + s));
        assertEquals(List.of(ADMIN), iam.listAttachedUserPolicies(r -> r.userName("legit-" + s)).attachedPolicies()
                .stream().map(p -> p.policyArn()).toList());
        assertTrue(userExists("leaky-" + s));
        assertTrue(roleExists("legit-role-" + s));
        assertEquals(InstanceStateName.RUNNING, state(legitInstance));
    }

    @Test
    void attachmentsMembershipsAndACreatedPolicyAreUndoneAndTheLegitimateOnesKept() throws Exception {
        String readDocs = iam.createPolicy(r -> r.policyName("team-read-" + s).policyDocument(READ_OBJECTS))
                .policy().arn();
        iam.createGroup(r -> r.groupName("team-" + s));
        iam.attachGroupPolicy(r -> r.groupName("team-" + s).policyArn(readDocs));
        // What the attacker did: admin on a legitimate role and group, a legitimate user and their backdoor user in
        // that group, and a policy of their own (with a second version) on the legitimate role.
        iam.attachRolePolicy(r -> r.roleName("legit-role-" + s).policyArn(ADMIN));
        iam.attachGroupPolicy(r -> r.groupName("team-" + s).policyArn(ADMIN));
        iam.addUserToGroup(r -> r.groupName("team-" + s).userName("legit-" + s));
        iam.addUserToGroup(r -> r.groupName("team-" + s).userName("backdoor-" + s));
        String persist = iam.createPolicy(r -> r.policyName("persist-" + s).policyDocument(READ_OBJECTS)).policy().arn();
        iam.createPolicyVersion(r -> r.policyArn(persist).policyDocument(READ_OBJECTS));
        iam.attachRolePolicy(r -> r.roleName("legit-role-" + s).policyArn(persist));
        List<AffectedResource> more = List.of(
                created(Kind.IAM_ROLE_POLICY_ATTACHMENT, ADMIN, "legit-role-" + s),
                created(Kind.IAM_GROUP_POLICY_ATTACHMENT, ADMIN, "team-" + s),
                created(Kind.IAM_GROUP_MEMBERSHIP, "team-" + s, "legit-" + s),
                created(Kind.IAM_GROUP_MEMBERSHIP, "team-" + s, "backdoor-" + s),
                created(Kind.IAM_POLICY, persist, null),
                created(Kind.IAM_ROLE_POLICY_ATTACHMENT, ADMIN, "backdoor-role-" + s));
        bot.store.update(bot.id, i -> i.withFindings(new Findings(null, Instant.now(), 15, concat(
                i.findings().affectedResources(), more), List.of(), List.of(), List.of())));

        List<StepId> proposals = cleanUp.propose(bot.incident()).steps();
        List<StepId> undo = proposals.stream().filter(p -> !p.target().startsWith("IAM_USER|")
                && !p.target().startsWith("IAM_ROLE|") && !p.target().startsWith("EC2_")
                && !p.target().startsWith("LAMBDA_")).toList();
        assertEquals(List.of("IAM_ROLE_POLICY_ATTACHMENT|us-east-1|legit-role-" + s + "|" + ADMIN,
                "IAM_GROUP_POLICY_ATTACHMENT|us-east-1|team-" + s + "|" + ADMIN,
                "IAM_GROUP_MEMBERSHIP|us-east-1|legit-" + s + "|team-" + s, "IAM_POLICY|us-east-1||" + persist),
                undo.stream().map(StepId::target).toList(), "the backdoor user's and role's parts go with them");
        undo.forEach(step -> bot.offers.offer(bot.id, step));
        for (StepId step : undo) {
            bot.clickTogether(step);
            StepState done = bot.incident().step(step).orElseThrow();
            assertEquals(StepState.Status.SUCCEEDED, done.status(), String.valueOf(done.outcome()));
        }

        assertEquals(List.of(), iam.listAttachedRolePolicies(r -> r.roleName("legit-role-" + s)).attachedPolicies());
        assertEquals(List.of(readDocs), iam.listAttachedGroupPolicies(r -> r.groupName("team-" + s))
                .attachedPolicies().stream().map(p -> p.policyArn()).toList());
        assertEquals(List.of("backdoor-" + s), iam.getGroup(r -> r.groupName("team-" + s)).users().stream()
                .map(u -> u.userName()).toList());
        assertFalse(found(() -> iam.getPolicy(r -> r.policyArn(persist))), "created policy deleted");
        assertTrue(found(() -> iam.getPolicy(r -> r.policyArn(readDocs))));
    }

    private static <T> List<T> concat(List<T> first, List<T> second) {
        return java.util.stream.Stream.concat(first.stream(), second.stream()).toList();
    }

    @Test
    void aResourceNotInTheFindingsCannotBeRemovedThroughAForgedButton() {
        StepId forged = new StepId(StepKind.CLEAN_UP, "IAM_USER|us-east-1||legit-" + s);

        bot.approve(forged, "U0SECOND");

        verify(bot.channel).refuse(any(), eq("U0SECOND"), argThat(r -> r.reason() == Refusal.Reason.NOT_OFFERED));
        assertTrue(userExists("legit-" + s));
    }

    @Test
    void resourcesAlreadyGoneAreReportedAsSuchAndNotAsErrors() throws Exception {
        iam.detachRolePolicy(r -> r.roleName("backdoor-role-" + s).policyArn(ADMIN));
        iam.deleteRole(r -> r.roleName("backdoor-role-" + s));
        iam.deleteLoginProfile(r -> r.userName("backdoor-" + s));
        iam.detachUserPolicy(r -> r.userName("backdoor-" + s).policyArn(ADMIN));
        iam.deleteAccessKey(r -> r.userName("backdoor-" + s).accessKeyId(attackerKey));
        iam.deleteUser(r -> r.userName("backdoor-" + s));
        lambda.deleteFunction(r -> r.functionName("miner-" + s));
        ec2.terminateInstances(r -> r.instanceIds(attackerInstance));
        List<StepId> proposals = cleanUp.propose(bot.incident()).steps();
        proposals.forEach(step -> bot.offers.offer(bot.id, step));

        for (StepId step : proposals) {
            bot.approve(step, "U0SECOND");

            StepState done = bot.incident().step(step).orElseThrow();
            assertEquals(StepState.Status.SUCCEEDED, done.status(), String.valueOf(done.outcome()));
        }
        StepState role = bot.incident().step(proposals.get(1)).orElseThrow();
        assertEquals("Already gone: IAM role backdoor-role-" + s + " no longer exists in AWS, so there was nothing to "
                + "remove. If nobody on the team removed it, find out who did in CloudTrail.", role.outcome().summary());
    }

    @Test
    void anInstanceAWSNoLongerKnowsIsAlreadyGone() {
        AffectedResource unknown = created(Kind.EC2_INSTANCE, "i-0123456789abcdef0", null);
        bot.store.update(bot.id, i -> i.withFindings(new Findings(null, Instant.now(), 1, List.of(unknown),
                List.of(), List.of(), List.of())));
        StepId step = new StepId(StepKind.CLEAN_UP, unknown.target());
        bot.offers.offer(bot.id, step);

        bot.approve(step, "U0SECOND");

        StepState done = bot.incident().step(step).orElseThrow();
        assertEquals(StepState.Status.SUCCEEDED, done.status(), String.valueOf(done.outcome()));
        assertTrue(done.outcome().summary().startsWith("Already gone"), done.outcome().summary());
    }

    @Test
    void aRestartMidRemovalIsConfirmedByAwsShowingTheResourceGone() throws Exception {
        StepId instance = new StepId(StepKind.CLEAN_UP, "EC2_INSTANCE|us-east-1||" + attackerInstance);
        bot.offers.offer(bot.id, instance);
        bot.approve(instance, "U0SECOND");

        StepState rechecked = bot.restartMidStep(instance);

        assertEquals(StepState.Status.SUCCEEDED, rechecked.status());
        assertTrue(rechecked.outcome().summary().contains("confirmed by reading AWS after a restart"));
    }

    private AffectedResource created(Kind kind, String id, String parent) {
        return new AffectedResource(kind, id, parent, Action.CREATED, "us-east-1", "Create", "e-" + id,
                Instant.now(), "AKIAATTACKER", null, null);
    }

    private String runInstance() {
        return ec2.runInstances(r -> r.imageId("ami-12c6146b").minCount(1).maxCount(1).instanceType("t3.micro"))
                .instances().get(0).instanceId();
    }

    private InstanceStateName state(String instanceId) {
        return ec2.describeInstances(r -> r.instanceIds(instanceId)).reservations().get(0).instances().get(0)
                .state().name();
    }

    private boolean userExists(String name) {
        return found(() -> iam.getUser(r -> r.userName(name)));
    }

    private boolean roleExists(String name) {
        return found(() -> iam.getRole(r -> r.roleName(name)));
    }

    private static boolean found(Runnable get) {
        try {
            get.run();
            return true;
        } catch (NoSuchEntityException | ResourceNotFoundException e) {
            return false;
        }
    }

    private static byte[] zipWithOneFile() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("m.py"));
            zip.write("def h(e, c):\n    return 1\n".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
