package com.leakedkeybot.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leakedkeybot.key.AccessKeyId;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Reads the events an EventBridge rule forwards: AWS Health {@code AWS_RISK_*} events and GuardDuty findings about an
 * access key. Anything else is not the bot's business. The envelope's {@code account} is never relied on (not every
 * forwarding path keeps it): a key's account is decoded from its id.
 */
public final class EventBridgeEvents {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Real leaks have arrived as AWS_RISK_IAM_QUARANTINE too, so every risk code opens an incident. */
    private static final Set<String> RISK_CODES = Set.of("AWS_RISK_CREDENTIALS_EXPOSED",
            "AWS_RISK_CREDENTIALS_EXPOSURE_SUSPECTED", "AWS_RISK_CREDENTIALS_COMPROMISED",
            "AWS_RISK_CREDENTIALS_COMPROMISE_SUSPECTED", "AWS_RISK_IAM_QUARANTINE");

    private EventBridgeEvents() {
    }

    /**
     * @return the report, or empty when the event is well-formed but not about a leaked key
     * @throws MalformedEventException when the text is not an EventBridge event, or a risk event names no key
     */
    public static Optional<IntakeEvent> read(String body) throws MalformedEventException {
        JsonNode event;
        try {
            event = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new MalformedEventException("not JSON"); // Jackson's message quotes the text
        }
        if (event == null || !event.isObject() || !event.path("detail").isObject() || text(event, "id") == null) {
            throw new MalformedEventException("not an EventBridge event (no id or detail)");
        }
        String source = event.path("source").asText();
        String detailType = event.path("detail-type").asText();
        if ("aws.health".equals(source) && "AWS Health Event".equals(detailType)) {
            return health(event);
        }
        if ("aws.guardduty".equals(source) && "GuardDuty Finding".equals(detailType)) {
            return guardDuty(event);
        }
        return Optional.empty();
    }

    private static Optional<IntakeEvent> health(JsonNode event) throws MalformedEventException {
        JsonNode detail = event.path("detail");
        String code = detail.path("eventTypeCode").asText();
        if (!RISK_CODES.contains(code)) {
            return Optional.empty();
        }
        // Where the key id sits varies between samples: metadata first, then the affected entities, then resources.
        AccessKeyId key = firstKeyId(Stream.of(
                Stream.of(detail.path("eventMetadata").path("publicKey")),
                elements(detail.path("affectedEntities")).map(entity -> entity.path("entityValue")),
                elements(event.path("resources"))))
                .orElseThrow(() -> new MalformedEventException("an AWS Health " + code + " event names no access key id"));
        List<String> ids = new ArrayList<>(List.of("event:" + text(event, "id")));
        String communication = text(detail, "communicationId");
        if (communication != null) {
            // The backup Region's rule delivers the same communication with another event id.
            ids.add("health:" + communication + ":" + key.value());
        }
        Instant started = time(text(detail, "startTime")).or(() -> time(text(event, "time"))).orElse(null);
        return Optional.of(new IntakeEvent(key, new IntakeSource.AwsHealth(code,
                text(detail.path("eventMetadata"), "exposedUrl"), started), ids));
    }

    private static Optional<IntakeEvent> guardDuty(JsonNode event) throws MalformedEventException {
        JsonNode finding = event.path("detail");
        if (!"AccessKey".equals(finding.path("resource").path("resourceType").asText())) {
            return Optional.empty();
        }
        String findingId = text(finding, "id");
        if (findingId == null) {
            throw new MalformedEventException("a GuardDuty finding without an id");
        }
        // Sample findings carry the placeholder GeneratedFindingAccessKeyId: nothing to contain.
        Optional<AccessKeyId> key = AccessKeyId.parse(text(finding.path("resource").path("accessKeyDetails"),
                "accessKeyId"));
        if (key.isEmpty()) {
            return Optional.empty();
        }
        JsonNode call = finding.path("service").path("action").path("awsApiCallAction");
        String api = text(call, "api");
        String service = text(call, "serviceName");
        Instant firstSeen = time(text(finding.path("service"), "eventFirstSeen"))
                .or(() -> time(text(finding, "createdAt"))).orElse(null);
        return Optional.of(new IntakeEvent(key.get(), new IntakeSource.GuardDuty(text(finding, "type"),
                api != null && service != null ? service + ":" + api : api,
                text(call.path("remoteIpDetails"), "ipAddressV4"), firstSeen),
                List.of("event:" + text(event, "id"), "guardduty:" + findingId)));
    }

    private static Optional<AccessKeyId> firstKeyId(Stream<Stream<JsonNode>> places) {
        return places.flatMap(place -> place).map(JsonNode::asText).map(String::strip).map(AccessKeyId::parse)
                .flatMap(Optional::stream).findFirst();
    }

    private static Stream<JsonNode> elements(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isValueNode() && !value.asText().isBlank() ? value.asText() : null;
    }

    /** ISO-8601 (GuardDuty, the envelope) or RFC 1123 ({@code Wed, 24 Jan 2018 20:00:00 GMT}: AWS Health). */
    static Optional<Instant> time(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(text));
        } catch (DateTimeParseException notIso) {
            try {
                return Optional.of(ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            } catch (DateTimeParseException neither) {
                return Optional.empty();
            }
        }
    }
}
