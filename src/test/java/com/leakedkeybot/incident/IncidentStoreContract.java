package com.leakedkeybot.incident;

import com.leakedkeybot.audit.AuditEntry;
import com.leakedkeybot.key.AccessKeyId;
import com.leakedkeybot.step.StepKind;
import com.leakedkeybot.step.StepOutcome;
import com.leakedkeybot.step.StepState;
import com.leakedkeybot.testkit.SampleIncidents;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;


/**
 * What every {@link IncidentStore} promises, run against each implementation by a subclass: round trips without loss,
 * atomic read-modify-write (one winner among concurrent claims, no lost update), the append-only audit trail, the
 * thread and in-flight lookups, and durability across a reopening.
 */
public abstract class IncidentStoreContract {

    /** The store under test; the same backing state on every call until {@link #reopen()}. */
    protected abstract IncidentStore store();

    /** Drops the store and opens a new one on the same backing state, as a restarted process would; returns it. */
    protected abstract IncidentStore reopen() throws Exception;

    @Test
    void anIncidentRoundTripsWithEveryField() throws Exception {
        Incident incident = SampleIncidents.offered(SampleIncidents.newId());
        store().create(incident);

        assertEquals(incident, store().find(incident.id()).orElseThrow());
        assertEquals(incident, reopen().find(incident.id()).orElseThrow());
    }

    @Test
    void creatingAnExistingIdFails() {
        Incident incident = SampleIncidents.offered(SampleIncidents.newId());
        store().create(incident);

        assertThrows(IllegalStateException.class, () -> store().create(incident));
    }

    @Test
    void aKeyHasOneOpenIncidentUntilItIsClosedAlsoAfterAReopening() throws Exception {
        AccessKeyId key = freshKey();
        Incident first = Incident.reported(SampleIncidents.newId(), key, "U0A", SampleIncidents.AT, false);
        Incident second = Incident.reported(SampleIncidents.newId(), key, "U0B", SampleIncidents.AT, false);

        assertEquals(Optional.empty(), store().createUnlessOpen(first));
        assertEquals(Optional.of(first.id()), store().createUnlessOpen(second));
        assertTrue(store().find(second.id()).isEmpty(), "nothing stored for the second report");
        assertEquals(Optional.of(first.id()), reopen().createUnlessOpen(second), "the open incident is durable");

        store().update(first.id(), i -> i.closed(SampleIncidents.AT.plusSeconds(60)));
        assertEquals(Optional.empty(), store().createUnlessOpen(second), "once closed, the key may be reported anew");
        assertEquals(second, store().find(second.id()).orElseThrow());
    }

    @Test
    void openIncidentsAreListedUntilClosedAlsoAfterAReopening() throws Exception {
        Incident open = Incident.reported(SampleIncidents.newId(), freshKey(), "U0A", SampleIncidents.AT, false);
        Incident closing = Incident.reported(SampleIncidents.newId(), freshKey(), "U0B", SampleIncidents.AT, false);
        store().createUnlessOpen(open);
        store().createUnlessOpen(closing);
        assertTrue(store().open().containsAll(List.of(open.id(), closing.id())), store().open().toString());

        store().update(closing.id(), i -> i.closed(SampleIncidents.AT.plusSeconds(60)));

        List<IncidentId> listed = reopen().open();
        assertTrue(listed.contains(open.id()), listed.toString());
        assertFalse(listed.contains(closing.id()), "a closed incident is not open");
    }

    @Test
    void simultaneousReportsOfOneKeyStoreOneIncident() throws Exception {
        AccessKeyId key = freshKey();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Optional<IncidentId>>> reports = new ArrayList<>();
        List<Incident> incidents = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Incident incident = Incident.reported(SampleIncidents.newId(), key, "U0" + i, SampleIncidents.AT, false);
            incidents.add(incident);
            reports.add(pool.submit(() -> {
                start.await();
                return store().createUnlessOpen(incident);
            }));
        }
        start.countDown();
        List<IncidentId> answers = new ArrayList<>();
        for (Future<Optional<IncidentId>> report : reports) {
            report.get(30, TimeUnit.SECONDS).ifPresent(answers::add);
        }
        pool.shutdown();

        List<Incident> stored = incidents.stream().filter(i -> store().find(i.id()).isPresent()).toList();
        assertEquals(1, stored.size(), "one incident stored");
        assertEquals(7, answers.size());
        assertTrue(answers.stream().allMatch(stored.get(0).id()::equals), answers.toString());
    }

    /** A key no other test reports, so that their open incidents do not meet. */
    private static AccessKeyId freshKey() {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        StringBuilder id = new StringBuilder("AKIAY34FZKBO");
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int i = 0; i < 8; i++) {
            id.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return new AccessKeyId(id.toString());
    }

    @Test
    void unknownIncidentsAreNotFoundAndCannotBeUpdated() {
        IncidentId unknown = SampleIncidents.newId();

        assertTrue(store().find(unknown).isEmpty());
        assertTrue(store().findByThread(SampleIncidents.newThread()).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> store().update(unknown, i -> i));
    }

    @Test
    void updatesAreStoredAndSurviveReopening() throws Exception {
        Incident incident = SampleIncidents.offered(SampleIncidents.newId());
        store().create(incident);

        Incident claimed = store().update(incident.id(), SampleIncidentsChanges::claim);

        assertEquals(StepState.Status.RUNNING, claimed.step(StepKind.DEACTIVATE_KEY).orElseThrow().status());
        assertEquals(claimed, store().find(incident.id()).orElseThrow());
        assertEquals(claimed, reopen().find(incident.id()).orElseThrow());
    }

    @Test
    void anIncidentIsFoundByItsThread() throws Exception {
        Incident incident = SampleIncidents.offered(SampleIncidents.newId());
        store().create(incident);

        assertEquals(incident, store().findByThread(incident.thread()).orElseThrow());
        assertEquals(incident, reopen().findByThread(incident.thread()).orElseThrow());
    }

    @Test
    void stepsInFlightAreListedUntilTheyFinish() throws Exception {
        Incident incident = SampleIncidents.offered(SampleIncidents.newId());
        store().create(incident);
        assertFalse(store().withStepsInFlight().contains(incident.id()));

        store().update(incident.id(), SampleIncidentsChanges::claim);
        assertTrue(store().withStepsInFlight().contains(incident.id()));
        assertTrue(reopen().withStepsInFlight().contains(incident.id()), "a restarted process finds it");

        store().update(incident.id(), i -> i.withStep(i.step(StepKind.DEACTIVATE_KEY).orElseThrow()
                .finished(StepOutcome.success("done"), SampleIncidents.AT)));
        assertFalse(store().withStepsInFlight().contains(incident.id()));
    }

    @Test
    void theAuditTrailCannotBeRewritten() {
        Incident incident = SampleIncidents.offered(SampleIncidents.newId());
        store().create(incident);
        List<AuditEntry> forged = new ArrayList<>(incident.audit());
        forged.set(0, new AuditEntry(SampleIncidents.AT, "U0MALLORY", "reported nothing", "nothing happened"));

        assertThrows(IllegalStateException.class, () -> store().update(incident.id(), i -> new Incident(i.id(),
                i.keyId(), i.reporter(), i.reportedAt(), i.secretPastedInReport(), i.thread(), i.facts(), i.findings(), i.steps(),
                forged, i.closedAt(), i.attribution(), i.watch())));
        assertEquals(incident, store().find(incident.id()).orElseThrow());
    }

    @Test
    void watchedIncidentsAreListedUntilClosedAlsoAfterAReopen() throws Exception {
        Incident incident = SampleIncidents.offered(SampleIncidents.newId());
        store().create(incident);
        assertFalse(store().watched().contains(incident.id()), "not watched before its first scan");

        store().update(incident.id(), i -> i.withWatch(TrailWatch.from(SampleIncidents.AT, List.of("e1"))));
        assertTrue(store().watched().contains(incident.id()));
        store().update(incident.id(), i -> i.withStep(i.step(StepKind.DEACTIVATE_KEY).orElseThrow()
                .running("U0APPROVER", SampleIncidents.AT, "p")));
        assertTrue(store().watched().contains(incident.id()), "a step in flight does not hide it");
        assertTrue(reopen().watched().contains(incident.id()), "found again after a restart");

        store().update(incident.id(), i -> i.withStep(i.step(StepKind.DEACTIVATE_KEY).orElseThrow()
                .finished(StepOutcome.success("Inactive"), SampleIncidents.AT)).closed(SampleIncidents.AT.plusSeconds(60)));
        assertFalse(store().watched().contains(incident.id()), "a closed incident is not watched");
    }

    @Test
    void concurrentClaimsHaveExactlyOneWinnerAndNoUpdateIsLost() throws Exception {
        Incident incident = SampleIncidents.offered(SampleIncidents.newId());
        store().create(incident);
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> claims = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String user = "U0CLICK" + t;
            claims.add(pool.submit(() -> {
                go.await();
                boolean[] won = new boolean[1];
                store().update(incident.id(), i -> {
                    won[0] = false; // the change may be applied again after losing a race: decide afresh each time
                    StepState step = i.step(StepKind.DEACTIVATE_KEY).orElseThrow();
                    Incident clicked = i.audited(new AuditEntry(SampleIncidents.AT, user, "clicked", "seen"));
                    if (!step.claimable()) {
                        return clicked;
                    }
                    won[0] = true;
                    return clicked.withStep(step.running(user, SampleIncidents.AT, "bot-1"));
                });
                return won[0];
            }));
        }
        go.countDown();
        int winners = 0;
        for (Future<Boolean> claim : claims) {
            winners += claim.get(60, TimeUnit.SECONDS) ? 1 : 0;
        }
        pool.shutdown();

        assertEquals(1, winners);
        Incident after = store().find(incident.id()).orElseThrow();
        assertEquals(incident.audit().size() + threads, after.audit().size(), "every click is in the trail");
        assertEquals(1, after.step(StepKind.DEACTIVATE_KEY).orElseThrow().attempt());
    }

    /** Changes the tests make. */
    private static final class SampleIncidentsChanges {
        static Incident claim(Incident incident) {
            return incident.withStep(incident.step(StepKind.DEACTIVATE_KEY).orElseThrow()
                    .running("U0APPROVER", SampleIncidents.AT, "bot-1"))
                    .audited(new AuditEntry(SampleIncidents.AT, "U0APPROVER", "approved Deactivate key", "executing"));
        }
    }
}
