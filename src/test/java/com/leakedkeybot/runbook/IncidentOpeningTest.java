package com.leakedkeybot.runbook;

import com.leakedkeybot.audit.AuditEntry;
import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.IncidentChannel;
import com.leakedkeybot.incident.IncidentId;
import com.leakedkeybot.incident.IncidentStore;
import com.leakedkeybot.incident.KeyFacts;
import com.leakedkeybot.incident.KeyInspector;
import com.leakedkeybot.incident.KeyOwnership;
import com.leakedkeybot.incident.ThreadRef;
import com.leakedkeybot.key.KeyReport;
import com.leakedkeybot.remediation.Responder;
import com.leakedkeybot.remediation.Responders;
import com.leakedkeybot.remediation.port.ObjectVersions;
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
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;





class IncidentOpeningTest {

    private static final StepId DEACTIVATE = StepId.of(StepKind.DEACTIVATE_KEY);
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T16:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;
    private TempIncidentStore journal;
    private IncidentStore store;
    private final IncidentChannel channel = mock(IncidentChannel.class);
    private final KeyInspector inspector = mock(KeyInspector.class);
    private IncidentOpening opening;

    @BeforeEach
    void open() {
        journal = TempIncidentStore.open(dir, CLOCK);
        store = journal.store();
        opening = new IncidentOpening(store, inspector, channel,
                new Runbook(store, channel, Responders.only(new Responder(
                        MockedSteps.every(store, channel, CLOCK, mock(ObjectVersions.class)), null, null)), false, CLOCK),
                CLOCK);
        when(channel.openThread(any())).thenReturn(new ThreadRef("C0INCIDENT", "1700000000.000100"));
    }

    @AfterEach
    void close() throws Exception {
        journal.close();
    }

    private static KeyFacts facts(KeyOwnership ownership) {
        KeyFacts f = SampleIncidents.offered(SampleIncidents.newId()).facts();
        return new KeyFacts(f.keyId(), f.decodedAccount(), f.confirmedAccount(), f.ownAccount(), null, null, ownership,
                f.userName(), f.status(), f.createdAt(), f.lastUse(), List.of());
    }

    private Incident registered() {
        return opening.register((KeyReport.Accepted) KeyReport.of(SampleIncidents.KEY.value()), "U0REPORTER");
    }

    @Test
    void registeringStoresNothingUntilTheIncidentIsOpened() {
        Incident incident = registered();
        assertEquals(Optional.empty(), store.find(incident.id()));
        when(inspector.inspect(any())).thenReturn(facts(KeyOwnership.IAM_USER));
        when(channel.postStep(any(), any())).thenReturn("1700000000.000300");

        assertInstanceOf(IncidentOpening.Opened.Thread.class, opening.open(incident));

        StepState step = store.find(incident.id()).orElseThrow().step(DEACTIVATE).orElseThrow();
        assertEquals(StepState.Status.OFFERED, step.status());
        assertEquals("1700000000.000300", step.messageTs());
        verify(channel, never()).showStep(any(), any());
    }

    @Test
    void aClickThatBeatsTheStepsOwnTimestampIsRedrawnOnceTheTimestampIsKnown() {
        Incident incident = registered();
        when(inspector.inspect(any())).thenReturn(facts(KeyOwnership.IAM_USER));
        when(channel.postStep(any(), any())).thenAnswer(call -> {
            // The approver clicks while chat.postMessage is still returning.
            store.update(incident.id(), i -> i.withStep(i.step(DEACTIVATE).orElseThrow()
                    .running("U0APPROVER", CLOCK.instant(), "pid-test")));
            return "1700000000.000300";
        });

        opening.open(incident);

        verify(channel).showStep(argThat(i -> "1700000000.000300".equals(i.step(DEACTIVATE)
                .orElseThrow().messageTs())), eq(DEACTIVATE));
    }

    @Test
    void keysTheBotCannotSwitchOffGetGuidanceAndNoStep() {
        Incident incident = registered();
        when(inspector.inspect(any())).thenReturn(facts(KeyOwnership.ROOT_USER));

        opening.open(incident);

        verify(channel).postManualGuidance(any());
        verify(channel, never()).postStep(any(), any());
        assertTrue(store.find(incident.id()).orElseThrow().steps().isEmpty());
    }

    @Test
    void aMemberAccountsRootKeyGetsTheGuidanceAndBesideItTheFourEyesDeletion() {
        Incident incident = registered();
        KeyFacts f = facts(KeyOwnership.ROOT_USER);
        when(inspector.inspect(any())).thenReturn(new KeyFacts(f.keyId(), f.decodedAccount(), "210000000081",
                "123456789012", null, "arn:aws:iam::210000000081:role/LeakedKeyBotResponder", KeyOwnership.ROOT_USER,
                null, null, null, null, List.of()));
        when(channel.postStep(any(), any())).thenReturn("1700000000.000300");

        opening.open(incident);

        verify(channel).postManualGuidance(any());
        assertEquals(List.of(StepId.of(StepKind.DELETE_ROOT_KEY)),
                List.copyOf(store.find(incident.id()).orElseThrow().steps().keySet()));
    }

    @Test
    void aThreadThatCannotBePostedIsToldToTheReporterAndNothingElseHappens() {
        Incident incident = registered();
        when(channel.openThread(any())).thenThrow(new IllegalStateException("Slack answered not_in_channel"));

        IncidentOpening.Opened.Failed failed = assertInstanceOf(IncidentOpening.Opened.Failed.class,
                opening.open(incident));

        assertEquals("Slack answered not_in_channel", failed.problem());
        verify(inspector, never()).inspect(any());
        assertTrue(store.find(incident.id()).orElseThrow().isClosed(), "an unseen incident does not hold the key");
        assertInstanceOf(IncidentOpening.Opened.Failed.class, opening.open(registered()),
                "a new report of the key is tried afresh, not joined to the unseen incident");
    }

    @Test
    void aKeyWithAnOpenIncidentJoinsItAndStartsNothingNew() {
        when(inspector.inspect(any())).thenReturn(facts(KeyOwnership.IAM_USER));
        when(channel.postStep(any(), any())).thenReturn("1700000000.000300");
        Incident first = registered();
        opening.open(first);
        Incident second = Incident.reported(IncidentId.newId(CLOCK.instant()), first.keyId(), "U0OTHER",
                CLOCK.instant(), false);

        IncidentOpening.Opened.Joined joined = assertInstanceOf(IncidentOpening.Opened.Joined.class,
                opening.open(second));

        assertEquals(first.id(), joined.existing().id());
        assertEquals(Optional.empty(), store.find(second.id()), "no second incident");
        verify(channel, times(1)).openThread(any());
        verify(inspector, times(1)).inspect(any());
        AuditEntry extra = joined.existing().audit().get(joined.existing().audit().size() - 1);
        assertEquals("U0OTHER", extra.actor());
        assertEquals("reported " + first.keyId() + " again", extra.action());
    }

    /**
     * A second report giving {@code since …} to an incident that has no exposure time: the time is taken, on the
     * record with its reporter, and the sources message and proposals follow it; a third report's time is recorded
     * as not taken, and changes nothing.
     */
    @Test
    void aJoiningReportsExposureTimeIsTakenWhereTheIncidentHasNoneAndOnlyRecordedOtherwise() {
        when(inspector.inspect(any())).thenReturn(facts(KeyOwnership.IAM_USER));
        when(channel.postStep(any(), any())).thenReturn("1700000000.000300");
        Incident first = registered();
        opening.open(first);
        Instant since = CLOCK.instant().minusSeconds(7_200);

        Incident joined = assertInstanceOf(IncidentOpening.Opened.Joined.class, opening.open(Incident.reported(
                IncidentId.newId(CLOCK.instant()), first.keyId(), "U0OTHER", CLOCK.instant(), false, since)))
                .existing();

        assertEquals(since, joined.attribution().exposedSince());
        assertEquals("U0OTHER", joined.attribution().exposureSetBy());
        AuditEntry given = joined.audit().get(joined.audit().size() - 1);
        assertEquals(List.of("U0OTHER", "gave the exposure time"), List.of(given.actor(), given.action()));
        verify(channel).showSources(argThat(i -> since.equals(i.attribution().exposedSince())));

        Incident third = assertInstanceOf(IncidentOpening.Opened.Joined.class, opening.open(Incident.reported(
                IncidentId.newId(CLOCK.instant()), first.keyId(), "U0THIRD", CLOCK.instant(), false,
                since.minusSeconds(600)))).existing();

        assertEquals(joined.attribution(), third.attribution(), "the time already set stays");
        AuditEntry refused = third.audit().get(third.audit().size() - 1);
        assertEquals("U0THIRD", refused.actor());
        assertEquals("exposed since " + since.minusSeconds(600) + " not taken: the incident already has one, "
                + since, refused.result());
        assertTrue(third.audit().stream().noneMatch(e -> e.actor().equals("U0THIRD")
                && e.action().equals("gave the exposure time")), "no entry says it was given");
        verify(channel, times(1)).showSources(any());
    }

    /**
     * A report that may come twice (an automatic one) records itself beyond being reported: joining carries that
     * record to the open incident, and a copy the open incident already holds is recognised and records nothing.
     */
    @Test
    void aReportTheOpenIncidentAlreadyHoldsIsRecognisedAndRecordsNothing() {
        when(inspector.inspect(any())).thenReturn(facts(KeyOwnership.IAM_USER));
        when(channel.postStep(any(), any())).thenReturn("1700000000.000300");
        opening.open(registered());
        AuditEntry delivery = new AuditEntry(CLOCK.instant(), "GuardDuty", "reported automatically", "ids: f-1");
        Incident report = Incident.reported(IncidentId.newId(CLOCK.instant()), SampleIncidents.KEY, "GuardDuty",
                CLOCK.instant(), false).audited(delivery);

        IncidentOpening.Opened.Joined joined = assertInstanceOf(IncidentOpening.Opened.Joined.class,
                opening.open(report, open -> open.audit().contains(delivery)));
        assertEquals(delivery, joined.existing().audit().get(joined.existing().audit().size() - 1));

        Incident copy = Incident.reported(IncidentId.newId(CLOCK.instant()), SampleIncidents.KEY, "GuardDuty",
                CLOCK.instant(), false).audited(delivery);
        IncidentOpening.Opened.Repeated repeated = assertInstanceOf(IncidentOpening.Opened.Repeated.class,
                opening.open(copy, open -> open.audit().contains(delivery)));
        assertEquals(joined.existing().audit(), repeated.existing().audit(), "nothing recorded");
        assertEquals(joined.existing().audit(), store.find(joined.existing().id()).orElseThrow().audit());
        assertEquals(Optional.empty(), store.find(copy.id()));
        verify(channel, times(1)).openThread(any());
    }
}
