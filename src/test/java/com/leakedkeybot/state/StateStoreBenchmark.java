package com.leakedkeybot.state;

import com.leakedkeybot.audit.AuditEntry;
import com.leakedkeybot.aws.DynamoDbIncidentStore;
import com.leakedkeybot.incident.CachedIncidentStore;
import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.IncidentId;
import com.leakedkeybot.incident.IncidentStore;
import com.leakedkeybot.sandbox.MotoServer;
import com.leakedkeybot.step.StepKind;
import com.leakedkeybot.step.StepOutcome;
import com.leakedkeybot.step.StepState;
import com.leakedkeybot.testkit.AwsTestClients;
import com.leakedkeybot.testkit.SampleIncidents;
import com.leakedkeybot.testkit.SharedMoto;
import com.leakedkeybot.testkit.StateTables;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Cost per incident operation for each store, and how it grows with the number of open incidents. A command, not a
 * test (tagged "benchmark", excluded from the build):
 *
 * <pre>./mvnw -q test -Dgroups=benchmark -DexcludedGroups= -Dtest=StateStoreBenchmark -Dsurefire.failIfNoSpecifiedTests=false</pre>
 *
 * Each operation goes through the Caffeine layer, as in the bot: a cached read is a hit; a durable write appends an
 * audit entry (journal: append + fdatasync; DynamoDB: consistent Query + conditional PutItem + the entry's own
 * PutItem); a conditional approval claims a step (OFFERED/FAILED → RUNNING) in the store's atomic read-modify-write.
 * DynamoDB runs on moto, so its numbers measure moto on this machine, not AWS: moto serves one request at a time and
 * scans the whole table for every Query.
 */
@Tag("benchmark")
class StateStoreBenchmark {

    private static final int READS = 200_000;
    private static final int JOURNAL_WRITES = 200;
    /** moto answers a write in tens of milliseconds, and slower as the table grows: fewer samples there. */
    private static final int MOTO_WRITES = 40;
    private static final IncidentJson JSON = new IncidentJson();
    private static final Retention RETENTION = Retention.ofClosedIncidents(Duration.ofDays(90));

    @Test
    void journal() throws Exception {
        for (int open : new int[] {10, 1_000, 100_000}) {
            Path dir = Files.createTempDirectory("bench-journal-");
            List<IncidentId> ids = layDownJournal(dir, open);
            long start = System.nanoTime();
            try (JournalIncidentStore journal = JournalIncidentStore.open(dir, JSON, RETENTION, Clock.systemUTC())) {
                double replayMs = (System.nanoTime() - start) / 1e6;
                measure("journal", open, JOURNAL_WRITES, new CachedIncidentStore(journal, 100_000, Duration.ofDays(1)), ids,
                        String.format(Locale.ROOT, "replay on start %.0f ms", replayMs));
            }
        }
    }

    @Test
    void dynamoDbOnMoto() throws Exception {
        DynamoDbClient dynamo = AwsTestClients.dynamoDb(SharedMoto.get().endpoint());
        // moto scans the whole table for every Query (real DynamoDB reads one partition), so its cost grows with the
        // table: loading 1,000 open incidents alone took over 5 minutes, so 100 is the top here.
        for (int open : new int[] {10, 100}) {
            DynamoDbIncidentStore store = new DynamoDbIncidentStore(dynamo, StateTables.create(dynamo), JSON, RETENTION);
            List<IncidentId> ids = createInParallel(store, open);
            measure("dynamodb (moto)", open, MOTO_WRITES, new CachedIncidentStore(store, 100_000, Duration.ofSeconds(30)),
                    ids, "");
        }
    }

    private static void measure(String name, int open, int writes, IncidentStore store, List<IncidentId> ids,
                                String note) {
        // Untimed warm-up: the JIT compiles the paths, and the hot incidents are loaded into the cache.
        for (int round = 0; round < 3; round++) {
            readHotIncidents(store, ids);
        }
        writeAuditEntries(store, ids, writes / 4);
        long start = System.nanoTime();
        readHotIncidents(store, ids);
        double readNs = (System.nanoTime() - start) / (double) READS;

        start = System.nanoTime();
        writeAuditEntries(store, ids, writes);
        double writeUs = (System.nanoTime() - start) / 1e3 / writes;


        long claiming = 0;
        for (int i = 0; i < writes; i++) {
            IncidentId id = ids.get((i * 7919) % ids.size());
            long t = System.nanoTime();
            store.update(id, StateStoreBenchmark::claim);
            claiming += System.nanoTime() - t;
            store.update(id, StateStoreBenchmark::fail); // makes it claimable again, untimed
        }
        double approvalUs = claiming / 1e3 / writes;
        System.out.printf(Locale.ROOT, "BENCH %-16s open=%7d  cached read %8.0f ns/op  durable write %8.0f µs/op  "
                + "conditional approval %8.0f µs/op  %s%n", name, open, readNs, writeUs, approvalUs, note);
    }

    /** The 1,000 (or fewer) incidents a busy bot works on, read round-robin. */
    private static void readHotIncidents(IncidentStore store, List<IncidentId> ids) {
        for (int i = 0; i < READS; i++) {
            store.find(ids.get(i % Math.min(ids.size(), 1_000)));
        }
    }

    private static void writeAuditEntries(IncidentStore store, List<IncidentId> ids, int count) {
        for (int i = 0; i < count; i++) {
            int n = i;
            store.update(ids.get(i % ids.size()), incident -> incident.audited(
                    new AuditEntry(SampleIncidents.AT, "U0BENCH", "noted " + n, "ok")));
        }
    }

    private static Incident claim(Incident incident) {
        StepState step = incident.step(StepKind.DEACTIVATE_KEY).orElseThrow();
        if (!step.claimable()) {
            return incident;
        }
        return incident.withStep(step.running("U0BENCH", SampleIncidents.AT, "bench"))
                .audited(new AuditEntry(SampleIncidents.AT, "U0BENCH", "approved Deactivate key", "executing"));
    }

    private static Incident fail(Incident incident) {
        StepState step = incident.step(StepKind.DEACTIVATE_KEY).orElseThrow();
        return incident.withStep(step.finished(StepOutcome.failure("bench", "again"), SampleIncidents.AT));
    }

    /** Writes a journal of {@code count} incidents directly (no fsync per line), as a long-running bot would leave. */
    private static List<IncidentId> layDownJournal(Path dir, int count) throws IOException {
        List<IncidentId> ids = new ArrayList<>(count);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(
                dir.resolve(JournalIncidentStore.JOURNAL)), 1 << 20)) {
            for (int i = 0; i < count; i++) {
                Incident incident = SampleIncidents.offered(SampleIncidents.newId());
                ids.add(incident.id());
                out.write(JournalIncidentStore.record(JSON.write(incident)));
            }
        }
        return ids;
    }

    private static List<IncidentId> createInParallel(IncidentStore store, int count) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<IncidentId>> created = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                created.add(pool.submit(() -> {
                    Incident incident = SampleIncidents.offered(SampleIncidents.newId());
                    store.create(incident);
                    return incident.id();
                }));
            }
            List<IncidentId> ids = new ArrayList<>(count);
            for (Future<IncidentId> id : created) {
                ids.add(id.get());
            }
            return ids;
        } finally {
            pool.shutdown();
        }
    }
}
