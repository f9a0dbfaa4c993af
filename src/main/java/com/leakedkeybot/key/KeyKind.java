package com.leakedkeybot.key;

import java.util.Arrays;

/** What the four-character prefix of a key id says about the credential. */
public enum KeyKind {
    LONG_TERM("AKIA", "a long-term access key of an IAM user or the root user"),
    TEMPORARY("ASIA", "a temporary (STS) access key"),
    BEARER_TOKEN("ABIA", "an AWS STS service bearer token"),
    CONTEXT_SPECIFIC("ACCA", "a context-specific credential"),
    UNKNOWN("", "not a credential prefix this bot knows");

    private final String prefix;
    private final String description;

    KeyKind(String prefix, String description) {
        this.prefix = prefix;
        this.description = description;
    }

    public static KeyKind ofPrefix(String prefix) {
        return Arrays.stream(values()).filter(k -> k.prefix.equals(prefix)).findFirst().orElse(UNKNOWN);
    }

    public String prefix() {
        return prefix;
    }

    public String description() {
        return description;
    }

    /** The bot opens incidents for AKIA and ASIA keys; anything else is explained instead. */
    public boolean supported() {
        return this == LONG_TERM || this == TEMPORARY;
    }
}
