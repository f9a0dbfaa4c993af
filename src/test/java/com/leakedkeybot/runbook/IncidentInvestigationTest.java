package com.leakedkeybot.runbook;

import com.leakedkeybot.blastradius.BlastRadius;
import com.leakedkeybot.blastradius.BlastRadiusAnalysis;
import com.leakedkeybot.blastradius.OwnerPermissions;
import com.leakedkeybot.blastradius.OwnerPermissionsSource;
import com.leakedkeybot.blastradius.PermissionsLookupException;
import com.leakedkeybot.blastradius.PolicyDocument;
import com.leakedkeybot.incident.Findings;
import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.IncidentChannel;
import com.leakedkeybot.incident.IncidentStore;
import com.leakedkeybot.incident.KeyFacts;
import com.leakedkeybot.incident.KeyOwnership;
import com.leakedkeybot.incident.PolicyRevert;
import com.leakedkeybot.incident.ScanProgress;
import com.leakedkeybot.investigation.CloudTrailInvestigation;
import com.leakedkeybot.investigation.DataEventSource;
import com.leakedkeybot.investigation.RegionSource;
import com.leakedkeybot.investigation.TrailEvent;
import com.leakedkeybot.investigation.TrailLookupException;
import com.leakedkeybot.remediation.AnalysePermissionsStep;
import com.leakedkeybot.remediation.PolicyRevertPlanner;
import com.leakedkeybot.remediation.RemediationStep;
import com.leakedkeybot.remediation.Responder;
import com.leakedkeybot.remediation.Responders;
import com.leakedkeybot.remediation.port.ObjectVersions;
import com.leakedkeybot.sandbox.InMemoryTrail;
import com.leakedkeybot.sandbox.TrailEvents;
import com.leakedkeybot.step.StepId;
import com.leakedkeybot.step.StepKind;
import com.leakedkeybot.step.StepOutcome;
import com.leakedkeybot.step.StepState;
import com.leakedkeybot.testkit.MockedSteps;
import com.leakedkeybot.testkit.SampleIncidents;
import com.leakedkeybot.testkit.TempIncidentStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.InOrder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.verifyNoMoreInteractions;
import static org.mockito.Mockito.when;

class IncidentInvestigationTest {

    private static final Instant NOW = Instant.parse("2026-11-28T16:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final String ADMIN = "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}}";

    @TempDir
    Path dir;
    private TempIncidentStore journal;
    private IncidentStore store;
    private final IncidentChannel channel = mock(IncidentChannel.class);
    private final InMemoryTrail trail = new InMemoryTrail();

    @BeforeEach
    void openStore() {
        journal = TempIncidentStore.open(dir, CLOCK);
        store = journal.store();
        when(channel.postScanProgress(any(), any())).thenReturn("1700000000.000900");
    }

    @AfterEach
    void closeStore() throws Exception {
        journal.close();
    }

    private IncidentInvestigation investigation(OwnerPermissionsSource permissions, RegionSource regions) {
        return investigation(permissions, regions, null, mock(ObjectVersions.class));
    }

    private IncidentInvestigation investigation(OwnerPermissionsSource permissions, RegionSource regions,
                                                DataEventSource logFiles, ObjectVersions versions) {
        AnalysePermissionsStep analysis = new AnalysePermissionsStep(permissions, BlastRadiusAnalysis.standard(), store,
                channel, CLOCK);
        List<RemediationStep> steps = new ArrayList<>(MockedSteps.every(store, channel, CLOCK, versions));
        steps.removeIf(step -> step.kind() == StepKind.ANALYSE_PERMISSIONS);
        steps.add(analysis);
        Responders responders = Responders.only(new Responder(steps,
                new CloudTrailInvestigation(trail, regions, 4, 100, CLOCK, logFiles), new PolicyRevertPlanner(trail)));
        Runbook runbook = new Runbook(store, channel, responders, logFiles != null, CLOCK);
        return new IncidentInvestigation(store, channel, responders, runbook, Duration.ofDays(90), Duration.ofSeconds(3),
                Duration.ofMinutes(15), CLOCK);
    }

    private static OwnerPermissions admin(String user) {
        return new OwnerPermissions(user, List.of(PolicyDocument.parse("AdministratorAccess", null, ADMIN)), List.of(),
                List.of(), null);
    }

    private Incident stored(KeyOwnership ownership) {
        Incident sample = SampleIncidents.offered(SampleIncidents.newId());
        KeyFacts f = sample.facts();
        Incident incident = sample.withFacts(new KeyFacts(f.keyId(), f.decodedAccount(), f.confirmedAccount(),
                f.ownAccount(), null, null, ownership, f.userName(), f.status(), f.createdAt(), f.lastUse(), List.of()));
        store.create(incident);
        return incident;
    }

    @Test
    void anIamUsersKeyGetsBlastRadiusThenProgressThenFindingsAndTheFindingsAreKept() throws Exception {
        Incident incident = stored(KeyOwnership.IAM_USER);
        trail.add("us-east-1", TrailEvents.event("e1", NOW.minusSeconds(3_600), "us-east-1",
                incident.keyId().value(), "iam.amazonaws.com", "CreateUser").request("userName", "backdoor").json());

        investigation(user -> admin(user), RegionSource.fixed(List.of("us-east-1", "eu-west-1"))).investigate(incident.id());

        InOrder order = inOrder(channel);
        order.verify(channel).postBlastRadius(any(), argThat(r -> r.level() == BlastRadius.Level.ADMIN));
        order.verify(channel).postScanProgress(any(), eq(new ScanProgress(0, 0, 0, false)));
        order.verify(channel).updateScanProgress(any(), eq("1700000000.000900"), eq(new ScanProgress(2, 2, 1, true)));
        order.verify(channel).postInvestigation(any(), argThat(report -> report.totalEvents() == 1));
        Findings findings = store.find(incident.id()).orElseThrow().findings();
        assertEquals(BlastRadius.Level.ADMIN, findings.blastRadius().level());
        assertEquals(NOW, findings.trailScannedAt());
        assertEquals(List.of("backdoor"), findings.affectedResources().stream().map(r -> r.identifier()).toList());
        List<String> audit = store.find(incident.id()).orElseThrow().audit().stream().map(e -> e.action()).toList();
        assertEquals(List.of("analysed the blast radius", "read CloudTrail"), audit.subList(audit.size() - 2, audit.size()));
    }

    @Test
    void withoutTheTrailsLogFilesTheThreadSaysOnceThatObjectChangesWereNotChecked() throws Exception {
        Incident incident = stored(KeyOwnership.IAM_USER);

        investigation(user -> admin(user), RegionSource.fixed(List.of("us-east-1"))).investigate(incident.id());

        verify(channel, times(1)).postInvestigationProblem(any(), eq("Changes to S3 objects"),
                argThat(why -> why.contains("CLOUDTRAIL_LOG_BUCKET is not set") && why.contains("were not checked")));
        verify(channel, never()).postStep(any(), argThat(step -> step.kind() == StepKind.RESTORE_OBJECTS));
    }

    @Test
    void aReadOnlyKeyThatMintedNoRoleSessionGetsNoNoteAboutObjectChanges() throws Exception {
        Incident incident = stored(KeyOwnership.IAM_USER);

        investigation(user -> new OwnerPermissions(user, List.of(PolicyDocument.parse("ReadOnly", null,
                "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}")),
                List.of(), List.of(), null), RegionSource.fixed(List.of("us-east-1"))).investigate(incident.id());

        assertEquals(BlastRadius.Level.READ_ONLY,
                store.find(incident.id()).orElseThrow().findings().blastRadius().level());
        verify(channel, never()).postInvestigationProblem(any(), eq("Changes to S3 objects"), any());
    }

    @Test
    void objectWritesInTheLogFilesLeadToARestorePerVersionedBucketAndAnExplanationForTheOthers() throws Exception {
        Incident incident = stored(KeyOwnership.IAM_USER);
        String key = incident.keyId().value();
        DataEventSource logFiles = new DataEventSource() {
            @Override
            public void eventsOfKeys(List<String> regions, Set<String> keys, Instant from, Instant to,
                                     Consumer<TrailEvent> sink) {
                for (String bucket : List.of("finance", "scratch")) {
                    sink.accept(TrailEvent.parse(TrailEvents.event("put-" + bucket, NOW.minusSeconds(600), "us-east-1",
                            key, "s3.amazonaws.com", "PutObject").readOnly(false).request("bucketName", bucket)
                            .request("key", "data.csv").json()));
                }
            }

            @Override
            public String location() {
                return "s3://trail-logs/";
            }
        };
        ObjectVersions versions = mock(ObjectVersions.class);
        when(versions.versioning("us-east-1", "finance")).thenReturn(ObjectVersions.Versioning.ENABLED);
        when(versions.versioning("us-east-1", "scratch")).thenReturn(ObjectVersions.Versioning.NEVER_ENABLED);

        investigation(user -> admin(user), RegionSource.fixed(List.of("us-east-1")), logFiles, versions)
                .investigate(incident.id());

        verify(channel).postStep(any(), eq(new StepId(StepKind.RESTORE_OBJECTS, "finance")));
        verify(channel).postInvestigationProblem(any(), eq("Restoring objects in S3 bucket scratch"),
                argThat(why -> why.contains("never enabled") && why.contains("backup")));
        verify(channel, never()).postInvestigationProblem(any(), eq("Changes to S3 objects"), any());
        verify(channel, never()).postStep(any(), eq(new StepId(StepKind.RESTORE_OBJECTS, "scratch")));
    }

    @Test
    void afterTheScanAChangedPolicyIsRevertedToItsEarlierDocumentAndAnUnknownTrustChangeGetsGuidance()
            throws Exception {
        Incident incident = stored(KeyOwnership.IAM_USER);
        String key = incident.keyId().value();
        trail.add("us-east-1", TrailEvents.event("admin", NOW.minus(Duration.ofDays(30)), "us-east-1", "AKIAADMIN",
                "iam.amazonaws.com", "PutRolePolicy").readOnly(false).by("arn:aws:iam::1:user/admin")
                .request("roleName", "app").request("policyName", "p").request("policyDocument", ADMIN).json());
        trail.add("us-east-1", TrailEvents.event("put", NOW.minusSeconds(7_200), "us-east-1", key,
                "iam.amazonaws.com", "PutRolePolicy").readOnly(false).request("roleName", "app")
                .request("policyName", "p").request("policyDocument", "{\"Statement\":[]}").json());
        trail.add("us-east-1", TrailEvents.event("trust", NOW.minusSeconds(3_600), "us-east-1", key,
                "iam.amazonaws.com", "UpdateAssumeRolePolicy").readOnly(false).request("roleName", "app")
                .request("policyDocument", "{\"Statement\":[]}").json());

        investigation(user -> admin(user), RegionSource.fixed(List.of("us-east-1"))).investigate(incident.id());

        Incident after = store.find(incident.id()).orElseThrow();
        List<PolicyRevert> reverts = after.findings().policyReverts();
        assertEquals(List.of(PolicyRevert.Plan.MANUAL, PolicyRevert.Plan.RESTORE),
                reverts.stream().map(PolicyRevert::plan).toList());
        assertEquals(ADMIN, reverts.get(1).earlier().document());
        assertEquals(StepState.Status.OFFERED, after.step(reverts.get(1).step()).orElseThrow().status());
        assertEquals(Optional.empty(), after.step(reverts.get(0).step()), "no button for the trust change");
        verify(channel).postRevertGuidance(any(), eq(reverts.get(0)));
        assertTrue(trail.calls().contains("us-east-1 PutRolePolicy " + NOW.minus(Duration.ofDays(90)) + " " + NOW),
                trail.calls().toString());
    }

    @Test
    void aForeignKeyIsNotInvestigatedHere() throws Exception {
        Incident incident = stored(KeyOwnership.FOREIGN_ACCOUNT);
        OwnerPermissionsSource permissions = mock(OwnerPermissionsSource.class);

        investigation(permissions, RegionSource.fixed(List.of("us-east-1"))).investigate(incident.id());

        verifyNoInteractions(permissions);
        assertEquals(List.of(), trail.calls());
        // Nothing to investigate here, but the incident must still be closable.
        verify(channel).postStep(any(), eq(StepId.of(StepKind.CLOSE_INCIDENT)));
        verifyNoMoreInteractions(channel);
    }

    @Test
    void aTemporaryKeyHasNoOwnerToAnalyseButItsTrailIsRead() throws Exception {
        Incident incident = stored(KeyOwnership.TEMPORARY_CREDENTIAL);
        OwnerPermissionsSource permissions = mock(OwnerPermissionsSource.class);

        investigation(permissions, RegionSource.fixed(List.of("us-east-1"))).investigate(incident.id());

        verifyNoInteractions(permissions);
        verify(channel, never()).postBlastRadius(any(), any());
        verify(channel).postInvestigation(any(), any());
    }

    @Test
    void anUnreadablePolicySetIsSaidAndTheTrailIsStillRead() throws Exception {
        Incident incident = stored(KeyOwnership.IAM_USER);

        investigation(user -> {
            throw new PermissionsLookupException("iam:GetUser: AccessDenied — no", null);
        }, RegionSource.fixed(List.of("us-east-1"))).investigate(incident.id());

        verify(channel).postInvestigationProblem(any(), eq("What the key can do"), eq("iam:GetUser: AccessDenied — no"));
        verify(channel).postInvestigation(any(), any());
        Incident after = store.find(incident.id()).orElseThrow();
        assertNull(after.findings().blastRadius());
        for (StepKind containment : List.of(StepKind.REVOKE_SESSIONS, StepKind.QUARANTINE, StepKind.ROTATE_KEY,
                StepKind.ANALYSE_PERMISSIONS)) {
            assertEquals(StepState.Status.OFFERED, after.step(containment).orElseThrow().status(),
                    containment + ": containment does not wait for the analysis, and the analysis can be retried");
        }
    }

    @Test
    void theAnalysisOfferedAfterAFailureRunsAgainOnceIamCanBeRead() throws Exception {
        Incident incident = stored(KeyOwnership.IAM_USER);
        boolean[] readable = {false};
        OwnerPermissionsSource permissions = user -> {
            if (!readable[0]) {
                throw new PermissionsLookupException("iam:GetUser: AccessDenied", null);
            }
            return admin(user);
        };
        AnalysePermissionsStep again = new AnalysePermissionsStep(permissions, BlastRadiusAnalysis.standard(), store,
                channel, CLOCK);

        StepOutcome failed = again.execute(incident, "");
        readable[0] = true;
        StepOutcome done = again.execute(incident, "");

        assertFalse(failed.succeeded());
        assertTrue(failed.summary().contains("AccessDenied"), failed.summary());
        assertTrue(done.succeeded(), done.summary());
        assertEquals(BlastRadius.Level.ADMIN, store.find(incident.id()).orElseThrow().findings().blastRadius().level());
        verify(channel).postBlastRadius(any(), argThat(radius -> radius.level() == BlastRadius.Level.ADMIN));
        assertTrue(again.reconcile(store.find(incident.id()).orElseThrow(), "").succeeded(),
                "a restart after the analysis was recorded finds it done");
    }

    @Test
    void whenNoRegionCanBeListedTheThreadSaysSoAndTheProgressEnds() throws Exception {
        Incident incident = stored(KeyOwnership.IAM_USER);
        RegionSource broken = () -> {
            throw new com.leakedkeybot.investigation.TrailLookupException("ec2:DescribeRegions: AccessDenied", null);
        };

        investigation(user -> admin(user), broken).investigate(incident.id());

        verify(channel).updateScanProgress(any(), eq("1700000000.000900"), eq(new ScanProgress(0, 0, 0, true)));
        verify(channel).postInvestigationProblem(any(), eq("CloudTrail"), eq("ec2:DescribeRegions: AccessDenied"));
        verify(channel, never()).postInvestigation(any(), any());
        Incident after = store.find(incident.id()).orElseThrow();
        assertNotNull(after.findings().blastRadius());
        assertEquals(Optional.empty(), Optional.ofNullable(after.findings().trailScannedAt()));
    }
}
