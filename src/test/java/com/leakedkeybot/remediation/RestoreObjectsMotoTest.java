package com.leakedkeybot.remediation;

import com.leakedkeybot.aws.S3ObjectVersions;
import com.leakedkeybot.incident.Findings;
import com.leakedkeybot.investigation.AffectedResource.Action;
import com.leakedkeybot.investigation.AffectedResource.Kind;
import com.leakedkeybot.investigation.AffectedResource;
import com.leakedkeybot.key.AccessKeyId;
import com.leakedkeybot.sandbox.MotoServer;
import com.leakedkeybot.step.Refusal;
import com.leakedkeybot.step.StepId;
import com.leakedkeybot.step.StepKind;
import com.leakedkeybot.step.StepState;
import com.leakedkeybot.testkit.ApprovalHarness;
import com.leakedkeybot.testkit.Await;
import com.leakedkeybot.testkit.AwsTestClients;
import com.leakedkeybot.testkit.SharedMoto;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.verify;


/**
 * A versioned bucket with legitimate history, then the attacker's overwrite, delete and new object (with and without
 * the version ids CloudTrail logs), an object nobody attacked and one written again legitimately after the attacker —
 * all for real in moto. The approved restore gives back exactly the attacked objects' earlier content, keeps every
 * version, and leaves the others as they are.
 */
class RestoreObjectsMotoTest {

    private static final String KEY = "AKIALEAKEDKEY0000001";
    private static final String LOG_FILE = "AWSLogs/123456789012/CloudTrail/us-east-1/2026/01/02/trail.json.gz";
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static S3Client s3;
    /** One attacked bucket pair per test, all made together so that they share the waits the history needs. */
    private static final Queue<AttackedBuckets> ATTACKED = new ConcurrentLinkedQueue<>();

    @TempDir
    Path dir;

    private ApprovalHarness bot;
    private RestoreObjectsStep restore;
    private String bucket;
    private String plainBucket;
    private String trailBucket;
    private StepId step;
    private List<AffectedResource> found;

    /**
     * Legitimate history, then what the leaked key did, then what others did afterwards. The step tells versions
     * apart by time where CloudTrail logged no version id, so each phase starts more than SAME_WRITE after the one
     * before it, as S3 and CloudTrail time it (in whole seconds): waiting for that is the fixture, not a pause.
     */
    @BeforeAll
    static void attackedBuckets() throws Exception {
        s3 = AwsTestClients.s3(SharedMoto.get().endpoint());
        long tests = Arrays.stream(RestoreObjectsMotoTest.class.getDeclaredMethods())
                .filter(m -> m.isAnnotationPresent(Test.class)).count();
        List<AttackedBuckets> all = new ArrayList<>();
        for (int i = 0; i < tests; i++) {
            all.add(new AttackedBuckets());
        }
        all.forEach(AttackedBuckets::legitimateHistory);
        awaitSameWritePassed(all);
        all.forEach(AttackedBuckets::attack);
        // A restore comes minutes after the attack, never within SAME_WRITE of it: as here.
        awaitSameWritePassed(all);
        all.forEach(AttackedBuckets::afterwards);
        ATTACKED.addAll(all);
    }

    @BeforeEach
    void incident() {
        AttackedBuckets attacked = ATTACKED.remove();
        bucket = attacked.bucket;
        plainBucket = attacked.plainBucket;
        trailBucket = attacked.trailBucket;
        found = attacked.found;
        restore = new RestoreObjectsStep(new S3ObjectVersions(region -> s3));
        bot = new ApprovalHarness(dir, new AccessKeyId(KEY), "leaky", List.of(restore));
        bot.store.update(bot.id, i -> i.withFindings(new Findings(null, Instant.now(), found.size(), found, List.of(),
                List.of(), List.of())));
        step = new StepId(StepKind.RESTORE_OBJECTS, bucket);
    }

    /** A versioned bucket and an unversioned one, and what the leaked key did to them as CloudTrail shows it. */
    private static final class AttackedBuckets {
        final String bucket;
        final String plainBucket;
        final String trailBucket;
        final List<AffectedResource> found = new ArrayList<>();
        private String evidence;

        AttackedBuckets() {
            String s = UUID.randomUUID().toString().substring(0, 8);
            bucket = "finance-" + s;
            plainBucket = "scratch-" + s;
            trailBucket = "trail-" + s;
        }

        void legitimateHistory() {
            s3.createBucket(r -> r.bucket(bucket));
            s3.putBucketVersioning(r -> r.bucket(bucket).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
            s3.createBucket(r -> r.bucket(plainBucket));
            for (String key : List.of("ledger.csv", "contracts/nda.pdf", "contracts/nda.pdf.bak", "untouched.csv",
                    "budget.xlsx", "notes.txt", "evidence.log", LOG_FILE)) {
                put(bucket, key, "original " + key);
            }
            put(plainBucket, "cache.json", "original cache");
        }

        /** What the leaked key did; CloudTrail logged version ids for most writes, not for the last two. */
        void attack() {
            attackerWrite("ledger.csv", Action.CHANGED, put(bucket, "ledger.csv", "ENCRYPTED"));
            attackerWrite("contracts/nda.pdf", Action.DELETED,
                    s3.deleteObject(r -> r.bucket(bucket).key("contracts/nda.pdf")).versionId());
            attackerWrite("ransom-note.txt", Action.CHANGED, put(bucket, "ransom-note.txt", "pay us"));
            attackerWrite("budget.xlsx", Action.CHANGED, put(bucket, "budget.xlsx", "ENCRYPTED"));
            evidence = put(bucket, "evidence.log", "ENCRYPTED");
            attackerWrite("evidence.log", Action.CHANGED, evidence);
            put(bucket, "notes.txt", "ENCRYPTED");
            attackerWrite("notes.txt", Action.CHANGED, null);
            attackerWrite(LOG_FILE, Action.DELETED, s3.deleteObject(r -> r.bucket(bucket).key(LOG_FILE)).versionId());
            s3.putObject(r -> r.bucket(plainBucket).key("cache.json"), RequestBody.fromString("ENCRYPTED"));
            found.add(object(plainBucket, "cache.json", Action.CHANGED, null));
            // A bucket where the key only deleted a trail's log file: never looked at in S3.
            found.add(object(trailBucket, "org/" + LOG_FILE, Action.DELETED, "v-1"));
        }

        /** Legitimately: budget.xlsx is written again, and someone removes the attacker's evidence.log version for good. */
        void afterwards() {
            put(bucket, "budget.xlsx", "new budget");
            s3.deleteObject(r -> r.bucket(bucket).key("evidence.log").versionId(evidence));
        }

        /** When S3 last wrote to these buckets. */
        Instant lastWrite() {
            return s3.listObjectVersions(r -> r.bucket(bucket)).versions().stream().map(ObjectVersion::lastModified)
                    .max(Comparator.naturalOrder()).orElseThrow();
        }

        private void attackerWrite(String key, Action action, String versionId) {
            found.add(object(bucket, key, action, versionId));
        }
    }

    /** Waits until the whole second now is more than SAME_WRITE after every write so far, as S3 timed them. */
    private static void awaitSameWritePassed(List<AttackedBuckets> all) throws InterruptedException {
        Instant last = all.stream().map(AttackedBuckets::lastWrite).max(Comparator.naturalOrder()).orElseThrow();
        Await.until("more than " + RestoreObjectsStep.SAME_WRITE + " since S3's last write at " + last, WAIT,
                () -> Instant.now().truncatedTo(ChronoUnit.SECONDS).isAfter(last.plus(RestoreObjectsStep.SAME_WRITE)));
    }

    @AfterEach
    void close() throws Exception {
        bot.close();
    }

    @Test
    void aVersionedBucketGetsAStepAndAnUnversionedOneOrOneOfLogFilesOnlyAnExplanationWithoutAButton() {
        Proposals proposals = restore.propose(bot.incident());

        assertEquals(List.of(step), proposals.steps());
        assertEquals(List.of("Restoring objects in S3 bucket " + plainBucket, "Restoring objects in S3 bucket "
                + trailBucket), proposals.notes().stream().map(Proposals.Note::subject).toList());
        String why = proposals.notes().get(0).text();
        assertTrue(why.contains("versioning was never enabled") && why.contains("backup"), why);
        String logs = proposals.notes().get(1).text();
        assertTrue(logs.startsWith("the 1 object(s) the key wrote or deleted there are AWS log files: the bot never "
                + "writes them"), logs);
    }

    @Test
    void theApprovedRestoreGivesBackTheAttackedObjectsAndLeavesTheRestAlone() throws Exception {
        bot.offers.offer(bot.id, step);
        bot.approve(step, ApprovalHarness.REPORTER);
        verify(bot.channel).refuse(any(), eq(ApprovalHarness.REPORTER),
                argThat(r -> r.reason() == Refusal.Reason.REPORTER_ON_DESTRUCTIVE_STEP));
        assertEquals("ENCRYPTED", content("ledger.csv"), "refused: nothing restored");

        bot.clickTogether(step);

        assertEquals(1, bot.approvals(step));
        StepState done = bot.incident().step(step).orElseThrow();
        assertEquals(StepState.Status.SUCCEEDED, done.status(), String.valueOf(done.outcome()));
        assertEquals("original ledger.csv", content("ledger.csv"));
        assertEquals("original contracts/nda.pdf", content("contracts/nda.pdf"));
        assertEquals("original notes.txt", content("notes.txt"), "recognised by time, without a version id");
        assertThrows(NoSuchKeyException.class, () -> content("ransom-note.txt"), "the attacker's object is hidden");
        assertEquals("new budget", content("budget.xlsx"), "written after the attacker: left alone");
        assertEquals("original evidence.log", content("evidence.log"));
        assertEquals("original untouched.csv", content("untouched.csv"));
        assertEquals("original contracts/nda.pdf.bak", content("contracts/nda.pdf.bak"));
        // Nothing deleted for good: every version is still there, plus exactly one restore per attacked object.
        assertEquals(3, versions("ledger.csv"), "original, attacker's, one restored copy despite eight clicks");
        assertEquals(2, versions("ransom-note.txt"), "the attacker's version and the delete marker");
        assertEquals(1, versions("untouched.csv"));
        assertEquals(3, versions("budget.xlsx"));
        String summary = done.outcome().summary();
        assertTrue(summary.contains("3 object(s) hold their version from before the attacker again (read back from "
                + "S3): contracts/nda.pdf, ledger.csv, notes.txt."), summary);
        assertTrue(summary.contains("1 object(s) created by the attacker, now hidden behind a delete marker"), summary);
        assertTrue(summary.contains("1 object(s) changed by someone after the attacker: left as they are — review "
                + "them: budget.xlsx."), summary);
        assertTrue(summary.contains("not in their version history") && summary.contains("evidence.log"), summary);
        assertThrows(NoSuchKeyException.class, () -> content(LOG_FILE), "a deleted log file is left to people");
        assertEquals(2, versions(LOG_FILE), "its version and the attacker's delete marker, nothing more");
        assertTrue(summary.contains("1 object(s) are AWS log files, left as they are — the bot never writes them")
                && summary.endsWith(": " + LOG_FILE + "."), summary);
    }

    @Test
    void aBucketWhoseVersioningWasSuspendedSinceFailsWithoutChangingAnything() {
        bot.offers.offer(bot.id, step);
        s3.putBucketVersioning(r -> r.bucket(bucket).versioningConfiguration(v -> v.status(BucketVersioningStatus.SUSPENDED)));

        bot.approve(step, "U0SECOND");

        StepState failed = bot.incident().step(step).orElseThrow();
        assertEquals(StepState.Status.FAILED, failed.status());
        assertTrue(failed.outcome().summary().contains("Versioning is no longer enabled"), failed.outcome().summary());
        assertEquals("ENCRYPTED", content("ledger.csv"));
    }

    @Test
    void aRestartAfterTheRestoreIsConfirmedFromS3() throws Exception {
        bot.offers.offer(bot.id, step);
        bot.approve(step, "U0SECOND");

        StepState rechecked = bot.restartMidStep(step);

        assertEquals(StepState.Status.SUCCEEDED, rechecked.status(), String.valueOf(rechecked.outcome()));
        assertTrue(rechecked.outcome().summary().contains("confirmed by reading S3 after a restart"));
        assertEquals(3, versions("ledger.csv"), "the re-check only reads");
    }

    @Test
    void aRestartBeforeTheRestoreReadsS3AndCompletesTheApprovedRestore() {
        bot.offers.offer(bot.id, step);
        StepState offered = bot.incident().step(step).orElseThrow();
        bot.store.update(bot.id, i -> i.withStep(offered.running("U0SECOND", Instant.now(), "pid9-dead")));

        bot.recovery.recoverAbandoned();

        StepState completed = bot.incident().step(step).orElseThrow();
        assertEquals(StepState.Status.SUCCEEDED, completed.status(), String.valueOf(completed.outcome()));
        assertTrue(completed.outcome().summary().startsWith("Completed after a restart: Bucket " + bucket),
                completed.outcome().summary());
        assertEquals("original ledger.csv", content("ledger.csv"), "the approved restore was completed");
        assertEquals(3, versions("ledger.csv"), "restored as a new version: the attacker's is kept in the history");
    }

    /** Puts an object; returns the new version's id. */
    private static String put(String into, String key, String content) {
        return s3.putObject(r -> r.bucket(into).key(key), RequestBody.fromString(content)).versionId();
    }

    /** As the extractor makes it from the data event; without a version id, at the second the write happened. */
    private static AffectedResource object(String in, String key, Action action, String versionId) {
        Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return new AffectedResource(Kind.S3_OBJECT, key, in, action, "us-east-1",
                action == Action.DELETED ? "DeleteObject" : "PutObject", "e-" + key, at, KEY, null, versionId);
    }

    private String content(String key) {
        return s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asUtf8String();
    }

    private long versions(String key) {
        var listing = s3.listObjectVersions(r -> r.bucket(bucket).prefix(key));
        return listing.versions().stream().filter(v -> v.key().equals(key)).count()
                + listing.deleteMarkers().stream().filter(m -> m.key().equals(key)).count();
    }
}
