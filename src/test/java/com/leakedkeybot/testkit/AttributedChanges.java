package com.leakedkeybot.testkit;

import com.leakedkeybot.attribution.Attribution;
import com.leakedkeybot.incident.Findings;
import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.PolicyRevert;
import com.leakedkeybot.investigation.AffectedResource;
import com.leakedkeybot.investigation.CallSource;
import com.leakedkeybot.investigation.EventCategory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An incident whose key was used by its owner's CI before and after the exposure time and by an attacker after it,
 * with the changes each made: for tests of what is proposed for whom.
 */
public final class AttributedChanges {

    public static final Instant EXPOSED = Instant.parse("2026-11-20T10:00:00Z");
    public static final CallSource OWNER = new CallSource("0000000c1c1c", "198.51.100.20", null, "aws-cli/2.15.0 ci",
            EXPOSED.minus(Duration.ofDays(30)), EXPOSED.plus(Duration.ofHours(2)), 400,
            Map.of(EventCategory.RESOURCE_CREATION, EXPOSED.minus(Duration.ofDays(30))), List.of("AKIAY34FZKBOKMUTVV7A"));
    public static final CallSource ATTACKER = new CallSource("000000a7a7a7", "203.0.113.66", null, "Boto3/1.34",
            EXPOSED.plus(Duration.ofMinutes(5)), EXPOSED.plus(Duration.ofHours(1)), 40,
            Map.of(EventCategory.PERSISTENCE, EXPOSED.plus(Duration.ofMinutes(5))), List.of("AKIAY34FZKBOKMUTVV7A"));

    private AttributedChanges() {
    }

    /** A change from {@code source}, {@code minutes} after the exposure time (negative: before it). */
    public static AffectedResource change(CallSource source, AffectedResource.Kind kind, String id, String parent,
                                          AffectedResource.Action action, String eventName, long minutes) {
        return new AffectedResource(kind, id, parent, action, "us-east-1", eventName, "ev-" + id,
                EXPOSED.plus(Duration.ofMinutes(minutes)), "AKIAY34FZKBOKMUTVV7A", null, null, source.id(),
                source.sourceIp(), source.userAgent());
    }

    /** The sample incident with these changes and reverts, both sources, and the exposure time given. */
    public static Incident incident(List<AffectedResource> changes, List<PolicyRevert> reverts) {
        return SampleIncidents.offered(SampleIncidents.newId())
                .withFindings(new Findings(null, EXPOSED.plus(Duration.ofHours(3)), changes.size(), changes, List.of(),
                        List.of(), reverts, List.of(OWNER, ATTACKER)))
                .withAttribution(Attribution.NONE.exposed(EXPOSED, "U0REPORTER"));
    }
}
