package com.leakedkeybot.blastradius;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BlastRadiusAnalysisTest {

    private static final BlastRadiusAnalysis ANALYSIS = BlastRadiusAnalysis.standard();

    private static PolicyDocument policy(String name, String statements) {
        return PolicyDocument.parse(name, null, "{\"Version\":\"2012-10-17\",\"Statement\":" + statements + "}");
    }

    private static OwnerPermissions user(PolicyDocument... inline) {
        return new OwnerPermissions("alice", List.of(), List.of(inline), List.of(), null);
    }

    private static List<String> grants(BlastRadius radius) {
        return radius.riskyGrants().stream().map(RiskyGrant::grant).toList();
    }

    @Test
    void starOnStarIsAdmin() {
        BlastRadius radius = ANALYSIS.analyse(user(policy("admin", "{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}")));
        assertEquals(BlastRadius.Level.ADMIN, radius.level());
        assertTrue(radius.canAssumeAnyRole());
        assertTrue(grants(radius).containsAll(List.of("IAM writes", "iam:PassRole", "secretsmanager:GetSecretValue",
                "Organizations writes", "kms:Decrypt")), grants(radius).toString());
    }

    @Test
    void aConditionalStarIsWriteNotAdmin() {
        // Allow conditions are assumed met when counting actions, but ADMIN is claimed only without a condition:
        // an MFA condition, for one, is not met by a bare access key.
        BlastRadius radius = ANALYSIS.analyse(user(policy("mfa-admin", "{\"Effect\":\"Allow\",\"Action\":\"*\","
                + "\"Resource\":\"*\",\"Condition\":{\"Bool\":{\"aws:MultiFactorAuthPresent\":\"true\"}}}")));
        assertEquals(BlastRadius.Level.WRITE, radius.level());
        assertTrue(grants(radius).contains("IAM writes"));
    }

    @Test
    void iamAndS3WildcardsAreWriteNotAdmin() {
        BlastRadius radius = ANALYSIS.analyse(user(policy("p",
                "[{\"Effect\":\"Allow\",\"Action\":[\"iam:*\",\"s3:*\"],\"Resource\":\"*\"}]")));
        assertEquals(BlastRadius.Level.WRITE, radius.level());
        RiskyGrant iam = radius.riskyGrants().get(0);
        assertEquals("IAM writes", iam.grant());
        assertTrue(iam.actions().size() == 10 && iam.actionCount() > 100, iam.toString());
        assertEquals(List.of("*"), iam.resources());
        assertFalse(grants(radius).contains("sts:AssumeRole"));
        assertTrue(radius.assumableRoles().isEmpty());
    }

    @Test
    void getAndListOnS3IsReadOnly() {
        BlastRadius radius = ANALYSIS.analyse(user(policy("ro",
                "{\"Effect\":\"Allow\",\"Action\":[\"s3:Get*\",\"s3:List*\"],\"Resource\":[\"arn:aws:s3:::public\",\"arn:aws:s3:::public/*\"]}")));
        assertEquals(BlastRadius.Level.READ_ONLY, radius.level());
        assertEquals(0, radius.actionCounts().get(AccessLevel.WRITE));
        assertTrue(radius.actionCounts().get(AccessLevel.READ) > 10);
        RiskyGrant get = radius.riskyGrants().stream().filter(g -> g.grant().equals("s3:GetObject")).findFirst().orElseThrow();
        assertEquals(List.of("arn:aws:s3:::public", "arn:aws:s3:::public/*"), get.resources());
    }

    @Test
    void actionMatchingIsCaseInsensitiveLikeIam() {
        BlastRadius radius = ANALYSIS.analyse(user(policy("lower",
                "{\"Effect\":\"Allow\",\"Action\":\"IAM:createaccesskey\",\"Resource\":\"*\"}")));
        assertEquals(BlastRadius.Level.WRITE, radius.level());
        assertEquals(List.of("iam:CreateAccessKey"), radius.riskyGrants().get(0).actions());
    }

    @Test
    void notActionAllowsEverythingExceptTheListedService() {
        BlastRadius radius = ANALYSIS.analyse(user(policy("poweruser",
                "{\"Effect\":\"Allow\",\"NotAction\":\"iam:*\",\"Resource\":\"*\"}")));
        assertEquals(BlastRadius.Level.WRITE, radius.level());
        assertFalse(grants(radius).contains("IAM writes"));
        assertFalse(grants(radius).contains("iam:PassRole"));
        assertTrue(grants(radius).containsAll(List.of("ec2:RunInstances", "sts:AssumeRole", "S3 writes")));
        assertEquals(0, radius.actionCounts().get(AccessLevel.PERMISSIONS_MANAGEMENT)
                - countNonIamPermissionsManagement(radius));
    }

    private static int countNonIamPermissionsManagement(BlastRadius radius) {
        // Every granted Permissions-management action is outside IAM: recount them independently.
        AccessLevels levels = AccessLevels.standard();
        return (int) levels.actions().stream().filter(a -> !a.startsWith("iam:"))
                .filter(a -> levels.levelOf(a).orElseThrow() == AccessLevel.PERMISSIONS_MANAGEMENT).count();
    }

    @Test
    void explicitDenyOnEveryResourceRemovesTheWrites() {
        BlastRadius radius = ANALYSIS.analyse(user(
                policy("s3-full", "{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}"),
                policy("no-writes", "{\"Effect\":\"Deny\",\"Action\":[\"s3:Put*\",\"s3:Delete*\",\"s3:Create*\","
                        + "\"s3:Replicate*\",\"s3:Restore*\",\"s3:Abort*\",\"s3:Bypass*\",\"s3:Initiate*\",\"s3:Object*\","
                        + "\"s3:Pause*\",\"s3:Submit*\",\"s3:Update*\",\"s3:Untag*\",\"s3:Tag*\",\"s3:Associate*\","
                        + "\"s3:Disassociate*\",\"s3:Dissociate*\",\"s3:Rename*\"],\"Resource\":\"*\"}")));
        assertEquals(BlastRadius.Level.READ_ONLY, radius.level(), radius.actionCounts().toString());
        assertFalse(grants(radius).contains("S3 writes"));
        assertTrue(grants(radius).contains("s3:GetObject"));
        assertTrue(radius.scopedDenies().isEmpty());
    }

    @Test
    void conditionalDenyIsReportedButNotAssumedToApply() {
        BlastRadius radius = ANALYSIS.analyse(user(
                policy("admin", "{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}"),
                policy("ip-guard", "{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\","
                        + "\"Condition\":{\"NotIpAddress\":{\"aws:SourceIp\":\"203.0.113.0/24\"}}}")));
        assertEquals(BlastRadius.Level.ADMIN, radius.level());
        assertEquals(1, radius.scopedDenies().size());
        ScopedDeny deny = radius.scopedDenies().get(0);
        assertEquals("ip-guard", deny.policyName());
        assertTrue(deny.condition().contains("aws:SourceIp"), deny.condition());
        assertTrue(radius.notes().stream().anyMatch(n -> n.contains("not assumed to apply")));
    }

    @Test
    void denyOnSomeResourcesOnlyIsScopedToo() {
        BlastRadius radius = ANALYSIS.analyse(user(
                policy("s3", "{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}"),
                policy("logs-guard", "{\"Effect\":\"Deny\",\"Action\":\"s3:DeleteObject\",\"Resource\":\"arn:aws:s3:::logs/*\"}")));
        assertTrue(grants(radius).contains("S3 writes"));
        assertEquals(List.of("arn:aws:s3:::logs/*"), radius.scopedDenies().get(0).resources());
    }

    @Test
    void boundaryCapsAdminToRead() {
        OwnerPermissions owner = new OwnerPermissions("bob",
                List.of(PolicyDocument.parse("AdministratorAccess", "arn:aws:iam::aws:policy/AdministratorAccess",
                        "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}")),
                List.of(), List.of(),
                policy("read-boundary", "{\"Effect\":\"Allow\",\"Action\":[\"s3:Get*\",\"s3:List*\",\"ec2:Describe*\"],\"Resource\":\"*\"}"));
        BlastRadius radius = ANALYSIS.analyse(owner);
        assertEquals(BlastRadius.Level.READ_ONLY, radius.level());
        assertEquals(List.of("s3:GetObject"), grants(radius));
        assertTrue(radius.assumableRoles().isEmpty());
        assertTrue(radius.notes().stream().anyMatch(n -> n.contains("read-boundary")));
    }

    @Test
    void groupPoliciesCountForTheUser() {
        OwnerPermissions owner = new OwnerPermissions("carol", List.of(), List.of(),
                List.of(new OwnerPermissions.GroupPermissions("deployers", List.of(),
                        List.of(policy("deploy", "{\"Effect\":\"Allow\",\"Action\":[\"lambda:CreateFunction\",\"iam:PassRole\"],"
                                + "\"Resource\":\"*\"}")))),
                null);
        BlastRadius radius = ANALYSIS.analyse(owner);
        assertEquals(BlastRadius.Level.WRITE, radius.level());
        assertEquals(List.of("iam:PassRole", "lambda:CreateFunction"), grants(radius));
    }

    @Test
    void noPoliciesIsNone() {
        assertEquals(BlastRadius.Level.NONE, ANALYSIS.analyse(user()).level());
    }

    @Test
    void assumableRolesAreTheResourcesOfAssumeRoleGrants() {
        BlastRadius radius = ANALYSIS.analyse(user(policy("hop",
                "{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Resource\":[\"arn:aws:iam::111122223333:role/deploy\","
                        + "\"arn:aws:iam::444455556666:role/audit\"]}")));
        assertEquals(List.of("arn:aws:iam::111122223333:role/deploy", "arn:aws:iam::444455556666:role/audit"),
                radius.assumableRoles());
        assertFalse(radius.canAssumeAnyRole());
    }

    @Test
    void unknownActionsCountAsWrite() {
        BlastRadius radius = ANALYSIS.analyse(user(policy("future",
                "{\"Effect\":\"Allow\",\"Action\":\"brandnewservice:GetThing\",\"Resource\":\"*\"}")));
        assertEquals(BlastRadius.Level.WRITE, radius.level());
        assertEquals(List.of("brandnewservice:GetThing"), radius.unknownActions());
    }

    @Test
    void quarantineV3IsDetectedAndItsGapsNamed() {
        AccessLevels levels = AccessLevels.standard();
        QuarantinePolicies quarantine = QuarantinePolicies.standard(levels);
        PolicyDocument v3 = quarantine.document("AWSCompromisedKeyQuarantineV3").orElseThrow();
        OwnerPermissions owner = new OwnerPermissions("dave",
                List.of(PolicyDocument.parse("AdministratorAccess", "arn:aws:iam::aws:policy/AdministratorAccess",
                        "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}}"), v3),
                List.of(), List.of(), null);
        BlastRadius radius = new BlastRadiusAnalysis(levels, quarantine).analyse(owner);
        assertEquals(List.of("AWSCompromisedKeyQuarantineV3"), radius.quarantine().policies());
        List<String> open = radius.quarantine().leftOpen();
        assertTrue(open.containsAll(List.of("secretsmanager:GetSecretValue", "s3:PutObject", "dynamodb:*")), open.toString());
        assertFalse(open.contains("s3:GetObject"), open.toString());
        assertFalse(open.contains("iam:CreateAccessKey"), open.toString());
        assertFalse(open.contains("ec2:RunInstances"), open.toString());
        // The quarantine's denies are unconditional on "*": the admin is no longer ADMIN, still WRITE.
        assertEquals(BlastRadius.Level.WRITE, radius.level());
        assertFalse(grants(radius).contains("ec2:RunInstances"));
        assertTrue(grants(radius).contains("secretsmanager:GetSecretValue"));
        // V3's conditional kms:CreateGrant deny is reported, not applied.
        assertTrue(radius.scopedDenies().stream().anyMatch(d -> d.actions().contains("kms:CreateGrant")));
    }

    @Test
    void firstQuarantineVersionLeavesMoreOpenThanV3() {
        QuarantinePolicies quarantine = QuarantinePolicies.standard(AccessLevels.standard());
        List<String> v1 = quarantine.leftOpen(List.of(quarantine.document("AWSCompromisedKeyQuarantine").orElseThrow()));
        List<String> v3 = quarantine.leftOpen(List.of(quarantine.document("AWSCompromisedKeyQuarantineV3").orElseThrow()));
        assertTrue(v1.contains("s3:GetObject") && !v3.contains("s3:GetObject"));
        assertFalse(v1.contains("iam:CreateAccessKey"));
        assertTrue(v1.containsAll(v3), v1 + " vs " + v3);
    }

    @Test
    void legacyInlineQuarantineIsRecognised() {
        PolicyDocument legacy = policy(QuarantinePolicies.LEGACY_INLINE_NAME,
                "{\"Effect\":\"Deny\",\"Action\":[\"iam:CreateAccessKey\",\"ec2:RunInstances\"],\"Resource\":\"*\"}");
        BlastRadius radius = ANALYSIS.analyse(user(legacy));
        assertEquals(List.of(QuarantinePolicies.LEGACY_INLINE_NAME), radius.quarantine().policies());
        assertTrue(radius.quarantine().leftOpen().contains("iam:CreateUser"));
        assertFalse(radius.quarantine().leftOpen().contains("iam:CreateAccessKey"));
    }
}
