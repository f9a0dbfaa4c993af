package com.leakedkeybot.testkit;

import com.leakedkeybot.blastradius.IamWildcards;
import com.leakedkeybot.blastradius.PolicyDocument;
import com.leakedkeybot.blastradius.PolicyStatement;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The bot's own IAM policy file, iam/leaked-key-bot-policy.json, and what it decides for one action on one resource,
 * matched as IAM matches (actions case-insensitive, ARNs case-sensitive, {@code *} spanning {@code /}). Conditions are
 * not evaluated: an Allow counts whatever its Condition (the worst case), a Deny only when it has none, or exactly the
 * one asked about.
 */
public final class BotPolicy {

    public static final Path FILE = Path.of("iam/leaked-key-bot-policy.json");

    private BotPolicy() {
    }

    /** The document as written, e.g. to give it to a principal. */
    public static String json() {
        try {
            return Files.readString(FILE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every action an Allow statement grants (Deny statements only take away); fails on an Allow by NotAction. */
    public static Set<String> actions() {
        Set<String> actions = new TreeSet<>();
        for (PolicyStatement statement : statements(PolicyStatement.Effect.ALLOW)) {
            if (statement.notAction()) {
                throw new AssertionError("the bot's policy should allow actions by name: " + statement);
            }
            statement.actions().forEach(a -> actions.add(a.text()));
        }
        return actions;
    }

    /** Whether an Allow statement grants the action on the resource, its Condition taken as met. */
    public static boolean allows(String action, String arn) {
        return any(PolicyStatement.Effect.ALLOW, action, arn, statement -> true);
    }

    /** Whether a Deny statement without a Condition refuses the action on the resource, whatever the request. */
    public static boolean deniesAlways(String action, String arn) {
        return any(PolicyStatement.Effect.DENY, action, arn, statement -> !statement.conditional());
    }

    /** Whether a Deny statement whose Condition is exactly {@code condition} (compact JSON) refuses it. */
    public static boolean deniesWhen(String condition, String action, String arn) {
        return any(PolicyStatement.Effect.DENY, action, arn, statement -> condition.equals(statement.condition()));
    }

    private static boolean any(PolicyStatement.Effect effect, String action, String arn,
                               Predicate<PolicyStatement> condition) {
        return statements(effect).stream().anyMatch(statement -> statement.covers(action) && reaches(statement, arn)
                && condition.test(statement));
    }

    private static boolean reaches(PolicyStatement statement, String arn) {
        boolean listed = statement.resources().stream().anyMatch(r -> IamWildcards.regex(r).matcher(arn).matches());
        return listed != statement.notResource();
    }

    /** The statements of one effect, as the blast-radius analysis parses policies. */
    public static List<PolicyStatement> statements(PolicyStatement.Effect effect) {
        return PolicyDocument.parse("leaked-key-bot-policy", null, json()).statements().stream()
                .filter(s -> s.effect() == effect).toList();
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
