package com.leakedkeybot.investigation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One CloudTrail event, reduced to what the investigation reads.
 *
 * @param vpcEndpointId the VPC endpoint the call came through, when CloudTrail says (then sourceIp is private)
 * Secrets that STS and IAM put into responses are removed while parsing, so no TrailEvent ever holds them.
 */
public record TrailEvent(
        String eventId,
        Instant eventTime,
        String eventSource,
        String eventName,
        String awsRegion,
        String sourceIp,
        String userAgent,
        String accessKeyId,
        String principalArn,
        String principalType,
        String errorCode,
        Boolean readOnly,
        JsonNode requestParameters,
        JsonNode responseElements,
        String vpcEndpointId) {

    private static final ObjectMapper JSON = new ObjectMapper();
    // Field names whose values are credentials (lower-cased); CloudTrail logs sessionToken in STS responses.
    private static final Set<String> SECRET_FIELDS = Set.of("secretaccesskey", "sessiontoken", "password", "newpassword");
    // Lambda event names carry the API version: CreateFunction20150331, AddPermission20150331v2.
    private static final Pattern IDENTIFIER_FIELD = Pattern.compile("(name|id|arn)s?|.*(Name|Id|ID|Arn|ARN|Identifier)s?");
    private static final Pattern API_VERSION_SUFFIX = Pattern.compile("\\d{8}(v\\d+)?$");

    public TrailEvent {
        requestParameters = requestParameters == null ? MissingNode.getInstance() : requestParameters;
        responseElements = responseElements == null ? MissingNode.getInstance() : responseElements;
    }

    /** Parses a raw CloudTrail event, as in LookupEvents' {@code CloudTrailEvent} field or a trail log record. */
    public static TrailEvent parse(String cloudTrailEventJson) {
        JsonNode root;
        try {
            root = JSON.readTree(cloudTrailEventJson);
        } catch (JsonProcessingException e) {
            // The message would quote the input, which can hold credentials: keep only the position.
            throw new IllegalArgumentException("Not a CloudTrail event: invalid JSON at " + e.getLocation());
        }
        return of(root);
    }

    /** Reads an event already parsed, e.g. one record of a trail log file read as a stream. */
    public static TrailEvent of(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("Not a CloudTrail event: not a JSON object");
        }
        JsonNode identity = root.path("userIdentity");
        return new TrailEvent(
                text(root, "eventID"),
                Instant.parse(required(root, "eventTime")),
                required(root, "eventSource"),
                required(root, "eventName"),
                text(root, "awsRegion"),
                text(root, "sourceIPAddress"),
                text(root, "userAgent"),
                text(identity, "accessKeyId"),
                text(identity, "arn"),
                text(identity, "type"),
                text(root, "errorCode"),
                readOnly(root.path("readOnly")),
                withoutSecrets(root.get("requestParameters")),
                withoutSecrets(root.get("responseElements")),
                text(root, "vpcEndpointId"));
    }

    /** The event name without Lambda's API version suffix, e.g. {@code CreateFunction}. */
    public String action() {
        return API_VERSION_SUFFIX.matcher(eventName).replaceFirst("");
    }

    /** The service prefix, e.g. {@code iam} for {@code iam.amazonaws.com}. */
    public String service() {
        int dot = eventSource.indexOf('.');
        return dot < 0 ? eventSource : eventSource.substring(0, dot);
    }

    /**
     * What the call was aimed at, as named in requestParameters: top-level fields ending in Name, Id, Arn or
     * Identifier (and lists such as {@code names} or {@code instanceIds}), e.g. the secretId of GetSecretValue.
     */
    public List<String> requestTargets() {
        List<String> targets = new ArrayList<>();
        requestParameters.fields().forEachRemaining(field -> {
            if (IDENTIFIER_FIELD.matcher(field.getKey()).matches()) {
                JsonNode value = field.getValue();
                if (value.isValueNode() && !value.asText().isEmpty()) {
                    targets.add(value.asText());
                } else if (value.isArray()) {
                    value.forEach(v -> {
                        if (v.isTextual()) {
                            targets.add(v.asText());
                        }
                    });
                }
            }
        });
        return targets;
    }

    /** Where the call came from, as {@link CallSource} groups calls: address, user agent and VPC endpoint. */
    public String sourceId() {
        return CallSource.idOf(sourceIp, userAgent, vpcEndpointId);
    }

    public boolean failed() {
        return errorCode != null;
    }

    /** Top-level section of the event by name, for the data-driven rules ({@link JsonPath}). */
    JsonNode section(String name) {
        return switch (name) {
            case "requestParameters" -> requestParameters;
            case "responseElements" -> responseElements;
            default -> MissingNode.getInstance();
        };
    }

    /** CloudTrail writes a boolean; some exports write "true"/"false"; absent means unknown. */
    private static Boolean readOnly(JsonNode node) {
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        return node.isTextual() ? Boolean.valueOf(node.textValue()) : null;
    }

    private static JsonNode withoutSecrets(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return MissingNode.getInstance();
        }
        strip(node);
        return node;
    }

    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
                if (SECRET_FIELDS.contains(names.next().toLowerCase(Locale.ROOT))) {
                    names.remove();
                }
            }
            object.forEach(TrailEvent::strip);
        } else if (node.isArray()) {
            node.forEach(TrailEvent::strip);
        }
    }

    private static String required(JsonNode root, String field) {
        String value = text(root, field);
        if (value == null) {
            throw new IllegalArgumentException("Not a CloudTrail event: no " + field);
        }
        return value;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
