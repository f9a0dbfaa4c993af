package com.leakedkeybot.aws;

import com.leakedkeybot.testkit.SharedMoto;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.leakedkeybot.investigation.AffectedResource;
import com.leakedkeybot.investigation.CloudTrailInvestigation;
import com.leakedkeybot.investigation.Investigation;
import com.leakedkeybot.investigation.InvestigationReport;
import com.leakedkeybot.investigation.RegionSource;
import com.leakedkeybot.investigation.ScanListener;
import com.leakedkeybot.sandbox.InMemoryTrail;
import com.leakedkeybot.sandbox.MotoServer;
import com.leakedkeybot.sandbox.TrailEvents;
import com.leakedkeybot.testkit.AwsTestClients;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The trail's gzipped log files, put into a moto bucket where CloudTrail delivers them, read after the LookupEvents
 * scan: only the S3 object writes of the investigated key and of the session key it minted are kept; other
 * principals' events, reads, management events, other regions and times outside the window are not.
 */
class TrailLogFilesMotoTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACCOUNT = "123456789012";
    private static final String LEAKED = "AKIALEAKEDKEY0000001";
    private static final String MINTED = "ASIAMINTEDKEY0000001";
    private static final String OTHER = "AKIAOTHERKEY00000001";
    private static final Instant TO = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final Instant FROM = TO.minus(10, ChronoUnit.DAYS);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);
    private static S3Client s3;

    private String bucket;
    private final InMemoryTrail lookups = new InMemoryTrail();

    @BeforeAll
    static void moto() {
        s3 = AwsTestClients.s3(SharedMoto.get().endpoint());
    }

    @BeforeEach
    void trailDeliveredLogs() throws IOException {
        bucket = "trail-logs-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(r -> r.bucket(bucket));
        // LookupEvents shows the leaked key minting a session key; that key's object writes are in the logs only.
        lookups.add("us-east-1", TrailEvents.assumeRole("a1", TO.minus(3, ChronoUnit.DAYS), "us-east-1", LEAKED,
                "arn:aws:iam::123456789012:role/deploy", MINTED).json());

        Instant day3 = TO.minus(3, ChronoUnit.DAYS);
        deliver("us-east-1", day3, "0001", List.of(
                write("w1", day3.plusSeconds(60), "us-east-1", LEAKED, "PutObject", "finance-data", "reports/q3.csv",
                        "{\"x-amz-version-id\":\"v-attacker-1\"}"),
                read("r1", day3.plusSeconds(70), LEAKED, "finance-data", "reports/q2.csv"),
                write("w2", day3.plusSeconds(80), "us-east-1", OTHER, "PutObject", "finance-data", "reports/q4.csv",
                        "{\"x-amz-version-id\":\"v-legit\"}"),
                management("m1", day3.plusSeconds(90), LEAKED)));
        Instant day2 = TO.minus(2, ChronoUnit.DAYS);
        deliver("eu-west-1", day2, "0002", List.of(
                write("w3", day2.plusSeconds(5), "eu-west-1", MINTED, "DeleteObject", "eu-archive", "2025/ledger.xlsx",
                        null),
                write("w4", day2.plusSeconds(9), "eu-west-1", MINTED, "CompleteMultipartUpload", "eu-archive",
                        "backup.tar", "{\"x-amz-version-id\":\"v-attacker-2\"}")));
        // Not read: a region outside the scan, and a record of the window's first day from before the window.
        deliver("ap-south-1", day2, "0003", List.of(write("w5", day2, "ap-south-1", LEAKED, "PutObject", "mumbai",
                "x", null)));
        deliver("us-east-1", FROM, "0004", List.of(write("w6", FROM.minusSeconds(1), "us-east-1", LEAKED,
                "DeleteObject", "finance-data", "too-old.csv", null)));
        s3.putObject(r -> r.bucket(bucket).key(folder("us-east-1", day3) + "README.txt"), RequestBody.fromString("hi"));
    }

    @Test
    void keepsTheObjectWritesOfTheInvestigatedKeysAndOfTheKeysTheyMinted() throws Exception {
        InvestigationReport report = scan(new TrailLogFiles(s3, bucket, "org/", () -> ACCOUNT));

        List<String> objects = report.affectedResources().stream()
                .filter(r -> r.kind() == AffectedResource.Kind.S3_OBJECT)
                .map(r -> r.action() + " " + r.parent() + "/" + r.identifier() + " " + r.version() + " " + r.accessKeyId()
                        + " " + r.region())
                .toList();
        assertEquals(List.of(
                "CHANGED finance-data/reports/q3.csv v-attacker-1 " + LEAKED + " us-east-1",
                "DELETED eu-archive/2025/ledger.xlsx null " + MINTED + " eu-west-1",
                "CHANGED eu-archive/backup.tar v-attacker-2 " + MINTED + " eu-west-1"), objects);
        assertEquals(4, report.totalEvents(), "the AssumeRole from LookupEvents and three object writes");
        assertTrue(report.coverageNotes().contains("S3 object writes were read from the trail's log files in "
                + "s3://" + bucket + "/org/."), report.coverageNotes().toString());
    }

    @Test
    void anUnreadableLogBucketIsACoverageNoteNotAFailedInvestigation() throws Exception {
        InvestigationReport report = scan(new TrailLogFiles(s3, bucket + "-missing", "", () -> ACCOUNT));

        assertEquals(1, report.totalEvents());
        String note = report.coverageNotes().stream().filter(n -> n.startsWith("S3 object writes could not be read"))
                .findFirst().orElseThrow();
        assertTrue(note.contains("NoSuchBucket") && note.contains("may be missing"), note);
    }

    private InvestigationReport scan(TrailLogFiles logs) throws Exception {
        return new CloudTrailInvestigation(lookups, RegionSource.fixed(List.of("us-east-1", "eu-west-1")), 2, 100,
                Clock.systemUTC(), logs).investigate(new Investigation(List.of(LEAKED), FROM, TO), ScanListener.NONE);
    }

    private void deliver(String region, Instant day, String file, List<ObjectNode> records) throws IOException {
        ObjectNode log = JSON.createObjectNode();
        ArrayNode array = log.putArray("Records");
        records.forEach(array::add);
        ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(gzipped)) {
            JSON.writeValue(gzip, log);
        }
        String key = folder(region, day) + ACCOUNT + "_CloudTrail_" + region + "_" + file + ".json.gz";
        s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromBytes(gzipped.toByteArray()));
    }

    private static String folder(String region, Instant day) {
        return "org/AWSLogs/" + ACCOUNT + "/CloudTrail/" + region + "/" + DAY.format(day) + "/";
    }

    /** A data event as the trail logs it: managementEvent false, the object in requestParameters and resources. */
    private static ObjectNode write(String id, Instant time, String region, String key, String name, String bucket,
                                    String object, String response) {
        TrailEvents event = TrailEvents.event(id, time, region, key, "s3.amazonaws.com", name).readOnly(false)
                .request("bucketName", bucket).request("key", object)
                .request("Host", bucket + ".s3." + region + ".amazonaws.com");
        ObjectNode node = node(response == null ? event.json() : event.response(response).json());
        node.put("managementEvent", false).put("eventCategory", "Data").put("recipientAccountId", ACCOUNT);
        node.putArray("resources").addObject().put("type", "AWS::S3::Object")
                .put("ARN", "arn:aws:s3:::" + bucket + "/" + object);
        return node;
    }

    private static ObjectNode read(String id, Instant time, String key, String bucket, String object) {
        ObjectNode node = write(id, time, "us-east-1", key, "GetObject", bucket, object, null);
        node.put("readOnly", true);
        return node;
    }

    /** LookupEvents already returned these: the log reader keeps object writes only. */
    private static ObjectNode management(String id, Instant time, String key) {
        return node(TrailEvents.event(id, time, "us-east-1", key, "iam.amazonaws.com", "CreateUser").readOnly(false)
                .request("userName", "backdoor").json());
    }

    private static ObjectNode node(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
