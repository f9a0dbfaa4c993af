package com.leakedkeybot.testkit;

import com.leakedkeybot.audit.AuditEntry;
import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.IncidentId;
import com.leakedkeybot.incident.KeyFacts;
import com.leakedkeybot.incident.KeyOwnership;
import com.leakedkeybot.incident.ThreadRef;
import com.leakedkeybot.key.AccessKeyId;
import com.leakedkeybot.remediation.StepKind;
import com.leakedkeybot.remediation.StepState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** Incidents as the bot stores them after opening: thread, key facts and an offered step, every field filled. */
public final class SampleIncidents {

    public static final Instant AT = Instant.parse("2026-11-28T14:00:00Z");
    public static final AccessKeyId KEY = new AccessKeyId("AKIAY34FZKBOKMUTVV7A");
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private SampleIncidents() {
    }

    /** A unique id on every call. */
    public static IncidentId newId() {
        return IncidentId.newId(AT);
    }

    /** A unique thread on every call, as Slack's timestamps are. */
    public static ThreadRef newThread() {
        return new ThreadRef("C0INCIDENT", "1700000000." + String.format("%06d", SEQUENCE.incrementAndGet()));
    }

    public static Incident offered(IncidentId id) {
        return Incident.reported(id, KEY, "U0REPORTER", AT, true)
                .withThread(newThread())
                .withFacts(new KeyFacts(KEY, Optional.of("609629065308"), "609629065308", "609629065308",
                        KeyOwnership.IAM_USER, "dev-alice", "Active", AT.minusSeconds(86_400),
                        new KeyFacts.LastUse(AT.minusSeconds(3_600), "s3", "eu-west-1"),
                        List.of("iam:ListAccessKeys: Throttling — slow down")))
                .withStep(StepState.offered(StepKind.DEACTIVATE_KEY, "1700000000.000300"))
                .audited(new AuditEntry(AT, AuditEntry.BOT, "offered Deactivate key", "waiting for an approver"));
    }
}
