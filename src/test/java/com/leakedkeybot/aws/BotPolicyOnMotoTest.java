package com.leakedkeybot.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.leakedkeybot.config.MemberAccess;
import com.leakedkeybot.remediation.RevocationPolicies;
import com.leakedkeybot.remediation.port.AwsActionFailure;
import com.leakedkeybot.remediation.port.InlinePolicies.Holder;
import com.leakedkeybot.remediation.port.ObjectVersions;
import com.leakedkeybot.testkit.AuthorizingMoto;
import com.leakedkeybot.testkit.BotPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.Tag;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * The bot's policy, word for word, held by a session of a role named by the convention ({@code LeakedKeyBot…}) on a
 * moto that enforces IAM auth: it cannot put, attach, detach or delete a policy of its own role or of the per-account
 * responder role (below a path), change their trust policy or boundary, delete or tag them; it cannot overwrite or
 * delete a log file under {@code AWSLogs/}, with or without a prefix; and it still restores an ordinary object and
 * reads log files. moto would refuse those role writes for the protected-tag deny alone (see below), so a second test
 * holds the policy minus its conditional statements: it revokes sessions on, and reverts the trust of, an ordinary
 * role, while its own stays out of reach — the name deny refuses it, not a missing Allow.
 *
 * <p>What moto 5.2.1 does not evaluate (read in its {@code moto/iam/access_control.py}, {@code iam/responses.py} and
 * {@code core/authorization.py}), so what only {@link BotPolicyLeastPrivilegeTest} proves, from the file:
 * <ul>
 *   <li>Conditions: moto applies every statement as if its Condition held (it weighs them for trust policies only).
 *   The protected-tag deny so refuses every IAM write there, and the quarantine deny every detach: neither
 *   {@code aws:ResourceTag} nor {@code iam:PolicyARN} can be tested on moto.</li>
 *   <li>The resource of an IAM request that names no role: moto checks it as {@code "*"}, which the bot's Allow on
 *   {@code arn:aws:iam::*:user/*} never matches, so every step on a user (UpdateAccessKey, PutUserPolicy, …) is
 *   refused there whatever the policy says. Users — ordinary, protected or the bot's own — are left to the file
 *   test.</li>
 *   <li>RemoveRoleFromInstanceProfile is checked against the role, where AWS checks the instance profile.</li>
 *   <li>Explicit Deny is honoured and {@code *} in Resource ARNs spans {@code /}, case-sensitively, as in AWS; but
 *   {@code ?} is a regex quantifier there, not one character, and action names are matched case-sensitively.</li>
 *   <li>S3 signatures: moto's check fails on a Java SDK request whose query holds a {@code /} (getmoto/moto#5948),
 *   so the bot's per-key version listing is not run here.</li>
 * </ul>
 */
class BotPolicyOnMotoTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN_POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":\"*\",\"Resource\":\"*\"}]}";
    private static final String ANYONE = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"AWS\":\"*\"},\"Action\":\"sts:AssumeRole\"}]}";
    private static final String READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess";
    private static AuthorizingMoto moto;
    private static IamClient admin;
    private static String adminArn;

    private final List<AutoCloseable> clients = new ArrayList<>();
    private String suffix;

    @BeforeAll
    static void start() {
        moto = AuthorizingMoto.start();
        admin = moto.iam(moto.admin());
        try (StsClient sts = moto.sts(moto.admin())) {
            adminArn = sts.getCallerIdentity().arn();
        }
    }

    @AfterAll
    static void stop() {
        admin.close();
        moto.close();
    }

    @BeforeEach
    void names() {
        suffix = UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable client : clients) {
            client.close();
        }
    }

    @Test
    void theBotsSessionCannotChangeItsOwnRoleNorTheResponderRole() {
        String botRole = "LeakedKeyBot-" + suffix;
        String responder = "LeakedKeyBotResponder-" + suffix;
        AwsCredentialsProvider bot = sessionOf(botRole, BotPolicy.json());
        role(responder, "/security/", "LeakedKeyBot", BotPolicy.json());
        admin.attachRolePolicy(r -> r.roleName(responder).policyArn(READ_ONLY));
        IamClient iam = client(moto.iam(bot));
        IamRoles roles = new IamRoles(iam);
        IamInlinePolicies inline = new IamInlinePolicies(iam);

        for (String own : List.of(botRole, responder)) {
            String before = snapshot(own);
            assertTrue(roles.roleId(own).startsWith("AROA"), "reading itself is allowed: what follows is refused");

            refused("iam:PutRolePolicy", () -> inline.put(Holder.ROLE, own, "Escalate", ADMIN_POLICY));
            refused("iam:DeleteRolePolicy", () -> inline.delete(Holder.ROLE, own, "LeakedKeyBot"));
            refused("iam:UpdateAssumeRolePolicy", () -> roles.updateTrustPolicy(own, ANYONE));
            refused(iam, "iam:AttachRolePolicy", i -> i.attachRolePolicy(r -> r.roleName(own)
                    .policyArn("arn:aws:iam::aws:policy/AdministratorAccess")));
            refused(iam, "iam:DetachRolePolicy", i -> i.detachRolePolicy(r -> r.roleName(own).policyArn(READ_ONLY)));
            refused(iam, "iam:PutRolePermissionsBoundary", i -> i.putRolePermissionsBoundary(r -> r.roleName(own)
                    .permissionsBoundary(READ_ONLY)));
            refused(iam, "iam:UntagRole", i -> i.untagRole(r -> r.roleName(own).tagKeys("owner")));
            refused(iam, "iam:TagRole", i -> i.tagRole(r -> r.roleName(own).tags(Tag.builder().key("owner")
                    .value("attacker").build())));
            refused(iam, "iam:DeleteRole", i -> i.deleteRole(r -> r.roleName(own)));

            assertEquals(before, snapshot(own), "the role is as it was, read back as an administrator");
        }
    }

    @Test
    void theBotsSessionAssumesTheResponderRoleOfAMemberAccountAndNoOtherRole() {
        AwsCredentialsProvider bot = sessionOf("LeakedKeyBot-" + suffix, BotPolicy.json());
        StsClient sts = client(moto.sts(bot));
        AwsTarget target = AwsTarget.at(moto.endpoint(), "us-east-1", "unused", "unused");
        String self = sts.getCallerIdentity().arn();
        MemberAccess responder = new MemberAccess(MemberAccess.DEFAULT_ROLE_NAME, Optional.empty(), Set.of());
        MemberAccess administrator = new MemberAccess("OrganizationAccountAccessRole", Optional.empty(), Set.of());

        try (MemberAccounts members = new MemberAccounts(target, sts, responder,
                () -> BotPrincipal.ofCaller("123456789012", self), 1)) {
            assertEquals("arn:aws:iam::210000000055:role/LeakedKeyBotResponder",
                    members.reach("210000000055").roleArn());
        }
        try (MemberAccounts members = new MemberAccounts(target, sts, administrator,
                () -> BotPrincipal.ofCaller("123456789012", self), 1)) {
            AwsActionFailure failure = assertThrows(AwsActionFailure.class, () -> members.reach("210000000055"));
            assertEquals("sts:AssumeRole on arn:aws:iam::210000000055:role/OrganizationAccountAccessRole",
                    failure.action());
            assertEquals(AwsActionFailure.Kind.ACCESS_DENIED, failure.kind(), failure.getMessage());
        }
    }

    @Test
    void withoutTheConditionalStatementsMotoCannotWeighItRevokesAndRevertsAnOrdinaryRoleButNotItsOwn() {
        String botRole = "LeakedKeyBot-" + suffix;
        String ordinary = "deploy-" + suffix;
        role(ordinary, "/", "App", ADMIN_POLICY);
        AwsCredentialsProvider bot = sessionOf(botRole, withoutConditionalStatements(BotPolicy.json()));
        IamClient iam = client(moto.iam(bot));
        IamInlinePolicies inline = new IamInlinePolicies(iam);
        IamRoles roles = new IamRoles(iam);
        String revocation = RevocationPolicies.roleOlderSessions(Instant.now());

        inline.put(Holder.ROLE, ordinary, RevocationPolicies.ROLE_POLICY, revocation);
        roles.updateTrustPolicy(ordinary, trustingOnly(adminArn));
        String ownBefore = snapshot(botRole);
        refused("iam:PutRolePolicy", () -> inline.put(Holder.ROLE, botRole, RevocationPolicies.ROLE_POLICY,
                revocation));
        refused("iam:UpdateAssumeRolePolicy", () -> roles.updateTrustPolicy(botRole, ANYONE));

        assertEquals(List.of("App", RevocationPolicies.ROLE_POLICY),
                admin.listRolePolicies(r -> r.roleName(ordinary)).policyNames());
        assertTrue(new IamRoles(admin).trustPolicy(ordinary).orElseThrow().contains(adminArn));
        assertEquals(ownBefore, snapshot(botRole));
    }

    @Test
    void theRestoreRewritesAnOrdinaryObjectButNoLogFileWhichItStillReads() {
        String botRole = "LeakedKeyBot-" + suffix;
        AwsCredentialsProvider bot = sessionOf(botRole, BotPolicy.json());
        S3Client asAdmin = client(moto.s3(moto.admin()));
        S3Client asBot = client(moto.s3(bot));
        String bucket = "trail-and-data-" + suffix;
        asAdmin.createBucket(r -> r.bucket(bucket));
        asAdmin.putBucketVersioning(r -> r.bucket(bucket).versioningConfiguration(v -> v.status(
                BucketVersioningStatus.ENABLED)));
        String ledger = "finance/ledger.csv";
        List<String> logFiles = List.of("AWSLogs/123456789012/CloudTrail/us-east-1/2026/01/02/a.json.gz",
                "org/trails/AWSLogs/123456789012/CloudTrail/us-east-1/2026/01/02/b.json.gz");
        String original = put(asAdmin, bucket, ledger, "original");
        put(asAdmin, bucket, ledger, "ENCRYPTED");
        List<String> firstVersions = new ArrayList<>();
        for (String logFile : logFiles) {
            firstVersions.add(put(asAdmin, bucket, logFile, "evidence"));
            put(asAdmin, bucket, logFile, "tampered");
        }
        ObjectVersions versions = new S3ObjectVersions(region -> asBot);

        assertEquals(ObjectVersions.Versioning.ENABLED, versions.versioning("us-east-1", bucket));
        versions.restore("us-east-1", bucket, ledger, original);
        for (int i = 0; i < logFiles.size(); i++) {
            String logFile = logFiles.get(i);
            String first = firstVersions.get(i);
            refused("s3:PutObject", () -> versions.restore("us-east-1", bucket, logFile, first));
            refused("s3:DeleteObject", () -> versions.hide("us-east-1", bucket, logFile));
            assertEquals("tampered", content(asBot, bucket, logFile), "the investigation still reads log files");
        }
        assertEquals("original", content(asAdmin, bucket, ledger), "the restore wrote the ordinary object");
        assertEquals(Map.of(ledger, 3L, logFiles.get(0), 2L, logFiles.get(1), 2L), versionCounts(asAdmin, bucket),
                "one restored copy of the ledger, nothing written to the log files");
    }

    /** A new role trusting the administrator, holding {@code policy} inline as {@code policyName}, with a tag. */
    private static void role(String name, String path, String policyName, String policy) {
        admin.createRole(r -> r.roleName(name).path(path).assumeRolePolicyDocument(trustingOnly(adminArn))
                .tags(Tag.builder().key("owner").value("security").build()));
        admin.putRolePolicy(r -> r.roleName(name).policyName(policyName).policyDocument(policy));
    }

    /** Credentials of a session of a new role {@code name} whose only policy is {@code policy}, named LeakedKeyBot. */
    private static AwsCredentialsProvider sessionOf(String name, String policy) {
        role(name, "/", "LeakedKeyBot", policy);
        String arn = admin.getRole(r -> r.roleName(name)).role().arn();
        try (StsClient sts = moto.sts(moto.admin())) {
            Credentials session = sts.assumeRole(r -> r.roleArn(arn).roleSessionName("leaked-key-bot")).credentials();
            return StaticCredentialsProvider.create(AwsSessionCredentials.create(session.accessKeyId(),
                    session.secretAccessKey(), session.sessionToken()));
        }
    }

    /** Everything an administrator reads of a role: path, trust, inline and attached policies, tags. */
    private static String snapshot(String role) {
        var found = admin.getRole(r -> r.roleName(role)).role();
        List<String> inline = admin.listRolePolicies(r -> r.roleName(role)).policyNames().stream()
                .map(p -> p + "=" + admin.getRolePolicy(r -> r.roleName(role).policyName(p)).policyDocument())
                .toList();
        List<String> attached = admin.listAttachedRolePolicies(r -> r.roleName(role)).attachedPolicies().stream()
                .map(AttachedPolicy::policyArn).toList();
        return found.arn() + " " + found.assumeRolePolicyDocument() + " " + inline + " " + attached + " "
                + admin.listRoleTags(r -> r.roleName(role)).tags() + " boundary=" + found.permissionsBoundary();
    }

    private static String trustingOnly(String principal) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\""
                + principal + "\"},\"Action\":\"sts:AssumeRole\"}]}";
    }

    private static String withoutConditionalStatements(String policy) {
        try {
            ObjectNode document = (ObjectNode) JSON.readTree(policy);
            ArrayNode statements = (ArrayNode) document.get("Statement");
            for (int i = statements.size() - 1; i >= 0; i--) {
                if (statements.get(i).has("Condition")) {
                    statements.remove(i);
                }
            }
            return document.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bot's own adapter failed on AccessDenied for {@code action}. */
    private static void refused(String action, Runnable call) {
        AwsActionFailure failure = assertThrows(AwsActionFailure.class, call::run, action);
        assertEquals(AwsActionFailure.Kind.ACCESS_DENIED, failure.kind(), failure.getMessage());
        assertEquals(action, failure.action());
    }

    private static void refused(IamClient iam, String action, Consumer<IamClient> call) {
        AwsServiceException e = assertThrows(AwsServiceException.class, () -> call.accept(iam), action);
        assertEquals("AccessDenied", e.awsErrorDetails().errorCode(), action);
        assertTrue(e.awsErrorDetails().errorMessage().endsWith("is not authorized to perform: " + action),
                e.awsErrorDetails().errorMessage());
    }

    private static String put(S3Client s3, String bucket, String key, String content) {
        return s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString(content)).versionId();
    }

    /** Listed as a whole: moto's signature check fails on a Java SDK request whose query holds a '/' (a prefix). */
    private static Map<String, Long> versionCounts(S3Client s3, String bucket) {
        return s3.listObjectVersions(r -> r.bucket(bucket)).versions().stream()
                .collect(Collectors.groupingBy(ObjectVersion::key, Collectors.counting()));
    }

    private static String content(S3Client s3, String bucket, String key) {
        return s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asUtf8String();
    }

    private <C extends AutoCloseable> C client(C client) {
        clients.add(client);
        return client;
    }
}
