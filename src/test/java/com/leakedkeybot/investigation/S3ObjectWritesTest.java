package com.leakedkeybot.investigation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.leakedkeybot.investigation.AffectedResource.Action;
import com.leakedkeybot.investigation.AffectedResource.Kind;
import com.leakedkeybot.sandbox.TrailEvents;
import com.leakedkeybot.testkit.CloudTrailDatasets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * S3 data events as CloudTrail logs them become the objects a restore acts on: real samples (Panther's rule tests,
 * whose {@code responseElements} are null, so without version ids; OTRF's real GetObject/ListObjects reads), and a
 * versioned write as CloudTrail records it with {@code x-amz-version-id}.
 */
class S3ObjectWritesTest {

    private static final AffectedResourceExtractor EXTRACTOR = AffectedResourceExtractor.standard();

    @Test
    void aDeleteOfOneObjectNamesTheObjectAndItsBucket() {
        List<ObjectNode> deletes = CloudTrailDatasets.pantherAlertingTests("aws_s3_delete_object");
        assertFalse(deletes.isEmpty());
        for (ObjectNode delete : deletes) {
            AffectedResource object = single(delete);
            assertEquals(List.of(Kind.S3_OBJECT, "example-object", "example-bucket", Action.DELETED, "us-east-1"),
                    List.of(object.kind(), object.identifier(), object.parent(), object.action(), object.region()));
            assertNull(object.version(), "responseElements is null in these events: the restore falls back to times");
            assertEquals(Instant.parse("2023-10-01T12:34:56Z"), object.eventTime());
        }
    }

    @Test
    void uploadsAndCopiesAreChangesOfTheObjectWritten() {
        AffectedResource note = single(CloudTrailDatasets.pantherAlertingTests("aws_s3_ransomware_note_upload").get(0));
        assertEquals("changed S3 object documents/financial/HOW_TO_DECRYPT_FILES.txt of bucket production-data",
                note.describe());
        AffectedResource copy = single(CloudTrailDatasets.pantherAlertingTests("aws_s3_copy_object_cross_account_kms").get(0));
        assertEquals("changed S3 object important-file.txt of bucket victim-data-bucket — copied from "
                + "victim-data-bucket/important-file.txt", copy.describe());
        AffectedResource exfiltrated = single(
                CloudTrailDatasets.pantherAlertingTests("aws_s3_copy_object_to_external_account_bucket").get(0));
        assertEquals(List.of("customer-database.csv", "attacker-exfil-1764604156"),
                List.of(exfiltrated.identifier(), exfiltrated.parent()));
    }

    @Test
    void aBatchDeleteSaysCloudTrailDoesNotNameItsObjects() {
        ObjectNode batch = CloudTrailDatasets.pantherAlertingTests("aws_s3_delete_objects").get(0);
        ((ObjectNode) batch.get("requestParameters")).remove("key");
        ((ObjectNode) batch.get("requestParameters")).put("delete", ""); // as real DeleteObjects events log it

        List<AffectedResource> touched = EXTRACTOR.extract(TrailEvent.parse(batch.toString()));

        assertEquals(1, touched.size(), touched.toString());
        assertEquals(Kind.S3_BUCKET, touched.get(0).kind());
        assertEquals("changed S3 bucket example-bucket — objects deleted in a batch (DeleteObjects); CloudTrail does "
                + "not name them", touched.get(0).describe());
    }

    @Test
    void realObjectReadsAndListingsTouchNothing() {
        List<ObjectNode> s3 = CloudTrailDatasets.otrf().stream()
                .filter(e -> e.path("eventSource").asText().equals("s3.amazonaws.com")).toList();
        assertTrue(s3.stream().anyMatch(e -> e.path("eventName").asText().equals("GetObject")));
        for (ObjectNode read : s3) {
            assertEquals(List.of(), EXTRACTOR.extract(TrailEvent.parse(read.toString())), read.path("eventName").asText());
        }
    }

    @Test
    void aVersionedWriteKeepsTheVersionItCreated() {
        String put = TrailEvents.event("e1", Instant.parse("2026-11-28T10:00:00Z"), "eu-west-1", "ASIAEXAMPLEKEY000001",
                        "s3.amazonaws.com", "PutObject").readOnly(false)
                .request("bucketName", "finance-data").request("key", "reports/q3.csv")
                .response("{\"x-amz-version-id\":\"3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY\",\"x-amz-server-side-encryption\":\"AES256\"}")
                .json();

        AffectedResource object = single(put);

        assertEquals("3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY", object.version());
        assertEquals("changed S3 object reports/q3.csv of bucket finance-data (version 3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY)",
                object.describe());
    }

    private static AffectedResource single(ObjectNode event) {
        return single(event.toString());
    }

    private static AffectedResource single(String event) {
        List<AffectedResource> touched = EXTRACTOR.extract(TrailEvent.parse(event));
        assertEquals(1, touched.size(), touched.toString());
        return touched.get(0);
    }
}
