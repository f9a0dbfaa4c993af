package com.leakedkeybot.blastradius;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * An IAM policy as the blast-radius analysis reads it.
 *
 * @param name  the policy name (managed or inline), as people know it
 * @param arn   the managed policy ARN, or null for inline policies
 */
public record PolicyDocument(String name, String arn, List<PolicyStatement> statements) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Parses a policy JSON document (already URL-decoded). Statement, Action and Resource may be one value or a list. */
    public static PolicyDocument parse(String name, String arn, String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Policy " + name + " is not valid JSON: " + e.getOriginalMessage());
        }
        List<PolicyStatement> statements = new ArrayList<>();
        eachOf(root.path("Statement"), statement -> statements.add(statement(name, statement)));
        return new PolicyDocument(name, arn, List.copyOf(statements));
    }

    private static PolicyStatement statement(String policy, JsonNode node) {
        String effect = node.path("Effect").asText();
        if (!effect.equals("Allow") && !effect.equals("Deny")) {
            throw new IllegalArgumentException("Policy " + policy + " has a statement with Effect '" + effect + "'");
        }
        boolean notAction = node.has("NotAction");
        List<ActionPattern> actions = new ArrayList<>();
        eachOf(node.path(notAction ? "NotAction" : "Action"), a -> actions.add(ActionPattern.of(a.asText())));
        boolean notResource = node.has("NotResource");
        List<String> resources = new ArrayList<>();
        eachOf(node.path(notResource ? "NotResource" : "Resource"), r -> resources.add(r.asText()));
        JsonNode condition = node.path("Condition");
        return new PolicyStatement(node.path("Sid").asText(null),
                effect.equals("Allow") ? PolicyStatement.Effect.ALLOW : PolicyStatement.Effect.DENY,
                List.copyOf(actions), notAction, List.copyOf(resources), notResource,
                condition.isObject() && !condition.isEmpty() ? condition.toString() : null);
    }

    private static void eachOf(JsonNode node, Consumer<JsonNode> action) {
        if (node.isArray()) {
            node.forEach(action);
        } else if (!node.isMissingNode() && !node.isNull()) {
            action.accept(node);
        }
    }
}
