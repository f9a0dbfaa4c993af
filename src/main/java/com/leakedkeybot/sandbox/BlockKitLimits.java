package com.leakedkeybot.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Slack's per-message Block Kit limits, including those the JSON Schema cannot express (uniqueness of ids across the
 * message) or states more loosely (the schema allows 100 blocks, the surface limit of modals). The numbers come from
 * the slackblocks-spec {@code limits.json} (MIT, packaged with its licence), so the fake cannot drift from the reference
 * data.
 */
public final class BlockKitLimits {

    /** Per message; 100 applies only to modals and App Home, which is all {@code limits.json} records. */
    public static final int MAX_MESSAGE_BLOCKS = 50;

    private static final JsonNode LIMITS = load();
    private static final int SECTION_TEXT = limit("/section/text/max_length");
    private static final int SECTION_FIELDS = limit("/section/fields/max_items");
    private static final int SECTION_FIELD_TEXT = limit("/section/fields/item_max_length");
    private static final int HEADER_TEXT = limit("/header/text/max_length");
    private static final int CONTEXT_ELEMENTS = limit("/context/elements/max_items");
    private static final int BUTTON_TEXT = limit("/button/text/max_length");
    private static final int BUTTON_VALUE = limit("/button/value/max_length");
    private static final int ACTION_ID = limit("/action_id/max_length");
    private static final int BLOCK_ID = limit("/block_id/max_length");

    private BlockKitLimits() {
    }

    /** Human-readable reasons the {@code blocks} array breaks a limit; empty when it keeps to all of them. */
    public static List<String> check(JsonNode blocks) {
        List<String> reasons = new ArrayList<>();
        if (blocks.size() > MAX_MESSAGE_BLOCKS) {
            reasons.add("message has " + blocks.size() + " blocks, at most " + MAX_MESSAGE_BLOCKS + " are allowed");
        }
        Set<String> blockIds = new HashSet<>();
        Set<String> actionIds = new HashSet<>();
        for (int i = 0; i < blocks.size(); i++) {
            JsonNode block = blocks.get(i);
            String where = "blocks[" + i + "]";
            checkId(block.path("block_id"), "block_id", BLOCK_ID, blockIds, where, reasons);
            switch (block.path("type").asText()) {
                case "section" -> checkSection(block, where, reasons);
                case "header" -> maxLength(block.path("text").path("text"), HEADER_TEXT, where + " header text", reasons);
                case "context" -> maxItems(block.path("elements"), CONTEXT_ELEMENTS, where + " context elements", reasons);
                default -> {
                }
            }
            checkElements(block, where, actionIds, reasons);
        }
        return reasons;
    }

    private static void checkSection(JsonNode section, String where, List<String> reasons) {
        maxLength(section.path("text").path("text"), SECTION_TEXT, where + " section text", reasons);
        JsonNode fields = section.path("fields");
        maxItems(fields, SECTION_FIELDS, where + " section fields", reasons);
        for (int f = 0; f < fields.size(); f++) {
            maxLength(fields.get(f).path("text"), SECTION_FIELD_TEXT, where + " section field " + f, reasons);
        }
    }

    /** Interactive elements sit in actions, section accessories, inputs and more: search the whole block for them. */
    private static void checkElements(JsonNode node, String where, Set<String> actionIds, List<String> reasons) {
        if (node.isObject()) {
            checkId(node.path("action_id"), "action_id", ACTION_ID, actionIds, where, reasons);
            if ("button".equals(node.path("type").asText())) {
                maxLength(node.path("text").path("text"), BUTTON_TEXT, where + " button text", reasons);
                maxLength(node.path("value"), BUTTON_VALUE, where + " button value", reasons);
            }
        }
        node.forEach(child -> checkElements(child, where, actionIds, reasons));
    }

    private static void checkId(JsonNode id, String name, int max, Set<String> seen, String where,
                                List<String> reasons) {
        if (!id.isTextual()) {
            return;
        }
        maxLength(id, max, where + " " + name, reasons);
        if (!seen.add(id.asText())) {
            reasons.add(where + " " + name + " '" + id.asText() + "' is not unique within the message");
        }
    }

    /** Counted in code points, as Slack and the JSON Schema count characters. */
    private static void maxLength(JsonNode text, int max, String what, List<String> reasons) {
        if (text.isTextual()) {
            int length = text.asText().codePointCount(0, text.asText().length());
            if (length > max) {
                reasons.add(what + " is " + length + " characters, at most " + max + " are allowed");
            }
        }
    }

    private static void maxItems(JsonNode array, int max, String what, List<String> reasons) {
        if (array.size() > max) {
            reasons.add(what + ": " + array.size() + " given, at most " + max + " are allowed");
        }
    }

    private static int limit(String pointer) {
        JsonNode value = LIMITS.at(pointer);
        if (!value.canConvertToInt()) {
            throw new IllegalStateException("limits.json has no number at " + pointer);
        }
        return value.intValue();
    }

    private static JsonNode load() {
        try {
            return new ObjectMapper().readTree(BlockKitLimits.class.getResource("/sandbox/blockkit/limits.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
