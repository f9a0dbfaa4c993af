package com.leakedkeybot.slack.blocks;

import com.fasterxml.jackson.databind.node.ArrayNode;

/**
 * A rendered message: the notification/fallback text and its blocks.
 */
public record SlackMessage(String text, ArrayNode blocks) {

    public String blocksJson() {
        return blocks.toString();
    }
}
