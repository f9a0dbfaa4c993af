package com.leakedkeybot.investigation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leakedkeybot.reference.PackagedResource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Names what an event means, from the rule table in {@code event-categories.json} (read that file for the rules;
 * this class only applies them).
 */
public final class EventClassifier {

    private static final String RESOURCE = "/event-categories.json";

    private final Map<String, Map<String, Rule>> rulesBySource;
    private final List<Prefix> prefixes;
    private final List<String> deniedFragments;

    private EventClassifier(Map<String, Map<String, Rule>> rulesBySource, List<Prefix> prefixes, List<String> deniedFragments) {
        this.rulesBySource = rulesBySource;
        this.prefixes = prefixes;
        this.deniedFragments = deniedFragments;
    }

    /** The classifier built from the packaged rule table. */
    public static EventClassifier standard() {
        return Standard.RULES;
    }

    /** Read once per process: the table is packaged and never changes. */
    private static final class Standard {
        static final EventClassifier RULES = load();
    }

    private static EventClassifier load() {
        try (InputStream in = PackagedResource.open(RESOURCE)) {
            return fromJson(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static EventClassifier fromJson(InputStream json) throws IOException {
        JsonNode root = new ObjectMapper().readTree(json);
        Map<String, Map<String, Rule>> rules = new HashMap<>();
        root.path("events").fields().forEachRemaining(source -> {
            Map<String, Rule> byAction = new HashMap<>();
            source.getValue().fields().forEachRemaining(action -> byAction.put(action.getKey(), Rule.of(action.getValue())));
            rules.put(source.getKey(), byAction);
        });
        List<Prefix> prefixes = new ArrayList<>();
        root.path("prefixes").forEach(p -> prefixes.add(
                new Prefix(p.path("prefix").asText(), EventCategory.valueOf(p.path("category").asText()))));
        List<String> denied = new ArrayList<>();
        root.path("deniedErrorCodeFragments").forEach(f -> denied.add(f.asText()));
        return new EventClassifier(rules, List.copyOf(prefixes), List.copyOf(denied));
    }

    public Classification classify(TrailEvent event) {
        return new Classification(categoryOf(event), isDenied(event.errorCode()));
    }

    /** True for error codes meaning AWS refused the call (as opposed to other failures such as NoSuchEntity). */
    public boolean isDenied(String errorCode) {
        return errorCode != null && deniedFragments.stream().anyMatch(errorCode::contains);
    }

    private EventCategory categoryOf(TrailEvent event) {
        String action = event.action();
        Rule rule = rulesBySource.getOrDefault(event.eventSource(), Map.of()).get(action);
        if (rule != null) {
            return rule.apply(event);
        }
        for (Prefix prefix : prefixes) {
            if (prefix.matches(action)) {
                return prefix.category();
            }
        }
        if (event.readOnly() == null) {
            return EventCategory.OTHER;
        }
        return event.readOnly() ? EventCategory.RECONNAISSANCE : EventCategory.DATA_CHANGE;
    }

    private record Rule(EventCategory category, JsonPath when, String equals, EventCategory otherwise) {

        static Rule of(JsonNode node) {
            if (node.isTextual()) {
                return new Rule(EventCategory.valueOf(node.asText()), null, null, null);
            }
            return new Rule(EventCategory.valueOf(node.path("category").asText()),
                    JsonPath.of(node.path("when").asText()),
                    node.hasNonNull("equals") ? node.get("equals").asText() : null,
                    EventCategory.valueOf(node.path("otherwise").asText()));
        }

        EventCategory apply(TrailEvent event) {
            if (when == null) {
                return category;
            }
            boolean holds = equals == null ? when.isSet(event) : when.values(event).contains(equals);
            return holds ? category : otherwise;
        }
    }

    private record Prefix(String prefix, EventCategory category) {
        // "Get" must not match "Getaway": the prefix has to end a word of the CamelCase name.
        boolean matches(String action) {
            return action.startsWith(prefix)
                    && (action.length() == prefix.length() || Character.isUpperCase(action.charAt(prefix.length())));
        }
    }
}
