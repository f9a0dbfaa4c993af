package com.leakedkeybot.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.leakedkeybot.attribution.Attribution;
import com.leakedkeybot.blastradius.AccessLevel;
import com.leakedkeybot.blastradius.BlastRadius;
import com.leakedkeybot.blastradius.QuarantineStatus;
import com.leakedkeybot.blastradius.RiskyGrant;
import com.leakedkeybot.blastradius.ScopedDeny;
import com.leakedkeybot.incident.ContainmentCheck;
import com.leakedkeybot.incident.Findings;
import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.PolicyRevert;
import com.leakedkeybot.incident.TrailWatch;
import com.leakedkeybot.investigation.AffectedResource;
import com.leakedkeybot.investigation.CallSource;
import com.leakedkeybot.investigation.DerivedCredential;
import com.leakedkeybot.investigation.EventCategory;
import com.leakedkeybot.investigation.InvestigationReport;
import com.leakedkeybot.investigation.RegionFailure;
import com.leakedkeybot.step.StepId;
import com.leakedkeybot.step.StepKind;
import com.leakedkeybot.step.StepState;
import com.leakedkeybot.testkit.SampleIncidents;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;


class IncidentJsonTest {

    private final IncidentJson json = new IncidentJson();

    @Test
    void idsAreStringsTimesAreIsoAndStepsAreKeyedByName() {
        Incident incident = SampleIncidents.offered(SampleIncidents.newId());

        String text = json.write(incident);

        assertTrue(text.startsWith("{\"id\":\"" + incident.id() + "\",\"keyId\":\"" + incident.keyId() + "\""), text);
        assertTrue(text.contains("\"reportedAt\":\"2026-11-28T14:00:00Z\""), text);
        assertTrue(text.contains("\"steps\":{\"" + StepKind.DEACTIVATE_KEY.name() + "\":"), text);
        assertEquals(incident, json.read(text));
    }

    @Test
    void theInvestigationsFindingsRoundTrip() {
        Instant at = Instant.parse("2026-11-28T15:00:00Z");
        BlastRadius radius = new BlastRadius(BlastRadius.Level.WRITE, Map.of(AccessLevel.WRITE, 3), List.of("s3:PutObject"),
                List.of(new RiskyGrant("iam:PassRole", "why", List.of("iam:PassRole"), 1, List.of("*"))),
                List.of("*"), List.of(new ScopedDeny("deny", List.of("iam:*"), List.of("*"), "{\"Bool\":{}}")),
                List.of(), new QuarantineStatus(List.of("AWSCompromisedKeyQuarantineV3"), List.of("s3:PutObject")), List.of());
        Findings findings = Findings.NONE.withBlastRadius(radius).withTrail(new InvestigationReport(List.of("AKIAX"),
                at, at, 7, List.of(), List.of(), List.of(new AffectedResource(AffectedResource.Kind.IAM_USER, "backdoor",
                null, AffectedResource.Action.CREATED, "us-east-1", "CreateUser", "e1", at, "AKIAX", null, null),
                        new AffectedResource(AffectedResource.Kind.S3_OBJECT, "reports/q3.csv", "finance-data",
                                AffectedResource.Action.CHANGED, "eu-west-1", "PutObject", "e2", at, "ASIAY", null,
                                "3/L4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY+MTRCxf3vjVBH40Nr8X8gdRQBpUMLUo")), 0,
                List.of(new DerivedCredential("ASIAY", "AKIAX", "AssumeRole", "arn:aws:iam::1:role/r", "s", null, null,
                        null, at, "us-east-1")), List.of("us-east-1"), List.of(new RegionFailure("eu-west-3", "denied")),
                List.of(), List.of(new CallSource("0a1b2c3d4e5f", "cloudformation.amazonaws.com", "AWS service",
                        "cloudformation.amazonaws.com", at, at.plusSeconds(60), 3,
                        Map.of(EventCategory.RESOURCE_CREATION, at), List.of("AKIAX"))), 0), at);
        Incident incident = SampleIncidents.offered(SampleIncidents.newId()).withFindings(findings);

        assertEquals(incident, json.read(json.write(incident)));
    }

    @Test
    void policyRevertsRoundTripAndIncidentsStoredBeforeThemStillLoad() throws Exception {
        Instant at = Instant.parse("2026-11-28T15:00:00Z");
        AffectedResource change = new AffectedResource(AffectedResource.Kind.IAM_ROLE_INLINE_POLICY, "app-access",
                "app", AffectedResource.Action.CHANGED, "us-east-1", "PutRolePolicy", "e2", at, "AKIAX", null, null);
        PolicyRevert revert = new PolicyRevert(change, PolicyRevert.Plan.RESTORE, "{\"Statement\":[]}",
                new PolicyRevert.Earlier("{\"Version\":\"2012-10-17\"}", null, "arn:aws:iam::1:user/admin",
                        at.minusSeconds(86_400)), 90);
        Incident incident = SampleIncidents.offered(SampleIncidents.newId())
                .withFindings(Findings.NONE.withPolicyReverts(List.of(revert)));

        String text = json.write(incident);

        assertEquals(incident, json.read(text));
        assertEquals(incident, stateRoundTrip(incident));
        ObjectNode stored = (ObjectNode) new ObjectMapper().readTree(text);
        assertTrue(stored.path("findings").has("policyReverts"), text);
        ((ObjectNode) stored.get("findings")).remove("policyReverts");
        String before = stored.toString();
        assertEquals(List.of(), json.read(before).findings().policyReverts());
        assertEquals(incident.withFindings(Findings.NONE), json.read(before));
    }

    @Test
    void incidentsStoredBeforeAttributionStillLoadWithoutExposureTimeSourcesOrEventSources() throws Exception {
        Instant at = Instant.parse("2026-11-28T15:00:00Z");
        AffectedResource created = new AffectedResource(AffectedResource.Kind.IAM_USER, "backdoor", null,
                AffectedResource.Action.CREATED, "us-east-1", "CreateUser", "e1", at, "AKIAX", null, null,
                "0a1b2c3d4e5f", "203.0.113.9", "aws-cli/2.15.0");
        Incident incident = SampleIncidents.offered(SampleIncidents.newId()).withFindings(new Findings(null, at, 1,
                List.of(created), List.of(), List.of(), List.of(), List.of(new CallSource("0a1b2c3d4e5f",
                "203.0.113.9", null, "aws-cli/2.15.0", at, at, 1, Map.of(EventCategory.PERSISTENCE, at),
                List.of("AKIAX")))));
        assertEquals(incident, json.read(json.write(incident)));
        assertEquals(incident, stateRoundTrip(incident));

        ObjectNode stored = (ObjectNode) new ObjectMapper().readTree(json.write(incident));
        stored.remove("attribution");
        ObjectNode findings = (ObjectNode) stored.get("findings");
        findings.remove("sources");
        for (String field : List.of("sourceId", "sourceIp", "userAgent")) {
            ((ObjectNode) findings.get("affectedResources").get(0)).remove(field);
        }
        Incident before = json.read(stored.toString());

        assertEquals(Attribution.NONE, before.attribution());
        assertEquals(List.of(), before.findings().sources());
        assertEquals(new AffectedResource(AffectedResource.Kind.IAM_USER, "backdoor", null,
                AffectedResource.Action.CREATED, "us-east-1", "CreateUser", "e1", at, "AKIAX", null, null),
                before.findings().affectedResources().get(0));
        assertTrue(before.presume(before.findings().affectedResources().get(0)).attacker(),
                "a change of unknown source is the attacker's, as before sources were kept");
    }

    @Test
    void theWatchsPositionAndContainmentCheckRoundTripAndIncidentsStoredBeforeTheWatchReadAsUnwatched()
            throws Exception {
        Instant at = Instant.parse("2026-11-28T15:00:00Z");
        ContainmentCheck.Call call = new ContainmentCheck.Call(at.plusSeconds(60), "ASIAY34FZKBOEXAMPLE1", "ListBuckets",
                "us-east-1", "203.0.113.7", null, "e9");
        ContainmentCheck.Call denied = new ContainmentCheck.Call(at.plusSeconds(90), "AKIAY34FZKBOKMUTVV7A",
                "CreateUser", "us-east-1", "203.0.113.7", "AccessDenied", "e10");
        TrailWatch watch = new TrailWatch(at.plusSeconds(300), List.of("e10", "e9"), "pid1-abc", at.plusSeconds(300), 2,
                new ContainmentCheck(at, 1, List.of(call), 1, List.of(denied), ContainmentCheck.Verdict.NOT_VERIFIED));
        Incident incident = SampleIncidents.offered(SampleIncidents.newId()).withWatch(watch);

        String text = json.write(incident);

        assertEquals(incident, json.read(text));
        assertEquals(incident, stateRoundTrip(incident));
        ObjectNode stored = (ObjectNode) new ObjectMapper().readTree(text);
        assertEquals("2026-11-28T15:05:00Z", stored.path("watch").path("readUntil").asText(), text);
        stored.remove("watch");
        Incident before = json.read(stored.toString());
        assertEquals(incident.withWatch(null), before);
        assertFalse(before.watched());
    }

    @Test
    void stepsWithATargetAreKeyedByKindAndTargetAndRoundTrip() {
        StepId role = new StepId(StepKind.DEACTIVATE_KEY, "arn:aws:iam::123456789012:role/path/deploy");
        Incident incident = SampleIncidents.offered(SampleIncidents.newId()).withStep(StepState.offered(role, "9.0"));

        String text = json.write(incident);

        assertTrue(text.contains("\"DEACTIVATE_KEY/arn:aws:iam::123456789012:role/path/deploy\":{"), text);
        Incident read = json.read(text);
        assertEquals(incident, read);
        assertEquals("9.0", read.step(role).orElseThrow().messageTs());
        assertEquals(stateRoundTrip(incident), incident);
    }

    @Test
    void stepsStoredBeforeTargetsExistedReadAsSingletons() {
        Incident incident = SampleIncidents.offered(SampleIncidents.newId());
        String old = json.write(incident).replace("\"target\":\"\",", "");

        assertFalse(old.contains("\"target\""), old);
        assertEquals(incident, json.read(old));
    }

    @Test
    void stateAndAuditApartMakeTheSameIncident() throws Exception {
        Incident incident = SampleIncidents.offered(SampleIncidents.newId());

        String state = json.joinFields(json.writeStateFields(incident));

        ObjectNode whole = (ObjectNode) new ObjectMapper().readTree(json.write(incident));
        whole.remove("audit");
        assertEquals(whole, new ObjectMapper().readTree(state), "the incident as a whole, but for its trail");
        assertEquals(incident, json.readState(state, Map.of(),
                json.readEntries(json.writeEntries(incident.audit()))));
    }

    @Test
    void fieldsKeptApartFromTheStateMakeTheSameIncident() {
        Incident incident = SampleIncidents.closedAfterAnAttack();
        Map<String, String> fields = new LinkedHashMap<>(json.writeStateFields(incident));
        Map<String, String> apart = Map.of("findings", fields.remove("findings"), "steps", fields.remove("steps"));

        String rest = json.joinFields(fields);

        assertFalse(rest.contains("\"findings\"") || rest.contains("\"steps\""), rest);
        assertEquals(incident, json.readState(rest, apart, incident.audit()));
    }

    private Incident stateRoundTrip(Incident incident) {
        return json.readState(json.joinFields(json.writeStateFields(incident)), Map.of(), incident.audit());
    }

    @Test
    void storedDataIsValidatedLikeFreshDataAndErrorsDoNotQuoteIt() {
        String text = json.write(SampleIncidents.offered(SampleIncidents.newId()))
                .replace(SampleIncidents.KEY.value(), "not-a-key-id-SECRETISH");

        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> json.read(text));

        assertFalse(refused.getMessage().contains("SECRETISH"), refused.getMessage());
    }

    @Test
    void openIncidentsNeverExpireAndClosedOnesExpireAfterTheRetention() {
        Retention retention = Retention.ofClosedIncidents(Duration.ofDays(90));
        Incident open = SampleIncidents.offered(SampleIncidents.newId());
        Instant closed = Instant.parse("2026-12-01T00:00:00Z");

        assertEquals(Optional.empty(), retention.expiresAt(open));
        assertEquals(Optional.of(closed.plus(Duration.ofDays(90))), retention.expiresAt(open.closed(closed)));
    }

    @Test
    void closingRoundTripsAndIncidentsStoredBeforeClosingExistedReadAsOpen() {
        Incident closed = SampleIncidents.offered(SampleIncidents.newId()).closed(Instant.parse("2026-12-01T00:00:00Z"));
        String text = json.write(closed);

        assertEquals(closed, json.read(text));
        assertTrue(text.contains("\"closedAt\":\"2026-12-01T00:00:00Z\""), text);
        Incident older = json.read(text.replace(",\"closedAt\":\"2026-12-01T00:00:00Z\"", ""));
        assertFalse(older.isClosed());
        assertEquals(closed.audit(), older.audit());
    }
}
