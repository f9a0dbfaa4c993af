package com.leakedkeybot.remediation.port;

import java.util.Optional;

/** Where a new key's secret waits for its owner (Secrets Manager): the only place the bot ever puts it. */
public interface SecretVault {

    /** @return the secret's ARN, which is all anyone is told */
    String store(String name, KeyRotation.NewKey key);

    Optional<String> arnOf(String name);
}
