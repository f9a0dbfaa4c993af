package com.leakedkeybot.incident;

/** Whose key it is, as far as this account can tell. Only {@link #IAM_USER} keys can be switched off by the bot. */
public enum KeyOwnership {
    IAM_USER,
    ROOT_USER,
    FOREIGN_ACCOUNT,
    NOT_FOUND,
    TEMPORARY_CREDENTIAL,
    UNVERIFIED;

    public boolean deactivatable() {
        return this == IAM_USER;
    }
}
