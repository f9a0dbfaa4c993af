package com.leakedkeybot.investigation;

import java.time.Instant;
import java.util.Locale;

/**
 * A resource a key under investigation created, changed or deleted: the input of the clean-up proposals.
 *
 * @param identifier what names the resource in its API (user name, access key id, instance id, policy ARN...)
 * @param parent     the resource it belongs to, or null: the user of an access key, login profile or attached
 *                   policy; the role of a role policy; the function of a Lambda permission; the group of a rule
 * @param detail     short extra context, or null (e.g. the accounts a snapshot was shared with)
 * @param version    the version the event wrote, for resources whose service keeps versions (an S3 object's
 *                   {@code x-amz-version-id}); null when the event does not carry one
 * @param sourceId   the {@link CallSource} the event came from; null in incidents stored before sources were kept
 * @param sourceIp   the event's source address, as evidence
 * @param userAgent  the event's user agent, as evidence
 */
public record AffectedResource(
        Kind kind,
        String identifier,
        String parent,
        Action action,
        String region,
        String eventName,
        String eventId,
        Instant eventTime,
        String accessKeyId,
        String detail,
        String version,
        String sourceId,
        String sourceIp,
        String userAgent) {

    /** A resource whose event's source is not known. */
    public AffectedResource(Kind kind, String identifier, String parent, Action action, String region,
                            String eventName, String eventId, Instant eventTime, String accessKeyId, String detail,
                            String version) {
        this(kind, identifier, parent, action, region, eventName, eventId, eventTime, accessKeyId, detail, version,
                null, null, null);
    }

    public enum Action { CREATED, CHANGED, DELETED }

    /**
     * How a step that acts on this resource names it in its target: kind, region, parent and id, none of which holds
     * a space.
     */
    public String target() {
        return kind + "|" + region + "|" + (parent == null ? "" : parent) + "|" + identifier;
    }

    public enum Kind {
        IAM_USER("IAM user", null),
        IAM_ACCESS_KEY("access key", "user"),
        IAM_LOGIN_PROFILE("console login profile of user", null),
        IAM_USER_POLICY_ATTACHMENT("policy attachment", "user"),
        IAM_USER_INLINE_POLICY("inline policy", "user"),
        IAM_USER_PERMISSIONS_BOUNDARY("permissions boundary", "user"),
        IAM_GROUP_MEMBERSHIP("membership of group", "user"),
        IAM_GROUP_POLICY_ATTACHMENT("policy attachment", "group"),
        IAM_GROUP_INLINE_POLICY("inline policy", "group"),
        IAM_ROLE("IAM role", null),
        IAM_ROLE_TRUST_POLICY("trust policy of role", null),
        IAM_ROLE_POLICY_ATTACHMENT("policy attachment", "role"),
        IAM_ROLE_INLINE_POLICY("inline policy", "role"),
        IAM_ROLE_PERMISSIONS_BOUNDARY("permissions boundary", "role"),
        IAM_POLICY("managed policy", null),
        IAM_POLICY_VERSION("policy version", "policy"),
        IAM_INSTANCE_PROFILE("instance profile", null),
        IAM_INSTANCE_PROFILE_ROLE("role", "instance profile"),
        IAM_IDENTITY_PROVIDER("identity provider", null),
        IAM_SSH_PUBLIC_KEY("SSH public key", "user"),
        IAM_SERVICE_CREDENTIAL("service-specific credential", "user"),
        IAM_MFA_DEVICE("MFA device", "user"),
        EC2_INSTANCE("EC2 instance", null),
        EC2_SECURITY_GROUP("security group", null),
        EC2_SECURITY_GROUP_RULE("security group rule", "security group"),
        EC2_KEY_PAIR("EC2 key pair", null),
        EC2_SNAPSHOT("EBS snapshot", null),
        EC2_IMAGE("AMI", null),
        EC2_FLOW_LOG("VPC flow log", null),
        EC2_SPOT_REQUEST("spot instance request", null),
        EC2_TRAFFIC_MIRROR_SESSION("traffic mirror session", null),
        LAMBDA_FUNCTION("Lambda function", null),
        LAMBDA_PERMISSION("resource policy statement", "function"),
        LAMBDA_LAYER_VERSION("Lambda layer version", null),
        LAMBDA_FUNCTION_URL("function URL", "function"),
        S3_BUCKET("S3 bucket", null),
        /** An object key (identifier) in a bucket (parent), from the trail's data events. */
        S3_OBJECT("S3 object", "bucket"),
        CLOUDTRAIL_TRAIL("CloudTrail trail", null),
        DNS_QUERY_LOG_CONFIG("Route 53 resolver query logging config", null),
        ROLES_ANYWHERE_TRUST_ANCHOR("IAM Roles Anywhere trust anchor", null),
        ROLES_ANYWHERE_PROFILE("IAM Roles Anywhere profile", null),
        RDS_SNAPSHOT("RDS snapshot", null),
        SECRET("secret", null),
        SSM_COMMAND("SSM command", null),
        GUARDDUTY_DETECTOR("GuardDuty detector", null),
        LOG_GROUP("CloudWatch log group", null),
        OTHER("resource", null);

        private final String label;
        private final String parentLabel;

        Kind(String label, String parentLabel) {
            this.label = label;
            this.parentLabel = parentLabel;
        }

        public String label() {
            return label;
        }

        /** What the parent is, e.g. "user" for an access key; null for kinds without a parent. */
        public String parentLabel() {
            return parentLabel;
        }
    }

    /** One line for people, e.g. "created access key AKIA… of user bob". */
    public String describe() {
        StringBuilder line = new StringBuilder(action.name().toLowerCase(Locale.ROOT)).append(' ')
                .append(kind.label()).append(' ').append(identifier);
        if (parent != null) {
            line.append(" of ").append(kind.parentLabel() == null ? "" : kind.parentLabel() + " ").append(parent);
        }
        if (version != null) {
            line.append(" (version ").append(version).append(')');
        }
        if (detail != null) {
            line.append(" — ").append(detail);
        }
        return line.toString();
    }
}
