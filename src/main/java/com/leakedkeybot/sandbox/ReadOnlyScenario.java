package com.leakedkeybot.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.iam.model.AccessKey;

/**
 * A reporting job's read-only key is found in a public repository and someone lists what it can see. Nothing was
 * changed: the runbook's path is rotation, and the new key's secret reaches its owner by direct message.
 */
final class ReadOnlyScenario implements Scenario {

    private static final String OWNER = "reporting-job";

    @Override
    public String name() {
        return "read-only";
    }

    @Override
    public String summary() {
        return "a read-only key is found and used for reconnaissance: rotate it, the new secret goes to its owner by "
                + "direct message";
    }

    @Override
    public Played play(DrillAccount account) {
        AccessKey leaked = account.owner(OWNER, People.NICO.id(), "readers",
                List.of("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
                        "arn:aws:iam::aws:policy/AmazonEC2ReadOnlyAccess"));
        Instant now = Instant.now();
        DrillAccount.Actor owner = account.actor(OWNER, leaked.accessKeyId(), leaked.secretAccessKey(),
                "198.51.100.20", "aws-sdk-java/2.25.0 Linux/6.5 OpenJDK_64-Bit_Server_VM/17");
        owner.aws().ec2In(DrillAccount.REGION).describeInstances();
        // The job's daily run on the days before: history, recorded as the trail would hold it.
        for (int day = 6; day > 0; day--) {
            owner.recorded(now.minus(Duration.ofDays(day)), DrillAccount.REGION, "ec2.amazonaws.com",
                    "DescribeInstances", true, e -> e);
        }
        DrillAccount.Actor stranger = account.actor(OWNER, leaked.accessKeyId(), leaked.secretAccessKey(),
                "203.0.113.66", "TruffleHog/3.63");
        Runnable look = () -> {
            Instant at = Instant.now();
            stranger.aws().sts().getCallerIdentity();
            stranger.recorded(at, DrillAccount.REGION, "sts.amazonaws.com", "GetCallerIdentity", true, e -> e);
            // Refused by IAM, the key's policies grant no IAM reads: moto does not check, so the call is not made.
            stranger.recorded(at.plusSeconds(2), DrillAccount.REGION, "iam.amazonaws.com", "ListUsers", true,
                    e -> e.error("AccessDenied"));
        };
        Instant found = now.minus(Duration.ofMinutes(30));
        stranger.aws().sts().getCallerIdentity();
        stranger.recorded(found, DrillAccount.REGION, "sts.amazonaws.com", "GetCallerIdentity", true, e -> e);
        stranger.aws().s3In(DrillAccount.REGION).listBuckets();
        stranger.recorded(found.plusSeconds(20), DrillAccount.REGION, "s3.amazonaws.com", "ListBuckets", true, e -> e);
        return new Played(leaked.accessKeyId(), Optional.of(look));
    }
}
