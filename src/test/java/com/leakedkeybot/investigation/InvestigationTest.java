package com.leakedkeybot.investigation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.leakedkeybot.sandbox.InMemoryTrail.FakeEvent;
import com.leakedkeybot.sandbox.TrailEvents;
import com.leakedkeybot.testkit.CloudTrailDatasets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InvestigationTest {

    private static final Instant FROM = Instant.parse("2024-05-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2024-12-31T00:00:00Z");

    private static Investigation investigation(String... keys) {
        return new Investigation(List.of(keys), FROM, TO);
    }

    private static void record(Investigation investigation, List<ObjectNode> events) {
        events.forEach(e -> investigation.record(TrailEvent.parse(e.toString())));
    }

    @Test
    void countsCategoriesAndKeepsPerKeyActivity() {
        Investigation investigation = investigation("AKIAOZUDECYXYM4ONAN4");
        record(investigation, CloudTrailDatasets.stratus("aws.persistence.iam-create-admin-user"));
        InvestigationReport report = investigation.report();

        assertEquals(3, report.totalEvents());
        Map<EventCategory, Long> counts = report.countsByCategory();
        assertEquals(2L, counts.get(EventCategory.PERSISTENCE));
        assertEquals(1L, counts.get(EventCategory.PRIVILEGE_ESCALATION));
        assertEquals(0L, counts.get(EventCategory.DENIED));
        assertEquals(List.of(EventCategory.PRIVILEGE_ESCALATION, EventCategory.PERSISTENCE),
                report.categories().stream().map(CategorySummary::category).toList());

        KeyActivity key = report.keys().get(0);
        assertEquals("AKIAOZUDECYXYM4ONAN4", key.accessKeyId());
        assertEquals(3, key.eventCount());
        assertEquals(Instant.parse("2024-08-01T13:33:28Z"), key.firstSeen());
        assertEquals(List.of("ap-isob-central-3r"), key.regions());
        assertEquals(List.of("arn:aws:iam::229654561268:user/christophe"), key.principals());
        assertEquals(report.sourceIps(), java.util.Set.copyOf(key.sourceIps()));
        assertEquals(3, report.affectedResources().size());
    }

    @Test
    void notableEventsReadAsOneLine() {
        Investigation investigation = investigation("AKIAOZUDECYXYM4ONAN4");
        record(investigation, CloudTrailDatasets.stratus("aws.persistence.iam-create-admin-user"));
        List<String> persistence = investigation.report().notableEvents(EventCategory.PERSISTENCE).stream()
                .map(NotableEvent::summary).toList();
        String ip = CloudTrailDatasets.stratus("aws.persistence.iam-create-admin-user").get(0).path("sourceIPAddress").asText();
        assertTrue(persistence.contains("CreateAccessKey: created access key AKIAXAFZN8JEPF6L682H of user malicious-iam-user"
                + " — iam in ap-isob-central-3r, key AKIAOZUDECYXYM4ONAN4 from " + ip), persistence.toString());
        assertTrue(persistence.contains("CreateUser: created IAM user malicious-iam-user — iam in ap-isob-central-3r,"
                + " key AKIAOZUDECYXYM4ONAN4 from " + ip), persistence.toString());
    }

    @Test
    void repeatedReadsCollapseIntoOneEntryWithACountAndTheirTargets() {
        Investigation investigation = investigation("AKIA1JMTHE9ZMZMWG0MG");
        record(investigation, CloudTrailDatasets.stratus("aws.credential-access.secretsmanager-retrieve-secrets"));
        List<NotableEvent> credentialAccess = investigation.report().notableEvents(EventCategory.CREDENTIAL_ACCESS);
        assertEquals(1, credentialAccess.size());
        NotableEvent reads = credentialAccess.get(0);
        assertEquals(20, reads.count());
        assertEquals(10, reads.targets().size(), "targets are sampled, at most ten");
        assertTrue(reads.truncated());
        assertTrue(reads.summary().startsWith("GetSecretValue ×20 on arn:aws:secretsmanager:cn-centraleast-1r:903144391865:secret:"),
                reads.summary());
        assertTrue(reads.summary().contains("(+7 or more)"), reads.summary());
    }

    @Test
    void refusedCallsCountInTheirCategoryAndAgainAsDeniedWritesFirst() {
        Investigation investigation = investigation("AKIAWOGXN38MFN92ING5", "AKIA0000RUNINSTANCES");
        record(investigation, CloudTrailDatasets.stratus("aws.credential-access.ec2-get-password-data"));
        // A refused write, later than every GetPasswordData: still listed before the refused reads.
        investigation.record(TrailEvent.parse(TrailEvents.event("run", Instant.parse("2024-07-31T00:00:00Z"), "us-east-1",
                "AKIA0000RUNINSTANCES", "ec2.amazonaws.com", "RunInstances").readOnly(false)
                .error("Client.UnauthorizedOperation").json()));
        InvestigationReport report = investigation.report();
        CategorySummary denied = report.category(EventCategory.DENIED).orElseThrow();
        assertEquals(33, denied.count());
        assertEquals(List.of("RunInstances", "AssumeRole", "GetPasswordData"),
                denied.notable().stream().map(NotableEvent::action).toList());
        CategorySummary credentialAccess = report.category(EventCategory.CREDENTIAL_ACCESS).orElseThrow();
        assertEquals(30, credentialAccess.count());
        assertEquals(30, credentialAccess.deniedCount());
        assertEquals("GetPasswordData ×30 denied (Client.UnauthorizedOperation) on i-i2jnm5swa59p4fxg, i-aq9pmsueolxr81r5,"
                        + " i-x7jwh6qy39glvq1r (+7 or more) — ec2 in apiso-northsouth-3r,"
                        + " key ASIANQQHHS551LWULIWD from " + CloudTrailDatasets.stratus("aws.credential-access.ec2-get-password-data")
                        .get(0).path("sourceIPAddress").asText(),
                credentialAccess.notable().get(0).summary());
    }

    @Test
    void alarmingFindingsAreAnnouncedOnceAndOnlyWhenTheySucceeded() {
        List<NotableEvent> announced = new ArrayList<>();
        Investigation investigation = new Investigation(List.of("AKIAWOGXN38MFN92ING5"), FROM, TO,
                EventClassifier.standard(), AffectedResourceExtractor.standard(), announced::add);
        record(investigation, CloudTrailDatasets.stratus("aws.credential-access.ec2-get-password-data"));
        // GetPasswordData was refused every time; the successful AssumeRole is announced once.
        assertEquals(List.of("AssumeRole"), announced.stream().map(NotableEvent::action).toList());
        assertEquals(EventCategory.TEMPORARY_CREDENTIALS, announced.get(0).category());
    }

    @Test
    void theReportHoldsNoSessionTokenAndNamesTheMintedKey() {
        Investigation investigation = investigation("AKIA6V1GNZTT65XQH36M");
        List<ObjectNode> events = CloudTrailDatasets.stratus("aws.persistence.sts-federation-token");
        String token = events.get(0).path("responseElements").path("credentials").path("sessionToken").asText();
        Optional<DerivedCredential> minted = investigation.record(TrailEvent.parse(events.get(0).toString()));
        assertEquals("ASIASTJKC5GCM7ZE6LUP", minted.orElseThrow().accessKeyId());
        assertEquals(Optional.empty(), investigation.record(TrailEvent.parse(events.get(0).toString())), "reported once");
        investigation.record(TrailEvent.parse(events.get(1).toString()));
        InvestigationReport report = investigation.report();
        assertFalse(report.toString().contains(token));
        assertEquals(List.of("AKIA6V1GNZTT65XQH36M", "ASIASTJKC5GCM7ZE6LUP"),
                report.keys().stream().map(KeyActivity::accessKeyId).toList());
        assertEquals("GetFederationToken", report.keys().get(1).origin().mintedBy());
        assertEquals(1, report.keys().get(1).eventCount());
    }

    @Test
    void coverageNotesSayWhatLookupEventsCannotShow() {
        Investigation investigation = investigation("AKIANOTHINGHAPPENED0");
        investigation.regionScanned("us-east-1");
        investigation.regionFailed("eu-west-3", "UnrecognizedClientException: The security token included in the request is invalid.");
        InvestigationReport report = investigation.report();
        assertEquals(Investigation.LOOKUP_COVERAGE, report.coverageNotes().get(0));
        assertTrue(report.coverageNotes().get(0).contains("last 90 days") && report.coverageNotes().get(0).contains("S3 object"));
        assertTrue(report.coverageNotes().stream().anyMatch(n -> n.startsWith("No management events were found")));
        assertTrue(report.coverageNotes().stream().anyMatch(n -> n.contains("eu-west-3")));
        assertEquals(List.of("us-east-1"), report.scannedRegions());
        assertEquals(List.of(new RegionFailure("eu-west-3",
                "UnrecognizedClientException: The security token included in the request is invalid.")), report.failedRegions());
        assertFalse(report.complete());
    }

    @Test
    void aHundredThousandEventsAreCountedExactlyWithBoundedSamples() {
        Investigation investigation = investigation("AKIASYNTHETIC0000001");
        Map<String, List<FakeEvent>> synthetic = CloudTrailDatasets.volume("AKIASYNTHETIC0000001", 100_000,
                List.of("us-east-1", "eu-west-1", "ap-southeast-2"), TO);
        synthetic.values().forEach(list -> list.forEach(e -> investigation.record(TrailEvent.parse(e.cloudTrailEvent().get()))));
        InvestigationReport report = investigation.report();
        assertEquals(100_000, report.totalEvents());
        long categorised = report.categories().stream().filter(c -> c.category() != EventCategory.DENIED)
                .mapToLong(CategorySummary::count).sum();
        assertEquals(100_000, categorised);
        report.categories().forEach(c -> assertTrue(c.notable().size() <= 10, c.category().toString()));
        assertTrue(report.keys().get(0).sourceIps().size() <= 100);
        assertTrue(report.affectedResources().size() <= 2_000);
        assertEquals(100_000, report.keys().get(0).eventCount());
        assertTrue(report.category(EventCategory.PERSISTENCE).orElseThrow().count() > 1_000);
    }
}
