package com.leakedkeybot.blastradius;

import java.util.List;

/**
 * Whether AWS's quarantine policy is on the key's owner, and what it still lets through.
 *
 * @param policies the quarantine policies found, e.g. {@code AWSCompromisedKeyQuarantineV3}
 * @param leftOpen commonly abused actions the quarantine does not deny, e.g. {@code secretsmanager:GetSecretValue}
 */
public record QuarantineStatus(List<String> policies, List<String> leftOpen) {

    public boolean quarantined() {
        return !policies.isEmpty();
    }
}
