package com.leakedkeybot.investigation;

import java.time.Instant;

/** The growing form of a {@link KeyActivity}. */
final class KeyTally {

    private final CappedSet sourceIps = new CappedSet(100);
    private final CappedSet userAgents = new CappedSet(25);
    private final CappedSet regions = new CappedSet(50);
    private final CappedSet principals = new CappedSet(10);
    private long count;
    private Instant firstSeen;
    private Instant lastSeen;

    void add(TrailEvent event) {
        count++;
        if (firstSeen == null || event.eventTime().isBefore(firstSeen)) {
            firstSeen = event.eventTime();
        }
        if (lastSeen == null || event.eventTime().isAfter(lastSeen)) {
            lastSeen = event.eventTime();
        }
        sourceIps.add(event.sourceIp());
        userAgents.add(event.userAgent());
        regions.add(event.awsRegion());
        principals.add(event.principalArn());
    }

    KeyActivity snapshot(String accessKeyId, DerivedCredential origin) {
        return new KeyActivity(accessKeyId, origin, count, firstSeen, lastSeen, sourceIps.values(),
                userAgents.values(), regions.values(), principals.values(),
                sourceIps.overflowed() || userAgents.overflowed() || regions.overflowed() || principals.overflowed());
    }
}
