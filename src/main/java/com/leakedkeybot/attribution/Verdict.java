package com.leakedkeybot.attribution;

/** Whose a source's calls are: the key's owner's (its baseline), or the attacker's. */
public enum Verdict {
    ATTACKER, OWNER
}
