package com.leakedkeybot.aws;

import java.util.List;

/**
 * The bot as AWS policies name it, from {@code sts:GetCallerIdentity}. A policy matches a role session by its role
 * ({@code aws:PrincipalArn}), never by the session, so the session ARN returned for an assumed role
 * ({@code arn:aws:sts::123456789012:assumed-role/LeakedKeyBot/i-0abc}) is kept as the role's
 * ({@code arn:aws:iam::123456789012:role/LeakedKeyBot}); any other caller (an IAM user) is kept as it is.
 *
 * @param arn the principal ARN a policy names the bot by
 */
public record BotPrincipal(String account, String arn) {

    private static final String ASSUMED_ROLE = ":assumed-role/";

    public static BotPrincipal ofCaller(String account, String callerArn) {
        int role = callerArn.indexOf(ASSUMED_ROLE);
        if (!callerArn.contains(":sts::") || role < 0) {
            return new BotPrincipal(account, callerArn);
        }
        String roleName = callerArn.substring(role + ASSUMED_ROLE.length()).split("/", 2)[0];
        return new BotPrincipal(account, "arn:" + partitionOf(callerArn) + ":iam::" + account + ":role/" + roleName);
    }

    /** {@code aws}, or {@code aws-cn}, {@code aws-us-gov}: every ARN the bot writes is in its own partition. */
    public String partition() {
        return partitionOf(arn);
    }

    /**
     * {@code ArnLike} patterns for this principal. A session ARN does not carry its role's IAM path, while
     * {@code aws:PrincipalArn} does; role names are unique in an account whatever their path, so the name at any path
     * is this role and no other.
     */
    public List<String> arnPatterns() {
        int role = arn.indexOf(":role/");
        return role < 0 ? List.of(arn) : atAnyPath("role", arn.substring(role + ":role/".length()));
    }

    /** {@code ArnLike} patterns for a user or role of the bot's account, by name at any path (names are unique). */
    public List<String> atAnyPath(String kind, String name) {
        String base = "arn:" + partition() + ":iam::" + account + ":" + kind + "/";
        return List.of(base + name, base + "*/" + name);
    }

    private static String partitionOf(String arn) {
        return arn.split(":", 3)[1];
    }
}
