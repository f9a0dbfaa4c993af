package com.leakedkeybot.remediation;

import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.investigation.AffectedResource;
import com.leakedkeybot.remediation.port.AwsActionFailure;
import com.leakedkeybot.remediation.port.ObjectVersions;
import com.leakedkeybot.step.StepId;
import com.leakedkeybot.step.StepKind;
import com.leakedkeybot.step.StepOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Runbook "restore changed data", for S3: one step per bucket in which the investigated keys overwrote or deleted
 * objects (CloudTrail data events), the target naming the bucket. Each such object is given back its newest version
 * from before the attacker, from the bucket's own history: the old version is copied over the key (a new version:
 * nothing is deleted), and an object the attacker created is hidden behind a delete marker (removing the marker undoes
 * it). An object someone changed after the attacker is left alone and named for review, and so is a log file AWS
 * delivers under {@code AWSLogs/}: the bot never writes one (its policy denies it), so that whoever controls it cannot
 * rewrite the evidence. Destructive, since it replaces what the objects hold now: the two-person rule applies.
 */
public final class RestoreObjectsStep implements RemediationStep {

    /**
     * How far apart a write's CloudTrail event time and its version's LastModified may be, both to the second, when the
     * event carries no version id (CloudTrail omits it for unversioned writes and in some exports). Another write to the
     * same key within this time would be taken for the attacker's too; the bot's own restore comes minutes later.
     */
    static final Duration SAME_WRITE = Duration.ofSeconds(2);
    private static final int LISTED = 10;
    private static final String LOG_FILES_BY_HAND = "the bot never writes them (its policy denies writes under "
            + "AWSLogs/, so that nobody controlling the bot can rewrite the evidence); keep a copy of what they hold "
            + "now, then restore their earlier versions in the S3 console";

    private final ObjectVersions versions;

    public RestoreObjectsStep(ObjectVersions versions) {
        this.versions = versions;
    }

    /**
     * A restore per versioned bucket; for every other bucket the key wrote in, and for batch deletes CloudTrail names
     * no object of, a note instead of a button that cannot work.
     */
    @Override
    public Proposals propose(Incident incident) {
        List<StepId> steps = new ArrayList<>();
        Map<String, String> notRestorable = new LinkedHashMap<>();
        List<AffectedResource> attackers = incident.attackersChanges();
        Set<String> buckets = attackers.stream()
                .filter(r -> r.kind() == AffectedResource.Kind.S3_OBJECT).map(AffectedResource::parent)
                .filter(Objects::nonNull).collect(Collectors.toCollection(TreeSet::new));
        for (String bucket : buckets) {
            List<String> keys = incident.attackersObjectKeys(bucket);
            int count = keys.size();
            if (keys.stream().allMatch(RestoreObjectsStep::isLogFile)) {
                notRestorable.put(bucket, "the " + count + " object(s) the key wrote or deleted there are AWS log "
                        + "files: " + LOG_FILES_BY_HAND + ".");
                continue;
            }
            String region = incident.attackersObjectWrites(bucket).get(0).region();
            try {
                switch (versions.versioning(region, bucket)) {
                    case ENABLED -> steps.add(new StepId(StepKind.RESTORE_OBJECTS, bucket));
                    case SUSPENDED -> notRestorable.put(bucket, "versioning is suspended on it (look for "
                            + "PutBucketVersioning in the findings), so writes since then replaced earlier content "
                            + "instead of keeping it. The bot does not restore the " + count + " object(s) the key wrote "
                            + "or deleted there: restore them from a backup (AWS Backup, replication, another copy).");
                    case NEVER_ENABLED -> notRestorable.put(bucket, "versioning was never enabled on it, so the "
                            + count + " object(s) the key wrote or deleted there have no earlier version to go back "
                            + "to. Restore them from a backup (AWS Backup, replication, another copy), and enable "
                            + "versioning on buckets that matter.");
                }
            } catch (AwsActionFailure e) {
                notRestorable.put(bucket, "its versioning could not be read (" + e.getMessage() + "). Check it in the S3 "
                        + "console and restore the " + count + " object(s) from their previous versions by hand.");
            }
        }
        attackers.stream()
                .filter(r -> r.kind() == AffectedResource.Kind.S3_BUCKET && "DeleteObjects".equals(r.eventName()))
                .forEach(batch -> notRestorable.merge(batch.identifier(), "the key deleted objects in a batch "
                        + "(DeleteObjects) at " + batch.eventTime() + ", and CloudTrail does not name them. Show the "
                        + "bucket's versions in the S3 console and remove the delete markers from that time, or restore "
                        + "from a backup.", (first, second) -> first + " Also, " + second));
        return new Proposals(steps, notRestorable.entrySet().stream().map(e -> new Proposals.Note(
                "Restoring objects in S3 bucket " + e.getKey(), e.getValue())).toList());
    }

    @Override
    public StepKind kind() {
        return StepKind.RESTORE_OBJECTS;
    }

    @Override
    public StepOutcome execute(Incident incident, String bucket) {
        List<AffectedResource> writes = incident.attackersObjectWrites(bucket);
        if (writes.isEmpty()) {
            return StepOutcome.notAmongFindings("No object of bucket " + bucket
                    + " is among what the attacker's sources wrote.");
        }
        String region = writes.get(0).region();
        if (versions.versioning(region, bucket) != ObjectVersions.Versioning.ENABLED) {
            return StepOutcome.failure("Versioning is no longer enabled on bucket " + bucket + ": nothing was changed.",
                    "Restore the objects from a backup, and find out who changed the bucket's versioning.");
        }
        Report report = new Report();
        byKey(writes).forEach((key, attacker) -> restore(region, bucket, key, attacker, report));
        return report.outcome(bucket, "read back from S3");
    }

    @Override
    public StepOutcome reconcile(Incident incident, String bucket) {
        List<AffectedResource> writes = incident.attackersObjectWrites(bucket);
        if (writes.isEmpty()) {
            return StepOutcome.failure("Outcome unknown — the bot restarted mid-action, and no object of bucket "
                    + bucket + " is among the findings.", "Review the bucket by hand.");
        }
        String region = writes.get(0).region();
        Report report = new Report();
        byKey(writes).forEach((key, attacker) -> report.add(key, isLogFile(key) ? State.LOG_FILE
                : assess(region, bucket, key, attacker).state()));
        if (report.count(State.ATTACKERS) > 0 || report.count(State.FAILED) > 0) {
            return StepOutcome.failure("Outcome unknown — the bot restarted mid-action. S3 shows "
                    + report.count(State.ATTACKERS) + " object(s) of bucket " + bucket + " still holding the "
                    + "attacker's version: " + report.keys(State.ATTACKERS) + ".", "Retry to restore them.");
        }
        return report.outcome(bucket, "confirmed by reading S3 after a restart");
    }

    /**
     * Whether S3 holds the object as one of AWS's log files, as the policy's {@code arn:aws:s3:::*}{@code /AWSLogs/*}
     * sees it: under an {@code AWSLogs/} folder, at the top of the bucket or below a prefix.
     */
    static boolean isLogFile(String key) {
        return ("/" + key).contains("/AWSLogs/");
    }

    /** One object: AWS refusing it does not stop the others. */
    private void restore(String region, String bucket, String key, List<AffectedResource> attacker, Report report) {
        if (isLogFile(key)) {
            report.add(key, State.LOG_FILE);
            return;
        }
        try {
            Assessment before = assess(region, bucket, key, attacker);
            if (before.state() != State.ATTACKERS) {
                report.add(key, before.state());
                return;
            }
            if (before.target() == null) {
                versions.hide(region, bucket, key);
            } else {
                versions.restore(region, bucket, key, before.target().versionId());
            }
            State after = assess(region, bucket, key, attacker).state();
            report.add(key, after == State.RESTORED || after == State.HIDDEN ? after : State.FAILED);
        } catch (AwsActionFailure e) {
            report.add(key, State.FAILED);
            report.reason(e.getMessage());
        }
    }

    /**
     * Where a key stands: its history newest first; the attacker's entries are those whose version id the events
     * carry, else whose time matches an event's (a delete marker for a delete, a version for a write). The target is
     * the entry below the newest run of the attacker's: a version to bring back, or none (a delete marker, or
     * nothing at all) when the key did not exist before.
     */
    private Assessment assess(String region, String bucket, String key, List<AffectedResource> attacker) {
        List<ObjectVersions.Version> history = versions.history(region, bucket, key);
        int newest = 0;
        while (newest < history.size() && !isAttackers(history.get(newest), attacker)) {
            newest++;
        }
        if (newest == history.size()) {
            return new Assessment(State.UNKNOWN, null);
        }
        int below = newest;
        while (below < history.size() && isAttackers(history.get(below), attacker)) {
            below++;
        }
        ObjectVersions.Version target = below < history.size() && !history.get(below).deleteMarker()
                ? history.get(below) : null;
        ObjectVersions.Version current = history.get(0);
        if (target == null && current.deleteMarker()) {
            return new Assessment(State.HIDDEN, null); // it did not exist before the attacker, and does not now
        }
        if (newest == 0) {
            return new Assessment(State.ATTACKERS, target);
        }
        boolean restored = target != null && !current.deleteMarker() && Objects.equals(current.eTag(), target.eTag());
        return new Assessment(restored ? State.RESTORED : State.CHANGED_AFTER, target);
    }

    private static boolean isAttackers(ObjectVersions.Version entry, List<AffectedResource> attacker) {
        for (AffectedResource write : attacker) {
            if (write.version() != null) {
                if (write.version().equals(entry.versionId())) {
                    return true;
                }
            } else if ((write.action() == AffectedResource.Action.DELETED) == entry.deleteMarker()
                    && Duration.between(write.eventTime(), entry.lastModified()).abs().compareTo(SAME_WRITE) <= 0) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, List<AffectedResource>> byKey(List<AffectedResource> writes) {
        return writes.stream().collect(Collectors.groupingBy(AffectedResource::identifier, TreeMap::new,
                Collectors.toList()));
    }

    private enum State {
        /** The key holds the attacker's version: to be restored. */
        ATTACKERS,
        /** The key holds its pre-attack content again (read back). */
        RESTORED,
        /** The attacker created the key; it is hidden behind a delete marker now (read back). */
        HIDDEN,
        /** Someone wrote or deleted the key after the attacker: left alone. */
        CHANGED_AFTER,
        /** None of the attacker's writes is in the key's history (e.g. a version deleted for good). */
        UNKNOWN,
        /** AWS refused, or did not show the restored version as current. */
        FAILED,
        /** An AWS log file: left to people. */
        LOG_FILE
    }

    /** @param target the version to bring back, or null when the key should not exist */
    private record Assessment(State state, ObjectVersions.Version target) {
    }

    /** Objects by what became of them, in words for the thread, each list cut to a few names. */
    private static final class Report {

        private final Map<State, List<String>> keys = new TreeMap<>();
        private String firstReason;

        void add(String key, State state) {
            keys.computeIfAbsent(state, s -> new ArrayList<>()).add(key);
        }

        void reason(String reason) {
            if (firstReason == null) {
                firstReason = reason;
            }
        }

        int count(State state) {
            return keys.getOrDefault(state, List.of()).size();
        }

        String keys(State state) {
            List<String> all = keys.getOrDefault(state, List.of());
            String shown = String.join(", ", all.subList(0, Math.min(LISTED, all.size())));
            return all.size() > LISTED ? shown + " and " + (all.size() - LISTED) + " more" : shown;
        }

        StepOutcome outcome(String bucket, String how) {
            List<String> lines = new ArrayList<>();
            line(lines, State.RESTORED, "hold their version from before the attacker again (" + how + ")");
            line(lines, State.HIDDEN, "created by the attacker, now hidden behind a delete marker (" + how
                    + "; remove the marker to undo)");
            line(lines, State.CHANGED_AFTER, "changed by someone after the attacker: left as they are — review them");
            line(lines, State.UNKNOWN, "the attacker's write is not in their version history (deleted for good?): "
                    + "left as they are — review them, restore from a backup if needed");
            line(lines, State.FAILED, "could not be restored (" + (firstReason == null
                    ? "S3 did not show the restored version as current" : "AWS answered " + firstReason) + ")");
            line(lines, State.ATTACKERS, "still hold the attacker's version");
            line(lines, State.LOG_FILE, "are AWS log files, left as they are — " + LOG_FILES_BY_HAND);
            String summary = "Bucket " + bucket + ": " + String.join(" ", lines);
            if (count(State.FAILED) > 0) {
                return StepOutcome.failure(summary, "Retry; if it fails again, give the bot s3:GetObjectVersion and "
                        + "s3:PutObject on the bucket (and the objects' KMS key), or restore these versions in the S3 "
                        + "console.");
            }
            return StepOutcome.success(summary);
        }

        private void line(List<String> lines, State state, String what) {
            if (count(state) > 0) {
                lines.add(count(state) + " object(s) " + what + ": " + keys(state) + ".");
            }
        }
    }
}
