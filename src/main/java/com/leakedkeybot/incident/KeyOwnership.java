package com.leakedkeybot.incident;

/** Whose key it is, as far as this account can tell. Only {@link #IAM_USER} keys can be switched off by the bot. */
public enum KeyOwnership {
    IAM_USER,
    ROOT_USER,
    /** Another account the bot may not act in ({@code ACCOUNTS}), or, in incidents of older versions, any other. */
    FOREIGN_ACCOUNT,
    /** Another account whose responder role the bot could not assume. */
    ACCOUNT_UNREACHABLE,
    NOT_FOUND,
    TEMPORARY_CREDENTIAL,
    UNVERIFIED;

    /** Whether the bot can read the key's account at all: the investigation runs only there. */
    public boolean reachable() {
        return this != FOREIGN_ACCOUNT && this != ACCOUNT_UNREACHABLE;
    }

    public boolean deactivatable() {
        return this == IAM_USER;
    }
}
