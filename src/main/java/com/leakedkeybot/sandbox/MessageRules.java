package com.leakedkeybot.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What Slack checks on a message's content before accepting it, answered with Slack's error codes. */
final class MessageRules {

    /** Slack's {@code msg_too_long} threshold for a message's top-level {@code text}. */
    static final int MAX_TEXT = 40_000;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Why a message was refused: Slack's {@code error} code and, for {@code invalid_blocks}, the reasons. */
    record Rejection(String error, List<String> reasons) {
    }

    private MessageRules() {
    }

    /**
     * @param fields          the message's fields ({@code text}, {@code blocks}, {@code attachments}, …), JSON-valued
     *                        ones as JSON strings
     * @param mayBeEmpty      true for a response_url post that deletes the original, which needs no content
     */
    static Optional<Rejection> check(Map<String, String> fields, boolean mayBeEmpty) {
        String text = fields.get("text");
        String blocks = fields.get("blocks");
        boolean hasText = text != null && !text.isBlank();
        if (!hasText && blocks == null && fields.get("attachments") == null && !mayBeEmpty) {
            return reject("no_text");
        }
        if (hasText && text.codePointCount(0, text.length()) > MAX_TEXT) {
            return reject("msg_too_long");
        }
        return blocks == null ? Optional.empty() : checkBlocks(blocks);
    }

    private static Optional<Rejection> checkBlocks(String blocksJson) {
        JsonNode blocks;
        try {
            blocks = JSON.readTree(blocksJson);
        } catch (JsonProcessingException e) {
            return reject("invalid_blocks_format");
        }
        if (blocks == null || !blocks.isArray()) {
            return reject("invalid_blocks_format");
        }
        List<String> reasons = new ArrayList<>(BlockKitLimits.check(blocks));
        reasons.addAll(BlockKitSchema.validate(blocks));
        return reasons.isEmpty() ? Optional.empty() : Optional.of(new Rejection("invalid_blocks", reasons));
    }

    private static Optional<Rejection> reject(String error) {
        return Optional.of(new Rejection(error, List.of()));
    }
}
