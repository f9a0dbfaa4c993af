package com.leakedkeybot.investigation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A dotted path into an event used by the rule files, e.g. {@code responseElements.instancesSet.items.instanceId}.
 * Arrays met on the way are walked element by element, so one path can select many values.
 */
record JsonPath(String text, List<String> segments) {

    static JsonPath of(String text) {
        List<String> segments = List.of(text.split("\\."));
        if (segments.size() < 2 || !(segments.get(0).equals("requestParameters") || segments.get(0).equals("responseElements"))) {
            throw new IllegalArgumentException("Path must start with requestParameters. or responseElements.: " + text);
        }
        return new JsonPath(text, segments);
    }

    /** The non-empty scalar values the path reaches, as text. */
    List<String> values(TrailEvent event) {
        List<String> out = new ArrayList<>();
        collect(event.section(segments.get(0)), 1, out);
        return out;
    }

    /** True when the path reaches a value that is present and not false, empty or null. */
    boolean isSet(TrailEvent event) {
        return present(event.section(segments.get(0)), 1);
    }

    private void collect(JsonNode node, int index, List<String> out) {
        if (node.isArray()) {
            node.forEach(element -> collect(element, index, out));
        } else if (index == segments.size()) {
            if (node.isValueNode() && !node.isNull() && !node.asText().isEmpty()) {
                out.add(node.asText());
            }
        } else {
            collect(node.path(segments.get(index)), index + 1, out);
        }
    }

    private boolean present(JsonNode node, int index) {
        if (node.isArray() && index < segments.size()) {
            for (JsonNode element : node) {
                if (present(element, index)) {
                    return true;
                }
            }
            return false;
        }
        if (index == segments.size()) {
            return !(node.isMissingNode() || node.isNull() || (node.isBoolean() && !node.booleanValue())
                    || (node.isContainerNode() && node.isEmpty()) || (node.isTextual() && node.textValue().isEmpty()));
        }
        return present(node.path(segments.get(index)), index + 1);
    }
}
