package com.leakedkeybot.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The independent Block Kit JSON Schema (tightknit, draft 2020-12, root = array of blocks; MIT, packaged with its
 * licence). Slack publishes no schema
 * and the Java SDK validates nothing, so this is what stands in for Slack's own {@code invalid_blocks} check.
 */
public final class BlockKitSchema {

    private static final JsonSchema SCHEMA = load();

    /**
     * A {@code type} const failing directly inside a {@code oneOf} branch: that branch describes another kind of block
     * or element. The schema is a union over every kind, so without dropping such branches one bad section yields
     * a hundred messages about headers, videos and tables.
     */
    private static final Pattern WRONG_KIND = Pattern.compile("^(.*/oneOf/\\d+)(/\\$ref)*/properties/type/const$");

    private BlockKitSchema() {
    }

    /** Validator messages for a {@code blocks} array, without those about other kinds of block; empty when valid. */
    public static List<String> validate(JsonNode blocks) {
        Set<ValidationMessage> messages = SCHEMA.validate(blocks);
        Set<String> wrongKindBranches = messages.stream()
                .map(m -> WRONG_KIND.matcher(m.getEvaluationPath().toString()))
                .filter(Matcher::matches)
                .map(m -> m.group(1))
                .collect(Collectors.toSet());
        return messages.stream()
                .filter(m -> wrongKindBranches.stream().noneMatch(branch -> isWithin(m, branch)))
                .map(BlockKitSchema::describe)
                .distinct()
                .sorted()
                .toList();
    }

    private static boolean isWithin(ValidationMessage message, String branch) {
        String path = message.getEvaluationPath().toString();
        return path.equals(branch) || path.startsWith(branch + "/");
    }

    /** A failed union says nothing about what was sent, so name the kind that matched no branch. */
    private static String describe(ValidationMessage message) {
        JsonNode type = message.getInstanceNode() == null ? null : message.getInstanceNode().get("type");
        if ("oneOf".equals(message.getType()) && type != null && type.isTextual()) {
            return message.getMessage() + " (type '" + type.asText() + "')";
        }
        return message.getMessage();
    }

    private static JsonSchema load() {
        // Slack rejects malformed button URLs, so "format": "uri" must assert, not merely annotate as 2020-12 defaults to.
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        try (InputStream in = BlockKitSchema.class.getResourceAsStream("/sandbox/blockkit/slack-block-kit.schema.json")) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in, config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
