package com.leakedkeybot.testkit;

import com.leakedkeybot.attribution.Attribution;
import com.leakedkeybot.attribution.SourceMark;
import com.leakedkeybot.attribution.Verdict;
import com.leakedkeybot.audit.AuditEntry;
import com.leakedkeybot.incident.Findings;
import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.IncidentId;
import com.leakedkeybot.incident.KeyFacts;
import com.leakedkeybot.incident.KeyOwnership;
import com.leakedkeybot.incident.ThreadRef;
import com.leakedkeybot.investigation.AffectedResource;
import com.leakedkeybot.investigation.DerivedCredential;
import com.leakedkeybot.key.AccessKeyId;
import com.leakedkeybot.step.StepId;
import com.leakedkeybot.step.StepKind;
import com.leakedkeybot.step.StepOutcome;
import com.leakedkeybot.step.StepState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
                .withFacts(new KeyFacts(KEY, Optional.of("609629065308"), "609629065308", "609629065308", null, null,
                        KeyOwnership.IAM_USER, "dev-alice", "Active", AT.minusSeconds(86_400),
                        new KeyFacts.LastUse(AT.minusSeconds(3_600), "s3", "eu-west-1"),
                        List.of("iam:ListAccessKeys: Throttling — slow down")))
                .withStep(StepState.offered(StepKind.DEACTIVATE_KEY, "1700000000.000300"))
                .withAttribution(new Attribution(AT.minusSeconds(7_200), "U0REPORTER", AT.minusSeconds(9_000), null,
                        Map.of("0a1b2c3d4e5f", new SourceMark(Verdict.OWNER, "U0APPROVER", AT)), "1700000000.000400"))
                .audited(new AuditEntry(AT, AuditEntry.BOT, "offered Deactivate key", "waiting for an approver"));
    }

    /**
     * An attack at 13:10–13:20, reported at 14:00, a failed then a successful deactivation, closed at
     * 15:00, a rotation never run and a failed clean-up left behind.
     */
    public static Incident closedAfterAnAttack() {
        Instant attack = Instant.parse("2026-11-28T13:10:00Z");
        Findings findings = new Findings(null, AT.plusSeconds(600), 42,
                List.of(new AffectedResource(AffectedResource.Kind.IAM_USER, "backdoor", null,
                        AffectedResource.Action.CREATED, "us-east-1", "CreateUser", "e2", attack.plusSeconds(600),
                        KEY.value(), null, null)),
                List.of(new DerivedCredential("ASIAY34FZKBOEXAMPLE1", KEY.value(), "AssumeRole",
                        "arn:aws:iam::609629065308:role/admin", "s", null, null, null, attack, "us-east-1")),
                List.of(), List.of());
        StepId deactivate = StepId.of(StepKind.DEACTIVATE_KEY);
        StepId rotate = StepId.of(StepKind.ROTATE_KEY);
        StepId cleanUp = new StepId(StepKind.CLEAN_UP, "IAM_USER|us-east-1||backdoor");
        StepId close = StepId.of(StepKind.CLOSE_INCIDENT);
        return Incident.reported(new IncidentId("LK-20261128-ABCDEFGH"), KEY, "U0REPORTER", AT, false)
                .withFindings(findings)
                .withStep(StepState.offered(deactivate, "1.1").running("U0APPROVER", at("14:01"), "p")
                        .finished(StepOutcome.success("Inactive"), at("14:05")))
                .withStep(StepState.offered(rotate, "1.2"))
                .withStep(StepState.offered(cleanUp, "1.3").running("U0SECOND", at("14:20"), "p")
                        .finished(StepOutcome.failure("denied", "ask"), at("14:21")))
                .withStep(StepState.offered(close, "1.4").running("U0SECOND", at("15:00"), "p"))
                .audited(new AuditEntry(at("14:01"), "U0APPROVER", "approved Deactivate key", "executing"))
                .audited(AuditEntry.stepFinished(at("14:02"), StepId.of(StepKind.DEACTIVATE_KEY), "Deactivate key", false, "Throttling"))
                .audited(AuditEntry.stepFinished(at("14:05"), StepId.of(StepKind.DEACTIVATE_KEY), "Deactivate key (re-checked after a restart)", true,
                        "Key is now Inactive"))
                .audited(AuditEntry.stepFinished(at("14:30"), StepId.of(StepKind.DEACTIVATE_KEY), "Deactivate key", true, "again"))
                .closed(at("15:00"));
    }

    private static Instant at(String hhmm) {
        return Instant.parse("2026-11-28T" + hhmm + ":00Z");
    }
}
