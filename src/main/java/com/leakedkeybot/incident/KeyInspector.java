package com.leakedkeybot.incident;

import com.leakedkeybot.key.AccessKeyId;

/** Looks a reported key up in the account. Never throws for lookup failures: they become {@link KeyFacts#lookupProblems()}. */
public interface KeyInspector {
    KeyFacts inspect(AccessKeyId keyId);
}
