package com.leakedkeybot.remediation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;

/**
 * The deny policies that end temporary credentials (see aws-facts.md, "Containment"), built as JSON trees rather than
 * by pasting strings, so no name or time can break out of its place, and checked against IAM's size limits.
 */
public final class RevocationPolicies {

    /** The bot's inline policy on the key's user; a fixed name, so a second revocation replaces the first. */
    public static final String USER_POLICY = "LeakedKeyBotRevokeOlderSessions";
    /** On a role: the attacker's sessions only, or (fallback) every session older than the approval. */
    public static final String ROLE_POLICY = "LeakedKeyBotRevokeAttackerSessions";
    /** IAM's limits on the size of inline policies. */
    static final int USER_LIMIT = 2048;
    static final int ROLE_LIMIT = 10_240;

    private static final ObjectMapper JSON = new ObjectMapper();

    private RevocationPolicies() {
    }

    /**
     * Denies everything to the user's temporary credentials issued before {@code before} (its new long-term key, which
     * has no token issue time, keeps working), and to its federated-user sessions outright: one public write-up
     * reports that GetFederationToken sessions escape the first form.
     */
    public static String user(Instant before) {
        return checked(document(
                denyAll("RevokeSessionsIssuedBeforeApproval", "DateLessThan", "aws:TokenIssueTime", iso(before)),
                denyAll("RevokeFederatedUserSessions", "StringEquals", "aws:PrincipalType", "FederatedUser")),
                USER_LIMIT);
    }

    /**
     * Denies everything to the named sessions of a role issued before {@code before}: the role's other users are not
     * affected, and neither is a later session that reuses a name (a pipeline with a fixed session name works again
     * once it starts a new session).
     */
    public static String roleSessions(String roleId, Collection<String> sessionNames, Instant before) {
        ArrayNode userIds = JSON.createArrayNode();
        sessionNames.stream().sorted().forEach(name -> userIds.add(roleId + ":" + name));
        ObjectNode statement = denyAll("RevokeAttackerSessionsIssuedBeforeApproval", "StringLike", "aws:userid",
                userIds);
        ((ObjectNode) statement.get("Condition")).putObject("DateLessThan").put("aws:TokenIssueTime", iso(before));
        return checked(document(statement), ROLE_LIMIT);
    }

    /** The console's "revoke active sessions": every session of the role issued before {@code before}. */
    public static String roleOlderSessions(Instant before) {
        return checked(document(denyAll("RevokeOlderSessions", "DateLessThan", "aws:TokenIssueTime", iso(before))),
                ROLE_LIMIT);
    }

    /** Whether two policy documents say the same (IAM may change whitespace and encoding, not content). */
    public static boolean same(String expected, String actual) {
        try {
            return JSON.readTree(expected).equals(JSON.readTree(actual));
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    private static String iso(Instant at) {
        return at.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static ObjectNode denyAll(String sid, String operator, String key, Object value) {
        ObjectNode statement = JSON.createObjectNode().put("Sid", sid).put("Effect", "Deny").put("Action", "*")
                .put("Resource", "*");
        ObjectNode condition = statement.putObject("Condition").putObject(operator);
        if (value instanceof JsonNode node) {
            condition.set(key, node);
        } else {
            condition.put(key, value.toString());
        }
        return statement;
    }

    private static ObjectNode document(ObjectNode... statements) {
        ObjectNode document = JSON.createObjectNode().put("Version", "2012-10-17");
        ArrayNode list = document.putArray("Statement");
        for (ObjectNode statement : statements) {
            list.add(statement);
        }
        return document;
    }

    private static String checked(ObjectNode document, int limit) {
        String text = document.toString();
        if (text.length() > limit) {
            throw new IllegalArgumentException("revocation policy of " + text.length() + " characters exceeds IAM's "
                    + limit);
        }
        return text;
    }
}
