package com.leakedkeybot.intake;

import com.leakedkeybot.approval.StepApproval;
import com.leakedkeybot.attribution.Attribution;
import com.leakedkeybot.audit.AuditEntry;
import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.IncidentChannel;
import com.leakedkeybot.incident.IncidentId;
import com.leakedkeybot.incident.IncidentStore;
import com.leakedkeybot.incident.KeyInspector;
import com.leakedkeybot.incident.ThreadRef;
import com.leakedkeybot.remediation.Responder;
import com.leakedkeybot.remediation.Responders;
import com.leakedkeybot.remediation.port.ObjectVersions;
import com.leakedkeybot.runbook.IncidentInvestigation;
import com.leakedkeybot.runbook.IncidentOpening;
import com.leakedkeybot.runbook.Runbook;
import com.leakedkeybot.step.StepId;
import com.leakedkeybot.step.StepKind;
import com.leakedkeybot.step.StepState;
import com.leakedkeybot.testkit.MockedSteps;
import com.leakedkeybot.testkit.SampleIncidents;
import com.leakedkeybot.testkit.TempIncidentStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * An automatic report's time is when its source detected the key, which may be after the attacker's first call: it
 * is only proposed as the exposure time, so that no call counts as the owner's baseline until an approver says so.
 */
class IntakeTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-02T12:00:00Z"), ZoneOffset.UTC);
    private static final Instant DETECTED = Instant.parse("2026-12-02T10:00:00Z");

    @TempDir
    Path dir;
    private TempIncidentStore journal;
    private IncidentStore store;
    private Intake intake;
    private final StepApproval approval = mock(StepApproval.class);

    @BeforeEach
    void start() {
        journal = TempIncidentStore.open(dir, CLOCK);
        store = journal.store();
        IncidentChannel channel = mock(IncidentChannel.class);
        when(channel.openThread(any())).thenReturn(new ThreadRef("C0INCIDENT", "1700000000.000100"));
        KeyInspector inspector = mock(KeyInspector.class);
        when(inspector.inspect(any())).thenReturn(SampleIncidents.offered(SampleIncidents.newId()).facts());
        Runbook runbook = new Runbook(store, channel, Responders.only(new Responder(
                MockedSteps.every(store, channel, CLOCK, mock(ObjectVersions.class)), null, null)), false, CLOCK);
        intake = new Intake(new IncidentOpening(store, inspector, channel, runbook, CLOCK),
                mock(IncidentInvestigation.class), mock(IntakeChannel.class), approval,
                Runnable::run, true, CLOCK);
    }

    @AfterEach
    void close() throws Exception {
        journal.close();
    }

    private Incident openIncident() {
        List<IncidentId> open = store.open();
        assertEquals(1, open.size());
        return store.find(open.get(0)).orElseThrow();
    }

    @Test
    void theDetectionTimeIsProposedOnTheRecordNotTakenAsTheExposureTime() {
        intake.receive(new IntakeEvent(SampleIncidents.KEY, new IntakeSource.AwsHealth("AWS_RISK_CREDENTIALS_EXPOSED",
                null, DETECTED), List.of("comm-1")));

        Incident incident = openIncident();
        Attribution attribution = incident.attribution();
        assertNull(attribution.exposedSince(), "no source counts as the owner's on the detection time alone");
        assertTrue(attribution.awaitsConfirmation());
        assertEquals(DETECTED, attribution.proposedExposure());
        assertEquals("AWS Health", attribution.proposedBy());
        assertTrue(incident.audit().contains(new AuditEntry(CLOCK.instant(), "AWS Health", "proposed the exposure time",
                "exposed since " + DETECTED + " (when it detected the key), awaiting an approver")), "on the record");
    }

    /**
     * AUTO_DEACTIVATE: a copy of the report (SQS delivering it again) finishes a deactivation a restart cut short,
     * never one a person has since undone, though the undone deactivation is offered afresh.
     */
    @Test
    void aCopyOfTheReportNeverDeactivatesAgainAKeyAPersonReactivated() {
        IntakeEvent exposed = new IntakeEvent(SampleIncidents.KEY, new IntakeSource.AwsHealth(
                "AWS_RISK_CREDENTIALS_EXPOSED", null, DETECTED), List.of("comm-1"));
        StepId deactivate = StepId.of(StepKind.DEACTIVATE_KEY);
        intake.receive(exposed);
        IncidentId id = openIncident().id();
        store.update(id, i -> i.audited(AuditEntry.stepFinished(CLOCK.instant(), deactivate, "Deactivate key", true,
                "the key is Inactive")).withStep(StepState.offered(deactivate, "1700000000.000900")));

        assertEquals(Intake.Outcome.REPEATED, intake.receive(exposed));

        verify(approval, times(1)).approveByPolicy(eq(id), eq(deactivate), any(), any());
    }

    /** A second source's earlier detection time replaces the waiting proposal: the earlier one is the safer. */
    @Test
    void aJoiningReportsEarlierDetectionTimeBecomesTheProposal() {
        intake.receive(new IntakeEvent(SampleIncidents.KEY, new IntakeSource.AwsHealth("AWS_RISK_CREDENTIALS_EXPOSED",
                null, DETECTED), List.of("comm-1")));
        intake.receive(new IntakeEvent(SampleIncidents.KEY, new IntakeSource.GuardDuty("UnauthorizedAccess:IAMUser/"
                + "MaliciousIPCaller", "ListUsers", "198.51.100.7", DETECTED.minusSeconds(600)), List.of("f-1")));

        Attribution attribution = openIncident().attribution();
        assertEquals(DETECTED.minusSeconds(600), attribution.proposedExposure());
        assertEquals("GuardDuty", attribution.proposedBy());
    }
}
