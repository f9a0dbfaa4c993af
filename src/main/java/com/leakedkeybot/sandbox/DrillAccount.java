package com.leakedkeybot.sandbox;

import com.leakedkeybot.aws.AwsClients;
import com.leakedkeybot.aws.AwsTarget;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.iam.model.Tag;

/**
 * The emulated account a drill plays in: moto, reached through the real AWS API, and the trail that records each call
 * the story makes, so that IAM's state and CloudTrail agree. Administrators set the stage with {@link #admin()};
 * people who hold a key act through {@link #actor}.
 */
public final class DrillAccount implements AutoCloseable {

    public static final String REGION = "us-east-1";

    private final URI moto;
    private final FakeCloudTrail trail;
    private final AwsClients admin;
    private final String accountId;
    private final List<AutoCloseable> clients = new ArrayList<>();

    DrillAccount(URI moto, FakeCloudTrail trail) {
        this.moto = moto;
        this.trail = trail;
        this.admin = AwsClients.at(AwsTarget.at(moto, REGION, "sandbox-admin", "sandbox-admin"));
        this.accountId = admin.sts().getCallerIdentity().account();
    }

    /** The account's administrator, setting the stage; not recorded: it happened before the trail's window. */
    public IamClient admin() {
        return admin.iam();
    }

    public AwsClients adminClients() {
        return admin;
    }

    /**
     * The key's owner: an IAM user in {@code group} (with the group's managed policies), tagged with the Slack user who
     * owns it, and its access key, the one that leaks.
     */
    public AccessKey owner(String userName, String slackUserId, String group, List<String> groupPolicyArns) {
        IamClient iam = admin.iam();
        iam.createGroup(r -> r.groupName(group));
        groupPolicyArns.forEach(arn -> iam.attachGroupPolicy(r -> r.groupName(group).policyArn(arn)));
        iam.createUser(r -> r.userName(userName).tags(Tag.builder().key("slack-user-id").value(slackUserId).build()));
        iam.addUserToGroup(r -> r.groupName(group).userName(userName));
        return iam.createAccessKey(r -> r.userName(userName)).accessKey();
    }

    public String accountId() {
        return accountId;
    }

    /** Someone calling AWS with {@code keyId} from {@code sourceIp}, as the IAM user {@code userName}. */
    public Actor actor(String userName, String keyId, String secret, String sourceIp, String userAgent) {
        AwsClients own = AwsClients.at(AwsTarget.at(moto, REGION, keyId, secret));
        clients.add(own);
        return new Actor(userName, keyId, sourceIp, userAgent, own);
    }

    @Override
    public void close() {
        clients.forEach(client -> {
            try {
                client.close();
            } catch (Exception ignored) {
                // Sandbox clients hold no state worth reporting on close.
            }
        });
        admin.close();
    }

    /** A key holder: calls go to moto with their key, and {@link #recorded} puts each in the trail. */
    public final class Actor {
        private final String userName;
        private final String keyId;
        private final String sourceIp;
        private final String userAgent;
        private final AwsClients aws;

        private Actor(String userName, String keyId, String sourceIp, String userAgent, AwsClients aws) {
            this.userName = userName;
            this.keyId = keyId;
            this.sourceIp = sourceIp;
            this.userAgent = userAgent;
            this.aws = aws;
        }

        public AwsClients aws() {
            return aws;
        }

        /** Records a call this actor made at {@code time}: the event CloudTrail would hold for it. */
        public void recorded(Instant time, String region, String source, String name, boolean readOnly,
                             UnaryOperator<TrailEvents> details) {
            TrailEvents event = TrailEvents.event(UUID.randomUUID().toString(), time, region, keyId, source, name)
                    .readOnly(readOnly).from(sourceIp, userAgent).byUser(accountId, userName);
            trail.add(region, details.apply(event).json());
        }
    }
}
