package com.leakedkeybot.config;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How the bot reaches the organization's other accounts: it assumes {@code roleName} in the key's account (with
 * {@code externalId} when the role's trust asks for one), and acts only in {@code allowedAccounts} — every account
 * whose role it can assume when that is empty.
 */
public record MemberAccess(String roleName, Optional<String> externalId, Set<String> allowedAccounts) {

    public static final String DEFAULT_ROLE_NAME = "LeakedKeyBotResponder";
    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");
    /** IAM's own rules for role names and sts:AssumeRole's ExternalId. */
    private static final Pattern ROLE_NAME = Pattern.compile("[\\w+=,.@-]{1,64}");
    private static final Pattern EXTERNAL_ID = Pattern.compile("[\\w+=,.@:/-]{2,1224}");

    public MemberAccess {
        allowedAccounts = Set.copyOf(allowedAccounts);
    }

    public boolean allows(String account) {
        return allowedAccounts.isEmpty() || allowedAccounts.contains(account);
    }

    /** The external id is shared with every member account's trust policy: kept out of logs like a secret. */
    @Override
    public String toString() {
        return "MemberAccess[roleName=" + roleName + ", externalId=" + (externalId.isPresent() ? "set" : "unset")
                + ", allowedAccounts=" + (allowedAccounts.isEmpty() ? "any" : allowedAccounts) + "]";
    }

    static MemberAccess fromEnvironment(Map<String, String> env) {
        String role = Settings.optional(env, "MEMBER_ROLE_NAME").orElse(DEFAULT_ROLE_NAME);
        if (!ROLE_NAME.matcher(role).matches()) {
            throw new InvalidSettingException("MEMBER_ROLE_NAME", "must be an IAM role name (1-64 of A-Z a-z 0-9 +=,.@_-)");
        }
        Optional<String> externalId = Settings.optional(env, "MEMBER_ROLE_EXTERNAL_ID");
        if (externalId.isPresent() && !EXTERNAL_ID.matcher(externalId.get()).matches()) {
            throw new InvalidSettingException("MEMBER_ROLE_EXTERNAL_ID",
                    "must be 2-1224 of A-Z a-z 0-9 +=,.@:/_- (sts:AssumeRole's ExternalId)");
        }
        Set<String> accounts = new LinkedHashSet<>(Settings.commaSeparated(env, "ACCOUNTS", ACCOUNT_ID,
                "must be comma-separated 12-digit AWS account ids"));
        return new MemberAccess(role, externalId, accounts);
    }
}
