package com.leakedkeybot.investigation;

import java.time.Instant;
import java.util.List;

/**
 * What one access key did in the scanned window.
 *
 * @param origin     how the key was minted, or null for a key the investigation started from
 * @param firstSeen  null when the key has no events
 * @param truncated  some IPs, user agents or principals were dropped to bound memory
 */
public record KeyActivity(
        String accessKeyId,
        DerivedCredential origin,
        long eventCount,
        Instant firstSeen,
        Instant lastSeen,
        List<String> sourceIps,
        List<String> userAgents,
        List<String> regions,
        List<String> principals,
        boolean truncated) {
}
