package com.leakedkeybot.slack.blocks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Constructors for the few Block Kit elements the bot uses. Every text is cut to Slack's limit here, so no message
 * can be refused with {@code invalid_blocks} because an AWS error or a user name was long.
 */
final class Blocks {

    static final ObjectMapper JSON = new ObjectMapper();
    /** How every message shows a time: to the minute, in UTC. */
    static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    static final int MAX_BLOCKS = 50;
    static final int SECTION_TEXT = 3000;
    static final int HEADER_TEXT = 150;
    static final int BUTTON_TEXT = 75;
    static final int CONTEXT_ELEMENTS = 10;
    static final int FIELD_TEXT = 2000;
    static final int FIELDS = 10;

    private Blocks() {
    }

    static ObjectNode header(String plainText) {
        ObjectNode block = JSON.createObjectNode().put("type", "header");
        block.set("text", plain(plainText, HEADER_TEXT));
        return block;
    }

    static ObjectNode section(String mrkdwn) {
        ObjectNode block = JSON.createObjectNode().put("type", "section");
        block.set("text", mrkdwn(mrkdwn, SECTION_TEXT));
        return block;
    }

    static ObjectNode fields(String... mrkdwnFields) {
        ObjectNode block = JSON.createObjectNode().put("type", "section");
        ArrayNode fields = block.putArray("fields");
        for (int i = 0; i < mrkdwnFields.length && i < FIELDS; i++) {
            fields.add(mrkdwn(mrkdwnFields[i], FIELD_TEXT));
        }
        return block;
    }

    static ObjectNode context(String... mrkdwnTexts) {
        ObjectNode block = JSON.createObjectNode().put("type", "context");
        ArrayNode elements = block.putArray("elements");
        for (int i = 0; i < mrkdwnTexts.length && i < CONTEXT_ELEMENTS; i++) {
            elements.add(mrkdwn(mrkdwnTexts[i], SECTION_TEXT));
        }
        return block;
    }

    static ObjectNode divider() {
        return JSON.createObjectNode().put("type", "divider");
    }

    static ObjectNode actions(String blockId, ObjectNode... buttons) {
        ObjectNode block = JSON.createObjectNode().put("type", "actions").put("block_id", blockId);
        ArrayNode elements = block.putArray("elements");
        for (ObjectNode button : buttons) {
            elements.add(button);
        }
        return block;
    }

    /** @param style "primary", "danger" or null */
    static ObjectNode button(String text, String actionId, String value, String style, ObjectNode confirm) {
        ObjectNode button = JSON.createObjectNode().put("type", "button");
        button.set("text", plain(text, BUTTON_TEXT));
        button.put("action_id", actionId).put("value", value);
        if (style != null) {
            button.put("style", style);
        }
        if (confirm != null) {
            button.set("confirm", confirm);
        }
        return button;
    }

    static ObjectNode confirm(String title, String mrkdwn, String confirmText, String denyText) {
        ObjectNode confirm = JSON.createObjectNode();
        confirm.set("title", plain(title, 100));
        confirm.set("text", mrkdwn(mrkdwn, 300));
        confirm.set("confirm", plain(confirmText, 30));
        confirm.set("deny", plain(denyText, 30));
        return confirm;
    }

    private static ObjectNode plain(String text, int limit) {
        return JSON.createObjectNode().put("type", "plain_text").put("text", cut(text, limit)).put("emoji", true);
    }

    private static ObjectNode mrkdwn(String text, int limit) {
        return JSON.createObjectNode().put("type", "mrkdwn").put("text", cut(text, limit));
    }

    static String cut(String text, int limit) {
        if (text.length() <= limit) {
            return text;
        }
        // Never cut inside an escape such as &amp; or a mention; a trailing fragment would render as garbage.
        String cut = text.substring(0, limit - 1);
        int amp = cut.lastIndexOf('&');
        if (amp >= 0 && cut.indexOf(';', amp) < 0) {
            cut = cut.substring(0, amp);
        }
        int open = cut.lastIndexOf('<');
        if (open >= 0 && cut.indexOf('>', open) < 0) {
            cut = cut.substring(0, open);
        }
        return cut + "…";
    }
}
