package com.leakedkeybot.investigation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leakedkeybot.reference.PackagedResource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the resources a successful write event created, changed or deleted, from the rule table in
 * {@code affected-resources.json}.
 */
public final class AffectedResourceExtractor {

    private static final String RESOURCE = "/affected-resources.json";

    private final Map<String, Map<String, List<Rule>>> rulesBySource;
    private final Set<String> noResource;

    private AffectedResourceExtractor(Map<String, Map<String, List<Rule>>> rulesBySource, Set<String> noResource) {
        this.rulesBySource = rulesBySource;
        this.noResource = noResource;
    }

    public static AffectedResourceExtractor standard() {
        return Standard.RULES;
    }

    /** Read once per process: the table is packaged and never changes. */
    private static final class Standard {
        static final AffectedResourceExtractor RULES = load();
    }

    private static AffectedResourceExtractor load() {
        try (InputStream in = PackagedResource.open(RESOURCE)) {
            JsonNode root = new ObjectMapper().readTree(in);
            Map<String, Map<String, List<Rule>>> rules = new HashMap<>();
            root.path("rules").fields().forEachRemaining(source -> {
                Map<String, List<Rule>> byAction = new HashMap<>();
                source.getValue().fields().forEachRemaining(action -> {
                    List<Rule> list = new ArrayList<>();
                    if (action.getValue().isArray()) {
                        action.getValue().forEach(rule -> list.add(Rule.of(rule)));
                    } else {
                        list.add(Rule.of(action.getValue()));
                    }
                    byAction.put(action.getKey(), List.copyOf(list));
                });
                rules.put(source.getKey(), byAction);
            });
            Set<String> noResource = new HashSet<>();
            root.path("noResource").forEach(entry -> noResource.add(entry.asText()));
            return new AffectedResourceExtractor(rules, Set.copyOf(noResource));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The resources the event touched; empty for failed calls and reads. */
    public List<AffectedResource> extract(TrailEvent event) {
        if (event.failed() || Boolean.TRUE.equals(event.readOnly())) {
            return List.of();
        }
        List<Rule> rules = rulesBySource.getOrDefault(event.eventSource(), Map.of()).get(event.action());
        if (rules == null) {
            boolean changesNothing = noResource.contains(event.eventSource())
                    || noResource.contains(event.eventSource() + " " + event.action());
            return Boolean.FALSE.equals(event.readOnly()) && !changesNothing ? unlisted(event) : List.of();
        }
        List<AffectedResource> out = new ArrayList<>();
        for (Rule rule : rules) {
            String parent = first(rule.parent(), event).orElse(null);
            String detail = joined(rule.detail(), event)
                    .map(d -> rule.detailLabel().isEmpty() ? d : rule.detailLabel() + " " + d)
                    .orElse(rule.detail().isEmpty() && !rule.detailLabel().isEmpty() ? rule.detailLabel() : null);
            String version = first(rule.version(), event).orElse(null);
            for (String id : firstNonEmpty(rule.id(), event)) {
                out.add(resource(event, rule.kind(), id, parent, rule.action(), detail, version));
            }
        }
        return out;
    }

    /** A best guess for writes nobody wrote a rule for, so the clean-up list still shows them for review. */
    private static List<AffectedResource> unlisted(TrailEvent event) {
        String action = event.action();
        AffectedResource.Action verb = action.startsWith("Create") ? AffectedResource.Action.CREATED
                : action.startsWith("Delete") ? AffectedResource.Action.DELETED : AffectedResource.Action.CHANGED;
        return event.requestTargets().stream().limit(1)
                .map(target -> resource(event, AffectedResource.Kind.OTHER, target, null, verb, "in " + event.service(),
                        null))
                .toList();
    }

    private static AffectedResource resource(TrailEvent event, AffectedResource.Kind kind, String id, String parent,
                                             AffectedResource.Action action, String detail, String version) {
        return new AffectedResource(kind, id, parent, action, event.awsRegion(), event.eventName(), event.eventId(),
                event.eventTime(), event.accessKeyId(), detail, version, event.sourceId(), event.sourceIp(),
                event.userAgent());
    }

    private static List<String> firstNonEmpty(List<JsonPath> paths, TrailEvent event) {
        for (JsonPath path : paths) {
            List<String> values = path.values(event);
            if (!values.isEmpty()) {
                return values;
            }
        }
        return List.of();
    }

    private static Optional<String> first(List<JsonPath> paths, TrailEvent event) {
        return firstNonEmpty(paths, event).stream().findFirst();
    }

    private static Optional<String> joined(List<JsonPath> paths, TrailEvent event) {
        List<String> values = firstNonEmpty(paths, event);
        return values.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", values));
    }

    private record Rule(AffectedResource.Kind kind, AffectedResource.Action action, List<JsonPath> id,
                        List<JsonPath> parent, List<JsonPath> detail, String detailLabel, List<JsonPath> version) {

        static Rule of(JsonNode node) {
            return new Rule(AffectedResource.Kind.valueOf(node.path("kind").asText()),
                    AffectedResource.Action.valueOf(node.path("action").asText()),
                    paths(node.path("id")), paths(node.path("parent")), paths(node.path("detail")),
                    node.path("detailLabel").asText(""), paths(node.path("version")));
        }

        private static List<JsonPath> paths(JsonNode node) {
            List<JsonPath> paths = new ArrayList<>();
            if (node.isTextual()) {
                paths.add(JsonPath.of(node.asText()));
            }
            node.forEach(p -> paths.add(JsonPath.of(p.asText())));
            return List.copyOf(paths);
        }
    }
}
