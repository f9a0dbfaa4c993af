package com.leakedkeybot.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * Hand-made CloudTrail events in the real format: the sandbox records each call of a drill with them, and tests build
 * cases the datasets do not hold (e.g. role chaining).
 */
public final class TrailEvents {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final ObjectNode event = JSON.createObjectNode();

    private TrailEvents(String id, Instant time, String region, String accessKeyId, String source, String name) {
        event.put("eventVersion", "1.08").put("eventID", id).put("eventTime", time.toString()).put("awsRegion", region)
                .put("eventSource", source).put("eventName", name).put("eventType", "AwsApiCall")
                .put("sourceIPAddress", "203.0.113.7").put("userAgent", "aws-cli/2.15.0");
        event.putObject("userIdentity").put("type", accessKeyId.startsWith("ASIA") ? "AssumedRole" : "IAMUser")
                .put("arn", "arn:aws:iam::111122223333:user/leaky").put("accessKeyId", accessKeyId);
    }

    public static TrailEvents event(String id, Instant time, String region, String accessKeyId, String source, String name) {
        return new TrailEvents(id, time, region, accessKeyId, source, name);
    }

    /** An AssumeRole by {@code accessKeyId} that minted {@code minted} (with a session token, as CloudTrail logs it). */
    public static TrailEvents assumeRole(String id, Instant time, String region, String accessKeyId, String roleArn,
                                         String minted) {
        TrailEvents assume = event(id, time, region, accessKeyId, "sts.amazonaws.com", "AssumeRole").readOnly(true);
        assume.event.putObject("requestParameters").put("roleArn", roleArn).put("roleSessionName", "s-" + id);
        ObjectNode response = assume.event.putObject("responseElements");
        response.putObject("credentials").put("accessKeyId", minted).put("sessionToken", "SECRET-TOKEN-" + id)
                .put("expiration", "Jan 1, 2030, 1:00:00 AM");
        response.putObject("assumedRoleUser").put("arn", roleArn.replace(":iam:", ":sts:").replace(":role/", ":assumed-role/")
                + "/s-" + id);
        return assume;
    }

    /** The caller's address and client, as {@code sourceIPAddress} and {@code userAgent}. */
    public TrailEvents from(String sourceIp, String userAgent) {
        event.put("sourceIPAddress", sourceIp).put("userAgent", userAgent);
        return this;
    }

    /** The IAM user who made the call: {@code userIdentity}'s arn, account and user name. */
    public TrailEvents byUser(String account, String userName) {
        ((ObjectNode) event.get("userIdentity")).put("arn", "arn:aws:iam::" + account + ":user/" + userName)
                .put("accountId", account).put("userName", userName);
        event.put("recipientAccountId", account);
        return this;
    }

    public TrailEvents readOnly(boolean readOnly) {
        event.put("readOnly", readOnly);
        return this;
    }

    public TrailEvents error(String code) {
        event.put("errorCode", code);
        return this;
    }

    public TrailEvents request(String field, String value) {
        requestParameters().put(field, value);
        return this;
    }

    /** A boolean request parameter, as CloudTrail logs e.g. CreatePolicyVersion's setAsDefault. */
    public TrailEvents request(String field, boolean value) {
        requestParameters().put(field, value);
        return this;
    }

    /** The VPC endpoint the call came through, as CloudTrail logs it. */
    public TrailEvents through(String vpcEndpointId) {
        event.put("vpcEndpointId", vpcEndpointId);
        return this;
    }

    /** Who made the call, as {@code userIdentity.arn}. */
    public TrailEvents by(String principalArn) {
        ((ObjectNode) event.get("userIdentity")).put("arn", principalArn);
        return this;
    }

    private ObjectNode requestParameters() {
        return event.has("requestParameters") ? (ObjectNode) event.get("requestParameters")
                : event.putObject("requestParameters");
    }

    /** Sets {@code responseElements} from JSON text, as CloudTrail logs what a call returned. */
    public TrailEvents response(String json) {
        try {
            event.set("responseElements", JSON.readTree(json));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not JSON: " + json, e);
        }
        return this;
    }

    public String json() {
        return event.toString();
    }
}
