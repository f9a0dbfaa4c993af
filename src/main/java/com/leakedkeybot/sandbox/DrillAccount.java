package com.leakedkeybot.sandbox;

import com.leakedkeybot.aws.AwsClients;
import com.leakedkeybot.aws.AwsTarget;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.zip.GZIPOutputStream;
import software.amazon.awssdk.core.sync.RequestBody;
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
    /** Where the account's trail delivers its log files: the only record of S3 object writes. */
    public static final String LOG_BUCKET = "acme-cloudtrail-logs";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);

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
        admin.s3In(REGION).createBucket(r -> r.bucket(LOG_BUCKET));
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

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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

        /**
         * Records an object write this actor made: a data event, which LookupEvents never returns, delivered as the
         * trail delivers it, in a gzipped log file under {@code AWSLogs/<account>/CloudTrail/<region>/<day>/}.
         */
        public void wroteObject(Instant time, String bucket, String key, String versionId) {
            ObjectNode event = (ObjectNode) read(TrailEvents.event(UUID.randomUUID().toString(), time, REGION, keyId,
                            "s3.amazonaws.com", "PutObject").readOnly(false).from(sourceIp, userAgent)
                    .byUser(accountId, userName).request("bucketName", bucket).request("key", key)
                    .response("{\"x-amz-version-id\":\"" + versionId + "\"}").json());
            event.put("managementEvent", false).put("eventCategory", "Data");
            event.putArray("resources").addObject().put("type", "AWS::S3::Object")
                    .put("ARN", "arn:aws:s3:::" + bucket + "/" + key);
            ObjectNode log = JSON.createObjectNode();
            log.putArray("Records").add(event);
            ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
            try (GZIPOutputStream gzip = new GZIPOutputStream(gzipped)) {
                JSON.writeValue(gzip, log);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            String file = "AWSLogs/" + accountId + "/CloudTrail/" + REGION + "/" + DAY.format(time) + "/" + accountId
                    + "_CloudTrail_" + REGION + "_" + time.getEpochSecond() + ".json.gz";
            admin.s3In(REGION).putObject(r -> r.bucket(LOG_BUCKET).key(file),
                    RequestBody.fromBytes(gzipped.toByteArray()));
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
