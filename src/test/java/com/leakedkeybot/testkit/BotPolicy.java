package com.leakedkeybot.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The bot's own IAM policy file, iam/leaked-key-bot-policy.json. */
public final class BotPolicy {

    public static final Path FILE = Path.of("iam/leaked-key-bot-policy.json");

    private BotPolicy() {
    }

    /** Every action an Allow statement grants; fails on anything but Allow statements. */
    public static Set<String> actions() throws IOException {
        JsonNode policy = new ObjectMapper().readTree(FILE.toFile());
        Set<String> actions = new TreeSet<>();
        for (JsonNode statement : policy.get("Statement")) {
            if (!"Allow".equals(statement.path("Effect").asText())) {
                throw new AssertionError("the bot's policy should only allow: " + statement);
            }
            statement.get("Action").forEach(a -> actions.add(a.asText()));
        }
        return actions;
    }

    /** Fails unless the policy grants every call, each named as {@code service:Operation} ({@link AwsProxy#calls}). */
    public static void assertGrants(List<String> calls) throws IOException {
        Set<String> granted = actions();
        for (String call : calls) {
            if (!granted.contains(call)) {
                throw new AssertionError(call + " is not in " + FILE);
            }
        }
    }
}
