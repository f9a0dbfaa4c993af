package com.leakedkeybot.testkit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.leakedkeybot.testkit.FakeCloudTrail.FakeEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Large volumes of events for one key, made from the real Stratus Red Team events (cycled, so attack events keep
 * their natural share), spread over regions and over the last 89 days. Each event's JSON is rendered only when
 * asked for, so 100,000 events cost a few megabytes. Minted credentials are removed from the templates so the
 * volume is exactly what was asked for.
 */
public final class SyntheticTrail {

    private record Template(String json, String eventName, String eventSource, Boolean readOnly, String username) {
    }

    private final List<Template> templates = new ArrayList<>();

    public SyntheticTrail() {
        for (String technique : CloudTrailDatasets.stratusTechniques("aws.")) {
            for (ObjectNode event : CloudTrailDatasets.stratus(technique)) {
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
    }

    /** {@code count} events of {@code accessKeyId}, dealt round-robin over the regions, oldest first. */
    public Map<String, List<FakeEvent>> events(String accessKeyId, int count, List<String> regions, Instant now) {
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
}
