package com.leakedkeybot.runbook;

import com.leakedkeybot.approval.StepLease;
import com.leakedkeybot.attribution.Attribution;
import com.leakedkeybot.attribution.SourceMark;
import com.leakedkeybot.attribution.Verdict;
import com.leakedkeybot.audit.AuditEntry;
import com.leakedkeybot.incident.ContainmentCheck;
import com.leakedkeybot.incident.Findings;
import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.IncidentChannel;
import com.leakedkeybot.incident.IncidentId;
import com.leakedkeybot.incident.IncidentStore;
import com.leakedkeybot.incident.TrailWatch;
import com.leakedkeybot.investigation.CallSource;
import com.leakedkeybot.investigation.CloudTrailInvestigation;
import com.leakedkeybot.investigation.DerivedCredential;
import com.leakedkeybot.investigation.InvestigationReport;
import com.leakedkeybot.investigation.RegionSource;
import com.leakedkeybot.investigation.TrailEventSource;
import com.leakedkeybot.remediation.CleanUpStep;
import com.leakedkeybot.remediation.RemediationStep;
import com.leakedkeybot.remediation.Responder;
import com.leakedkeybot.remediation.Responders;
import com.leakedkeybot.remediation.port.ResourceRemoval;
import com.leakedkeybot.sandbox.InMemoryTrail;
import com.leakedkeybot.sandbox.TrailEvents;
import com.leakedkeybot.step.StepId;
import com.leakedkeybot.step.StepKind;
import com.leakedkeybot.testkit.AdjustableClock;
import com.leakedkeybot.testkit.MockedSteps;
import com.leakedkeybot.testkit.SampleIncidents;
import com.leakedkeybot.testkit.TempIncidentStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.ArgumentCaptor;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * The watch after the first scan, round by round on a clock the test moves: late deliveries, de-duplication, the
 * containment verdict, closing, restarts and replicas. CloudTrail is the in-memory trail; the store is the journal.
 */
class IncidentWatchTest {

    private static final Duration DELAY = Duration.ofMinutes(15);
    private static final Instant SCANNED = Instant.parse("2026-11-28T16:00:00Z");
    private static final String KEY = SampleIncidents.KEY.value();
    private static final String SESSION = "ASIAY34FZKBOEXAMPLE1";
    private static final String REGION = "us-east-1";

    @TempDir
    Path dir;
    private final AdjustableClock clock = AdjustableClock.at(SCANNED);
    private final IncidentChannel channel = mock(IncidentChannel.class);
    private final InMemoryTrail trail = new InMemoryTrail();
    private final ResourceRemoval removal = mock(ResourceRemoval.class);
    private TempIncidentStore journal;
    private IncidentStore store;

    @BeforeEach
    void openStore() {
        journal = TempIncidentStore.open(dir, clock);
        store = journal.store();
        when(channel.postStep(any(), any())).thenReturn("1700000000.000500");
        when(removal.removable(any())).thenReturn(true);
    }

    @AfterEach
    void closeStore() throws Exception {
        journal.close();
    }

    private IncidentWatch watch(String holder, Duration lease) {
        Responders responders = reading(trail, MockedSteps.completing(List.of(new CleanUpStep(removal)), store,
                channel, clock), REGION, "eu-west-1");
        return new IncidentWatch(store, channel, new Runbook(store, channel, responders, false, clock), responders,
                new StepLease(holder, lease), DELAY, clock);
    }

    /** One account whose CloudTrail is {@code source}, read in {@code regions}, with {@code steps}. */
    static Responders reading(TrailEventSource source, List<RemediationStep> steps, String... regions) {
        return Responders.only(new Responder(steps, new CloudTrailInvestigation(source,
                RegionSource.fixed(List.of(regions)), 4, 100, Clock.systemUTC(), null), null));
    }

    private IncidentWatch watch() {
        return watch("pid1-aaaaaa", Duration.ZERO);
    }

    /** An incident whose first scan ended at {@link #SCANNED}, having seen event "e0" and a minted session. */
    private IncidentId scanned() {
        Incident sample = SampleIncidents.offered(SampleIncidents.newId());
        DerivedCredential session = new DerivedCredential(SESSION, KEY, "AssumeRole",
                "arn:aws:iam::609629065308:role/admin", "s", null, null, null, SCANNED.minusSeconds(600), REGION);
        store.create(sample.withFindings(new Findings(null, SCANNED, 1, List.of(), List.of(session), List.of(),
                List.of())).withWatch(TrailWatch.from(SCANNED, List.of("e0"))));
        trail.add(REGION, TrailEvents.event("e0", SCANNED.minusSeconds(120), REGION, KEY, "s3.amazonaws.com",
                "ListBuckets").readOnly(true).json());
        return sample.id();
    }

    private void at(String time) {
        clock.advance(Duration.between(clock.instant(), Instant.parse("2026-11-28T" + time + ":00Z")));
    }

    private void contained(IncidentId id, StepKind step, String time) {
        store.update(id, i -> i.audited(AuditEntry.stepFinished(Instant.parse("2026-11-28T" + time + ":00Z"),
                StepId.of(step), step.label(), true, "done")));
    }

    private Incident stored(IncidentId id) {
        return store.find(id).orElseThrow();
    }

    @Test
    void aCallDeliveredAfterTheReadThatCoveredItsTimeIsFoundPostedOnceAndOffered() throws Exception {
        IncidentId id = scanned();
        at("16:05");
        watch().watchAll();
        verify(channel, never()).postWatchedActivity(any(), any()); // e0 was the scan's: not new

        // Made at 16:03, delivered after the 16:05 read: a read from where the last one ended would miss it.
        trail.add(REGION, TrailEvents.event("e1", Instant.parse("2026-11-28T16:03:00Z"), REGION, KEY,
                "iam.amazonaws.com", "CreateUser").readOnly(false).request("userName", "backdoor")
                .response("{\"user\":{\"userName\":\"backdoor\"}}").json());
        at("16:10");
        watch().watchAll();
        at("16:15");
        watch().watchAll();

        ArgumentCaptor<InvestigationReport> report = ArgumentCaptor.forClass(InvestigationReport.class);
        verify(channel, times(1)).postWatchedActivity(any(), report.capture());
        assertEquals(1, report.getValue().totalEvents());
        assertEquals("CreateUser", report.getValue().affectedResources().get(0).eventName());
        verify(channel).postStep(any(), eq(new StepId(StepKind.CLEAN_UP, "IAM_USER|us-east-1||backdoor")));
        Incident watched = stored(id);
        assertEquals(Instant.parse("2026-11-28T16:15:00Z"), watched.watch().readUntil());
        assertEquals(1, watched.watch().eventsFound());
        assertEquals(2, watched.findings().trailEvents());
        assertTrue(watched.audit().stream().anyMatch(e -> e.action().equals("watched CloudTrail")));
        assertTrue(trail.calls().contains("us-east-1 " + SESSION + " 2026-11-28T15:50:00Z 2026-11-28T16:10:00Z"),
                "the minted session is read too, and each read starts the delivery delay early: " + trail.calls());
        assertNull(watched.watch().containment(), "nothing to verify before containment");
        verify(channel, never()).postContainmentCheck(any(), any());
    }

    /**
     * An approver marks the new call's source the owner's while the watch redraws the sources: the watch's proposal,
     * made before the mark, is not offered after it (the mark's withdrawal would have found nothing to withdraw).
     */
    @Test
    void aSourceMarkedTheOwnersWhileTheWatchOffersKeepsItsResourceUnoffered() throws Exception {
        IncidentId id = scanned();
        store.update(id, i -> i.withAttribution(Attribution.NONE)); // every source the attacker's until marked
        trail.add(REGION, TrailEvents.event("e1", Instant.parse("2026-11-28T16:03:00Z"), REGION, KEY,
                "iam.amazonaws.com", "CreateUser").readOnly(false).request("userName", "backdoor")
                .response("{\"user\":{\"userName\":\"backdoor\"}}").json());
        doAnswer(call -> store.update(id, i -> {
            Attribution marked = i.attribution();
            for (CallSource source : i.findings().sources()) {
                marked = marked.marked(source.id(), new SourceMark(Verdict.OWNER, "U0APPROVER", clock.instant()));
            }
            return i.withAttribution(marked);
        })).when(channel).showSources(any());

        at("16:20");
        watch().watchAll();

        verify(channel).postWatchedActivity(any(), any());
        verify(channel, never()).postStep(any(), eq(new StepId(StepKind.CLEAN_UP, "IAM_USER|us-east-1||backdoor")));
        assertTrue(stored(id).step(new StepId(StepKind.CLEAN_UP, "IAM_USER|us-east-1||backdoor")).isEmpty());
    }

    @Test
    void containmentIsVerifiedOnceTheTrailIsReadPastTheDelayWithTheDeniedCallsShownAndSaidOnce() throws Exception {
        IncidentId id = scanned();
        contained(id, StepKind.DEACTIVATE_KEY, "16:01");
        trail.add(REGION, TrailEvents.event("e2", Instant.parse("2026-11-28T16:02:00Z"), REGION, KEY,
                "iam.amazonaws.com", "CreateUser").readOnly(false).error("AccessDenied").json());
        trail.add(REGION, TrailEvents.event("e3", Instant.parse("2026-11-28T15:59:00Z"), REGION, KEY,
                "s3.amazonaws.com", "ListBuckets").readOnly(true).json());

        at("16:05");
        watch().watchAll();
        verify(channel, never()).postContainmentCheck(any(), any()); // events of 16:05 may still arrive
        at("16:20");
        watch().watchAll();
        at("16:25");
        watch().watchAll();

        ArgumentCaptor<ContainmentCheck> check = ArgumentCaptor.forClass(ContainmentCheck.class);
        verify(channel, times(1)).postContainmentCheck(any(), check.capture());
        assertEquals(ContainmentCheck.Verdict.VERIFIED, check.getValue().announced());
        assertEquals(1, check.getValue().denied());
        assertEquals("e2", check.getValue().deniedCalls().get(0).eventId());
        assertEquals(0, check.getValue().succeeded(), "the success at 15:59 was before containment");
        assertTrue(stored(id).audit().stream().anyMatch(e -> e.action().equals("checked containment")
                && e.result().startsWith("verified")));
    }

    @Test
    void aMintedSessionsSuccessAfterContainmentIsNamedUntilItsSessionsAreRevoked() throws Exception {
        IncidentId id = scanned();
        contained(id, StepKind.DEACTIVATE_KEY, "16:01");
        trail.add(REGION, TrailEvents.event("e4", Instant.parse("2026-11-28T16:02:00Z"), REGION, SESSION,
                "s3.amazonaws.com", "ListBuckets").readOnly(true).json());

        at("16:05");
        watch().watchAll();
        at("16:10");
        watch().watchAll();
        ArgumentCaptor<ContainmentCheck> check = ArgumentCaptor.forClass(ContainmentCheck.class);
        verify(channel, times(1)).postContainmentCheck(any(), check.capture());
        assertEquals(ContainmentCheck.Verdict.NOT_VERIFIED, check.getValue().announced());
        assertEquals(1, check.getValue().succeeded());
        ContainmentCheck.Call call = check.getValue().stillSucceeded().get(0);
        assertEquals(List.of(SESSION, "ListBuckets", "e4"), List.of(call.accessKeyId(), call.eventName(), call.eventId()));

        contained(id, StepKind.REVOKE_SESSIONS, "16:11");
        at("16:30");
        watch().watchAll();

        verify(channel, times(2)).postContainmentCheck(any(), check.capture());
        assertEquals(ContainmentCheck.Verdict.VERIFIED, check.getValue().announced());
        assertEquals(Instant.parse("2026-11-28T16:11:00Z"), check.getValue().containedAt());
    }

    @Test
    void aContainmentDuringAReadSendsTheWindowToBeReadAgainSoNoCallEscapesTheCheck() throws Exception {
        IncidentId id = scanned();
        trail.add(REGION, TrailEvents.event("e7", Instant.parse("2026-11-28T16:02:00Z"), REGION, SESSION,
                "s3.amazonaws.com", "ListBuckets").readOnly(true).json());
        AtomicBoolean first = new AtomicBoolean(true);
        TrailEventSource containedMidRead = (region, key, from, to, sink) -> {
            if (first.getAndSet(false)) {
                contained(id, StepKind.DEACTIVATE_KEY, "16:01");
            }
            trail.eventsForKey(region, key, from, to, sink);
        };
        Responders responders = reading(containedMidRead, MockedSteps.every(store, channel, clock, null), REGION);
        IncidentWatch watch = new IncidentWatch(store, channel, new Runbook(store, channel, responders, false, clock),
                responders, new StepLease("pid1-aaaaaa", Duration.ZERO), DELAY, clock);

        at("16:05");
        watch.watchAll();
        assertEquals(SCANNED, stored(id).watch().readUntil(), "nothing recorded from a read judged without the check");
        watch.watchAll();

        assertEquals(1, stored(id).watch().containment().succeeded());
        verify(channel).postContainmentCheck(any(), argThat(c -> c.announced() == ContainmentCheck.Verdict.NOT_VERIFIED));
        verify(channel, times(1)).postWatchedActivity(any(), any());
    }

    @Test
    void theWatchStopsWhenTheIncidentIsClosed() throws Exception {
        IncidentId id = scanned();
        at("16:05");
        watch().watchAll();
        int lookups = trail.calls().size();
        store.update(id, i -> i.closed(clock.instant()));
        trail.add(REGION, TrailEvents.event("e5", Instant.parse("2026-11-28T16:06:00Z"), REGION, KEY,
                "iam.amazonaws.com", "CreateUser").readOnly(false).json());

        at("16:10");
        watch().watchAll();

        assertEquals(lookups, trail.calls().size(), "no lookup after closing: " + trail.calls());
        assertFalse(store.watched().contains(id));
        verify(channel, never()).postWatchedActivity(any(), any());
    }

    @Test
    void aRestartedBotGoesOnWhereTheWatchStoppedWithoutPostingAgain() throws Exception {
        IncidentId id = scanned();
        trail.add(REGION, TrailEvents.event("e6", Instant.parse("2026-11-28T16:04:00Z"), REGION, KEY,
                "iam.amazonaws.com", "CreateUser").readOnly(false).json());
        at("16:05");
        watch().watchAll();
        verify(channel, times(1)).postWatchedActivity(any(), any());

        journal.close();
        journal = TempIncidentStore.open(dir, clock);
        store = journal.store();
        at("16:10");
        watch("pid2-bbbbbb", Duration.ZERO).watchAll();

        verify(channel, times(1)).postWatchedActivity(any(), any());
        assertTrue(trail.calls().contains("us-east-1 " + KEY + " 2026-11-28T15:50:00Z 2026-11-28T16:10:00Z"),
                "read on from the stored position: " + trail.calls());
        assertEquals("pid2-bbbbbb", stored(id).watch().watcher());
        assertEquals(1, stored(id).watch().eventsFound());
    }

    @Test
    void ofTwoReplicasOnlyOneReadsUntilItFallsSilentPastTheLease() throws Exception {
        IncidentId id = scanned();
        Duration lease = Duration.ofMinutes(10);
        IncidentWatch first = watch("pid1-aaaaaa", lease);
        IncidentWatch second = watch("pid2-bbbbbb", lease);

        at("16:05");
        first.watchAll();
        int lookups = trail.calls().size();
        second.watchAll();
        assertEquals(lookups, trail.calls().size(), "the other replica holds the watch");
        at("16:14");
        second.watchAll();
        assertEquals(lookups, trail.calls().size(), "within the lease");

        at("16:16");
        second.watchAll();
        assertTrue(trail.calls().size() > lookups, "taken over once the first fell silent");
        assertEquals("pid2-bbbbbb", stored(id).watch().watcher());
        int after = trail.calls().size();
        first.watchAll();
        assertEquals(after, trail.calls().size(), "the first, back, leaves it to the second");
    }

    @Test
    void aStoreThatCannotListTheWatchedIncidentsEndsTheRoundNotTheSchedule() {
        IncidentStore failing = mock(IncidentStore.class);
        when(failing.watched()).thenThrow(new IllegalStateException("dynamodb:Query: ThrottlingException"));
        Responders responders = reading(trail, List.of(), REGION);
        IncidentWatch watch = new IncidentWatch(failing, channel, new Runbook(failing, channel, responders, false,
                clock), responders, new StepLease("pid1-aaaaaa", Duration.ZERO), DELAY, clock);

        assertDoesNotThrow(watch::watchAll);
        assertEquals(List.of(), trail.calls());
    }

    @Test
    void memoryStaysBoundedWhateverTheAttackerDoes() throws Exception {
        IncidentId id = scanned();
        contained(id, StepKind.DEACTIVATE_KEY, "16:00");
        Instant start = Instant.parse("2026-11-28T16:01:00Z");
        for (int i = 0; i < 600; i++) {
            trail.add(REGION, TrailEvents.event("burst-" + i, start.plusMillis(100L * i), REGION, SESSION,
                    "s3.amazonaws.com", "ListBuckets").readOnly(true).json());
        }
        at("16:05");
        watch().watchAll();

        TrailWatch watched = stored(id).watch();
        assertEquals(TrailWatch.RECENT_KEPT, watched.recentIds().size());
        assertEquals("burst-599", watched.recentIds().get(0), "the newest are kept");
        assertEquals(600, watched.containment().succeeded());
        assertEquals(ContainmentCheck.SAMPLES, watched.containment().stillSucceeded().size());
        verify(channel).postWatchedActivity(any(), argThat(r -> r.totalEvents() == 600));
    }
}
