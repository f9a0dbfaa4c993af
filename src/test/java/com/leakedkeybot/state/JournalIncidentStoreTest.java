package com.leakedkeybot.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.leakedkeybot.audit.AuditEntry;
import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.IncidentStore;
import com.leakedkeybot.incident.IncidentStoreContract;
import com.leakedkeybot.testkit.SampleIncidents;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import com.leakedkeybot.incident.IncidentId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalIncidentStoreTest extends IncidentStoreContract {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2027-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static final IncidentJson JSON = new IncidentJson();

    @TempDir
    Path dir;

    private JournalIncidentStore store;

    @BeforeEach
    void open() {
        store = JournalIncidentStore.open(dir, JSON, Retention.ofClosedIncidents(Duration.ofDays(90)), CLOCK);
    }

    @AfterEach
    void close() throws IOException {
        store.close();
    }

    @Override
    protected IncidentStore store() {
        return store;
    }

    @Override
    protected IncidentStore reopen() throws IOException {
        store.close();
        open();
        return store;
    }

    @Test
    void aSecondProcessCannotOpenTheSameDirectory() {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> JournalIncidentStore.open(dir, JSON, Retention.ofClosedIncidents(Duration.ofDays(1)), CLOCK));
        assertTrue(refused.getMessage().contains("in use by another bot process"), refused.getMessage());
    }

    @Test
    void aTornLastRecordIsCutOffAndEverythingAcknowledgedIsKept() throws IOException {
        Incident incident = SampleIncidents.offered(SampleIncidents.newId());
        store.create(incident);
        Incident updated = store.update(incident.id(), i -> i.audited(
                new AuditEntry(SampleIncidents.AT, "U0APPROVER", "noted", "ok")));
        store.close();
        Path journal = dir.resolve(JournalIncidentStore.JOURNAL);
        long acknowledged = Files.size(journal);
        // What SIGKILL in the middle of an append leaves: half a line, no newline.
        Files.writeString(journal, "1a2b3c4d {\"id\":\"LK-2026", StandardOpenOption.APPEND);

        open();

        assertEquals(updated, store.find(incident.id()).orElseThrow());
        assertEquals(acknowledged, Files.size(journal));
        store.update(incident.id(), i -> i.audited(new AuditEntry(SampleIncidents.AT, "U0APPROVER", "again", "ok")));
        assertEquals(updated.audit().size() + 1, store.find(incident.id()).orElseThrow().audit().size());
    }

    @Test
    void damageBeforeTheEndStopsStartUpInsteadOfDroppingLaterChanges() throws IOException {
        store.create(SampleIncidents.offered(SampleIncidents.newId()));
        store.create(SampleIncidents.offered(SampleIncidents.newId()));
        store.close();
        Path journal = dir.resolve(JournalIncidentStore.JOURNAL);
        byte[] bytes = Files.readAllBytes(journal);
        bytes[20] ^= 1;
        Files.write(journal, bytes);

        IllegalStateException refused = assertThrows(IllegalStateException.class, this::open);
        assertTrue(refused.getMessage().contains("damaged at byte 0"), refused.getMessage());
    }

    @Test
    void compactionKeepsTheLatestSnapshotsAndDropsExpiredClosedIncidents() throws IOException {
        Incident open = SampleIncidents.offered(SampleIncidents.newId());
        Incident closed = SampleIncidents.offered(SampleIncidents.newId());
        store.close();
        Set<IncidentId> closedIds = Set.of(closed.id());
        // Closing is not in the incident yet; this rule stands in for its closedAt field.
        Retention retention = new Retention(Duration.ofDays(90),
                i -> closedIds.contains(i.id()) ? Optional.of(Instant.parse("2026-09-01T00:00:00Z")) : Optional.empty());
        store = JournalIncidentStore.open(dir, JSON, retention, CLOCK);
        store.create(open);
        store.create(closed);
        for (int i = 0; i < 50; i++) {
            int n = i;
            store.update(open.id(), x -> x.audited(new AuditEntry(SampleIncidents.AT, "U0A", "note " + n, "ok")));
        }
        Incident latest = store.find(open.id()).orElseThrow();
        long before = store.journalBytes();

        store.compact();

        assertTrue(store.journalBytes() < before / 10, store.journalBytes() + " of " + before);
        assertEquals(latest, store.find(open.id()).orElseThrow());
        assertTrue(store.find(closed.id()).isEmpty(), "closed 122 days ago, kept for 90");
        assertTrue(store.findByThread(closed.thread()).isEmpty());
        assertEquals(latest, reopen().find(open.id()).orElseThrow());
        assertEquals(1, Files.readAllLines(dir.resolve(JournalIncidentStore.JOURNAL), StandardCharsets.UTF_8).size());
    }

    /**
     * A change is appended and indexed as one step for compaction. Were compaction able to run between the two, it
     * would copy the incident's previous snapshot into the new file and the index would point into that file at the
     * old file's offset: reads would fail as damaged, and the acknowledged change would be gone after a restart.
     */
    @Test
    void changesAcknowledgedWhileCompactionsRunAreAllReadBackAndSurviveARestart() throws Exception {
        int writers = 8;
        int changesEach = 30;
        List<Incident> incidents = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            Incident incident = SampleIncidents.offered(SampleIncidents.newId());
            store.create(incident);
            incidents.add(incident);
        }
        ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
        try {
            AtomicBoolean writing = new AtomicBoolean(true);
            Future<Integer> compactions = pool.submit(() -> {
                int count = 0;
                while (writing.get()) {
                    store.compact();
                    count++;
                }
                return count;
            });
            List<Future<Incident>> acknowledged = new ArrayList<>();
            for (Incident incident : incidents) {
                acknowledged.add(pool.submit(() -> {
                    Incident last = incident;
                    for (int n = 0; n < changesEach; n++) {
                        String note = "change " + n;
                        last = store.update(incident.id(), x -> x.audited(
                                new AuditEntry(SampleIncidents.AT, "U0A", note, "ok")));
                        assertEquals(last, store.find(incident.id()).orElseThrow());
                    }
                    return last;
                }));
            }
            List<Incident> latest = new ArrayList<>();
            try {
                for (Future<Incident> writer : acknowledged) {
                    latest.add(writer.get(60, TimeUnit.SECONDS));
                }
            } finally {
                writing.set(false);
            }
            assertTrue(compactions.get(60, TimeUnit.SECONDS) > 1, "compactions ran while the writers wrote");

            IncidentStore restarted = reopen();
            for (int i = 0; i < writers; i++) {
                Incident last = latest.get(i);
                assertEquals(incidents.get(i).audit().size() + changesEach, last.audit().size());
                assertEquals(last, restarted.find(last.id()).orElseThrow(), "acknowledged, then lost in a restart");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void everyRecordIsOneChecksummedJsonLine() throws IOException {
        Incident incident = SampleIncidents.offered(SampleIncidents.newId());
        store.create(incident);

        String line = Files.readAllLines(dir.resolve(JournalIncidentStore.JOURNAL)).get(0);

        assertTrue(line.matches("[0-9a-f]{8} \\{\"id\":\"" + incident.id() + "\",.*\\}"), line);
    }
}
