package com.leakedkeybot.testkit;

import com.leakedkeybot.sandbox.InMemoryTrail;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.leakedkeybot.sandbox.InMemoryTrail.FakeEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The real CloudTrail events in shared/data/cloudtrail (read-only), normalised to what LookupEvents returns:
 * ISO eventTime (OTRF's {@code @timestamp} and Panther's "yyyy-MM-dd HH:mm:ss" rewritten), an eventID on every event;
 * and large volumes made from them.
 */
public final class CloudTrailDatasets {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final DateTimeFormatter PANTHER_TIME = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .toFormatter();

    private CloudTrailDatasets() {
    }

    /** shared/data beside the checkout, as CI lays it out. */
    public static Path dataRoot() {
        return Path.of(System.getProperty("user.dir")).resolve("../shared/data").normalize();
    }

    public static Path stratusDirectory() {
        return dataRoot().resolve("cloudtrail/stratus-red-team_detonation-logs");
    }

    /** The events of one Stratus Red Team technique, e.g. {@code aws.persistence.iam-create-admin-user}. */
    public static List<ObjectNode> stratus(String technique) {
        return objects(readJson(stratusDirectory().resolve(technique + ".json")));
    }

    /** Technique names (file names without .json) starting with the prefix, e.g. {@code aws.persistence.}. */
    public static List<String> stratusTechniques(String prefix) {
        try (Stream<Path> files = Files.list(stratusDirectory())) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith(prefix) && n.endsWith(".json"))
                    .map(n -> n.substring(0, n.length() - ".json".length())).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }


    /** The test events of one Panther rule (e.g. {@code aws_cloudtrail_stopped}) that the rule must alert on. */
    public static List<ObjectNode> pantherAlertingTests(String rule) {
        List<ObjectNode> events = new ArrayList<>();
        readYaml(dataRoot().resolve("cloudtrail/panther-analysis/rules/aws_cloudtrail_rules/" + rule + ".yml")).path("Tests")
                .forEach(test -> {
                    if (test.path("ExpectedResult").asBoolean(false) && test.path("Log").isObject()) {
                        events.add(normalised((ObjectNode) test.path("Log").deepCopy()));
                    }
                });
        return events;
    }

    /** The events of a Panther test scenario file, e.g. {@code compromised-root-creds/attacker_cloudtrail.yml}. */
    public static List<ObjectNode> pantherScenario(String file) {
        List<ObjectNode> events = new ArrayList<>();
        readYaml(dataRoot().resolve("cloudtrail/panther-analysis/test_scenarios/" + file)).path("Logs")
                .forEach(log -> events.add(normalised((ObjectNode) log.deepCopy())));
        return events;
    }

    /** OTRF's stolen instance-credentials exfiltration (JSON lines, {@code @timestamp}). */
    public static List<ObjectNode> otrf() {
        Path file = dataRoot().resolve("cloudtrail/otrf_security-datasets/ec2_proxy_s3_exfiltration_2020-09-14011940.json");
        try (Stream<String> lines = Files.lines(file)) {
            return lines.filter(l -> !l.isBlank()).map(l -> normalised((ObjectNode) readJson(l))).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Shifts the events' times so the newest lands {@code beforeNow} before now, keeping their order and spacing
     * (LookupEvents only returns the last 90 days). Returns new nodes.
     */
    public static List<ObjectNode> shiftedToRecent(List<ObjectNode> events, Instant now, Duration beforeNow) {
        Instant newest = events.stream().map(CloudTrailDatasets::time).max(Comparator.naturalOrder()).orElse(now);
        Duration shift = Duration.between(newest, now.minus(beforeNow));
        return events.stream().map(e -> {
            ObjectNode copy = e.deepCopy();
            copy.put("eventTime", time(e).plus(shift).toString());
            return copy;
        }).toList();
    }


    /** A Stratus event made a template: its JSON with placeholders, and the fields LookupEvents filters on. */
    private record Template(String json, String eventName, String eventSource, Boolean readOnly, String username) {
    }

    /**
     * {@code count} events of {@code accessKeyId}, dealt round-robin over the regions, oldest first, over the last 89
     * days: the real Stratus Red Team events, cycled, so attack events keep their natural share. Each event's JSON is
     * rendered only when asked for, so 100,000 events cost a few megabytes. Minted credentials are removed from the
     * templates so the volume is exactly what was asked for.
     */
    public static Map<String, List<FakeEvent>> volume(String accessKeyId, int count, List<String> regions, Instant now) {
        List<Template> templates = new ArrayList<>();
        for (String technique : stratusTechniques("aws.")) {
            for (ObjectNode event : stratus(technique)) {
                ObjectNode template = event.deepCopy();
                template.put("eventID", "@@ID@@");
                template.put("eventTime", "@@TIME@@");
                template.put("awsRegion", "@@REGION@@");
                if (template.path("userIdentity").isObject()) {
                    ((ObjectNode) template.get("userIdentity")).put("accessKeyId", "@@KEY@@");
                }
                if (template.path("responseElements").isObject()) {
                    ((ObjectNode) template.get("responseElements")).remove("credentials");
                }
                templates.add(new Template(template.toString(), event.path("eventName").asText(),
                        event.path("eventSource").asText(),
                        event.path("readOnly").isBoolean() ? event.path("readOnly").booleanValue() : null,
                        event.path("userIdentity").path("userName").asText(null)));
            }
        }
        Map<String, List<FakeEvent>> byRegion = new LinkedHashMap<>();
        regions.forEach(region -> byRegion.put(region, new ArrayList<>()));
        Instant start = now.minus(Duration.ofDays(89));
        long spanSeconds = Duration.ofDays(88).toSeconds();
        for (int i = 0; i < count; i++) {
            Template template = templates.get(i % templates.size());
            String region = regions.get(i % regions.size());
            Instant time = start.plusSeconds(spanSeconds * i / Math.max(1, count));
            String id = "synthetic-" + i;
            byRegion.get(region).add(new FakeEvent(time.getEpochSecond(), id, template.eventName(), template.eventSource(),
                    template.readOnly(), accessKeyId, template.username(),
                    () -> template.json().replace("@@ID@@", id).replace("@@TIME@@", time.toString())
                            .replace("@@REGION@@", region).replace("@@KEY@@", accessKeyId)));
        }
        return byRegion;
    }

    private static Instant time(JsonNode event) {
        return Instant.parse(event.path("eventTime").asText());
    }

    private static ObjectNode normalised(ObjectNode event) {
        if (event.has("@timestamp") && !event.has("eventTime")) {
            event.set("eventTime", event.get("@timestamp"));
        }
        event.put("eventTime", isoTime(event.path("eventTime").asText()));
        if (!event.hasNonNull("eventID")) {
            event.put("eventID", UUID.nameUUIDFromBytes(event.toString().getBytes()).toString());
        }
        return event;
    }

    private static String isoTime(String time) {
        try {
            return time.contains("T") ? Instant.parse(time).toString()
                    : LocalDateTime.parse(time, PANTHER_TIME).toInstant(ZoneOffset.UTC).toString();
        } catch (DateTimeParseException e) {
            // A few synthetic Panther logs have no usable time ("", "redacted"); tests shift times anyway.
            return "2024-01-01T00:00:00Z";
        }
    }

    private static List<ObjectNode> objects(JsonNode array) {
        List<ObjectNode> out = new ArrayList<>();
        array.forEach(node -> out.add((ObjectNode) node));
        return out;
    }

    private static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode readJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode readYaml(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
