package com.leakedkeybot.aws;

import com.leakedkeybot.testkit.SharedMoto;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.leakedkeybot.blastradius.AccessLevel;
import com.leakedkeybot.blastradius.BlastRadius;
import com.leakedkeybot.blastradius.BlastRadiusAnalysis;
import com.leakedkeybot.blastradius.OwnerPermissions;
import com.leakedkeybot.blastradius.PermissionsLookupException;
import com.leakedkeybot.blastradius.PolicyDocument;
import com.leakedkeybot.blastradius.RiskyGrant;
import com.leakedkeybot.sandbox.MotoServer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * OwnerPolicyCollection reads IAM's answers (moto) and the blast radius comes out right for each kind of user.
 * moto 5.2.1 has no permissions boundaries on users (GetUser never returns one): that path is covered by
 * OwnerPolicyCollectionTest with IAM's real answer shapes.
 */
class OwnerPolicyCollectionMotoTest {

    private static final String AWS_POLICY = "arn:aws:iam::aws:policy/";
    private static MotoServer moto;
    private static IamClient iam;
    private static OwnerPolicyCollection collection;
    private static final BlastRadiusAnalysis ANALYSIS = BlastRadiusAnalysis.standard();

    @BeforeAll
    static void start() throws Exception {
        moto = SharedMoto.get();
        iam = IamClient.builder().region(Region.AWS_GLOBAL).endpointOverride(moto.endpoint())
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDMOTO", "moto"))).build();
        collection = new OwnerPolicyCollection(iam);

        user("admin");
        iam.attachUserPolicy(r -> r.userName("admin").policyArn(AWS_POLICY + "AdministratorAccess"));

        user("writer");
        iam.putUserPolicy(r -> r.userName("writer").policyName("data-writes").policyDocument(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:PutObject\",\"dynamodb:*\"],"
                        + "\"Resource\":\"*\"}]}"));

        user("reader");
        iam.attachUserPolicy(r -> r.userName("reader").policyArn(AWS_POLICY + "ReadOnlyAccess"));

        user("grouped");
        iam.createGroup(r -> r.groupName("deployers"));
        String deploy = iam.createPolicy(r -> r.policyName("deploy").policyDocument(
                "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":[\"lambda:CreateFunction\",\"iam:PassRole\"],"
                        + "\"Resource\":\"*\"}}")).policy().arn();
        iam.attachGroupPolicy(r -> r.groupName("deployers").policyArn(deploy));
        iam.putGroupPolicy(r -> r.groupName("deployers").policyName("assume-deploy").policyDocument(
                "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\","
                        + "\"Resource\":\"arn:aws:iam::123456789012:role/deploy\"}}"));
        iam.addUserToGroup(r -> r.groupName("deployers").userName("grouped"));

        user("denied");
        iam.attachUserPolicy(r -> r.userName("denied").policyArn(AWS_POLICY + "AdministratorAccess"));
        iam.putUserPolicy(r -> r.userName("denied").policyName("no-iam").policyDocument(
                "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Deny\",\"Action\":\"iam:*\",\"Resource\":\"*\"}}"));

        user("quarantined");
        iam.attachUserPolicy(r -> r.userName("quarantined").policyArn(AWS_POLICY + "AdministratorAccess"));
        iam.attachUserPolicy(r -> r.userName("quarantined").policyArn(AWS_POLICY + "AWSCompromisedKeyQuarantineV3"));
    }

    private static void user(String name) {
        iam.createUser(r -> r.userName(name));
    }

    @AfterAll
    static void stop() {
        iam.close(); // moto is shared by the whole test JVM and stops with it
    }

    private static BlastRadius radius(String user) throws PermissionsLookupException {
        return ANALYSIS.analyse(collection.collect(user));
    }

    private static List<String> grants(BlastRadius radius) {
        return radius.riskyGrants().stream().map(RiskyGrant::grant).toList();
    }

    @Test
    void administratorAccessIsAdmin() throws Exception {
        OwnerPermissions owner = collection.collect("admin");
        assertEquals(List.of("AdministratorAccess"), owner.attachedPolicies().stream().map(PolicyDocument::name).toList());
        assertEquals(AWS_POLICY + "AdministratorAccess", owner.attachedPolicies().get(0).arn());
        assertNull(owner.permissionsBoundary());
        assertEquals(BlastRadius.Level.ADMIN, ANALYSIS.analyse(owner).level());
    }

    @Test
    void anInlineWritePolicyIsWrite() throws Exception {
        OwnerPermissions owner = collection.collect("writer");
        assertEquals(List.of("data-writes"), owner.inlinePolicies().stream().map(PolicyDocument::name).toList());
        BlastRadius radius = ANALYSIS.analyse(owner);
        assertEquals(BlastRadius.Level.WRITE, radius.level());
        assertTrue(radius.writeActions().contains("dynamodb:BatchWriteItem"), radius.writeActions().toString());
        assertEquals(List.of("S3 writes"), grants(radius));
    }

    @Test
    void readOnlyAccessReadsEverythingAndIsOnlyWriteBecauseOfSixReadNamedActions() throws Exception {
        BlastRadius radius = radius("reader");
        // AWS's ReadOnlyAccess (v182) grants six actions the Service Authorization Reference rates as Write or
        // Permissions management (through athena:Get*, cognito-idp:Get*, backup:List* and three named ones):
        // by the table that is write access, and the report names them so people can judge.
        assertEquals(BlastRadius.Level.WRITE, radius.level());
        assertEquals(List.of("athena:GetSessionEndpoint", "backup:ListIndexedRecoveryPointsForSearch",
                "billing:GetResourcePolicy", "cognito-idp:GetTokensFromRefreshToken", "s3express:CreateSession",
                "ssm-sap:GetResourcePermission"), radius.writeActions().stream().sorted().toList());
        RiskyGrant objects = radius.riskyGrants().stream().filter(g -> g.grant().equals("s3:GetObject")).findFirst().orElseThrow();
        assertEquals(List.of("*"), objects.resources());
        assertFalse(grants(radius).contains("IAM writes"));
        assertTrue(radius.actionCounts().get(AccessLevel.READ) > 3_000);
    }

    @Test
    void groupPoliciesAloneGiveTheUserItsRights() throws Exception {
        OwnerPermissions owner = collection.collect("grouped");
        assertTrue(owner.attachedPolicies().isEmpty() && owner.inlinePolicies().isEmpty());
        assertEquals("deployers", owner.groups().get(0).groupName());
        assertEquals(List.of("deploy"), owner.groups().get(0).attachedPolicies().stream().map(PolicyDocument::name).toList());
        assertEquals(List.of("assume-deploy"), owner.groups().get(0).inlinePolicies().stream().map(PolicyDocument::name).toList());
        BlastRadius radius = ANALYSIS.analyse(owner);
        assertEquals(BlastRadius.Level.WRITE, radius.level());
        assertEquals(List.of("sts:AssumeRole", "iam:PassRole", "lambda:CreateFunction"), grants(radius));
        assertEquals(List.of("arn:aws:iam::123456789012:role/deploy"), radius.assumableRoles());
    }

    @Test
    void anExplicitDenyTakesIamAwayFromAnAdmin() throws Exception {
        BlastRadius radius = radius("denied");
        assertEquals(BlastRadius.Level.WRITE, radius.level());
        assertFalse(grants(radius).contains("IAM writes"));
        assertFalse(grants(radius).contains("iam:PassRole"));
        assertTrue(grants(radius).contains("secretsmanager:GetSecretValue"));
    }

    @Test
    void theV3QuarantineIsDetectedWithWhatItLeavesOpen() throws Exception {
        BlastRadius radius = radius("quarantined");
        assertEquals(List.of("AWSCompromisedKeyQuarantineV3"), radius.quarantine().policies());
        assertTrue(radius.quarantine().leftOpen().containsAll(List.of("secretsmanager:GetSecretValue", "s3:PutObject", "dynamodb:*")));
        assertFalse(radius.quarantine().leftOpen().contains("iam:CreateAccessKey"));
        assertFalse(grants(radius).contains("ec2:RunInstances"), "denied by the quarantine");
        assertTrue(grants(radius).contains("secretsmanager:GetSecretValue"), "still open despite the quarantine");
        assertFalse(radius("admin").quarantine().quarantined());
    }

    @Test
    void anUnknownUserIsAReadableFailure() {
        PermissionsLookupException missing = assertThrows(PermissionsLookupException.class, () -> collection.collect("nobody"));
        assertTrue(missing.getMessage().startsWith("Could not read the policies of nobody: NoSuchEntity"), missing.getMessage());
    }

    @Test
    void enabledRegionsComeFromDescribeRegions() throws Exception {
        try (Ec2Client ec2 = Ec2Client.builder().region(Region.US_EAST_1).endpointOverride(moto.endpoint())
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDMOTO", "moto"))).build()) {
            List<String> regions = new EnabledRegions(ec2).regions();
            assertTrue(regions.containsAll(List.of("us-east-1", "eu-west-1", "ap-southeast-2")), regions.toString());
            assertEquals(regions.stream().sorted().toList(), regions);
        }
    }
}
