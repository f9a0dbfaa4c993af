package com.leakedkeybot.remediation.port;

import java.time.LocalDate;
import java.util.Optional;

/**
 * Where a new key's secret waits for its owner (Secrets Manager): the only place the bot ever puts it. A secret is
 * created empty and guarded first; the key's secret goes in last, so it never exists unguarded.
 */
public interface SecretVault {

    /** @param holdsValue whether a key's secret was put in it (an empty one is what an interrupted rotation leaves) */
    record Secret(String arn, boolean holdsValue) {
    }

    /** The ARN every secret of this name has: Secrets Manager appends {@code -} and six random characters. */
    String arnPattern(String name);

    Optional<Secret> find(String name);

    /** Creates the secret without a value. @return its ARN, which is all anyone is told */
    String create(String name);

    /**
     * Denies every principal but IAM user {@code ownerUserName} and the bot itself (a resource policy), and tags the
     * secret with the day after which it should be deleted.
     */
    void guard(String arn, String ownerUserName, LocalDate deleteAfter);

    void putValue(String arn, KeyRotation.NewKey key);
}
