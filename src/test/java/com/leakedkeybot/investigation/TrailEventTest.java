package com.leakedkeybot.investigation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.leakedkeybot.testkit.CloudTrailDatasets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrailEventTest {

    @Test
    void parsesTheFieldsTheInvestigationReads() {
        ObjectNode raw = CloudTrailDatasets.stratus("aws.persistence.iam-create-admin-user").get(2);
        TrailEvent event = TrailEvent.parse(raw.toString());
        assertEquals("CreateUser", event.eventName());
        assertEquals("iam.amazonaws.com", event.eventSource());
        assertEquals("iam", event.service());
        assertEquals(Instant.parse("2024-08-01T13:33:28Z"), event.eventTime());
        assertEquals("AKIAOZUDECYXYM4ONAN4", event.accessKeyId());
        assertEquals("arn:aws:iam::229654561268:user/christophe", event.principalArn());
        assertEquals("IAMUser", event.principalType());
        assertEquals(raw.path("eventID").asText(), event.eventId());
        assertEquals(raw.path("sourceIPAddress").asText(), event.sourceIp());
        assertEquals(Boolean.FALSE, event.readOnly());
        assertNull(event.errorCode());
        assertEquals("malicious-iam-user", event.requestParameters().path("userName").asText());
        assertEquals(List.of("malicious-iam-user"), event.requestTargets());
    }

    @Test
    void dropsSessionTokensAndSecretKeysWhereverTheyAppear() {
        ObjectNode raw = CloudTrailDatasets.stratus("aws.persistence.sts-federation-token").get(0);
        String token = raw.path("responseElements").path("credentials").path("sessionToken").asText();
        assertTrue(token.length() > 100, "the dataset event carries a session token");
        ObjectNode withSecret = raw.deepCopy();
        ((ObjectNode) withSecret.path("responseElements").path("credentials")).put("secretAccessKey", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
        ((ObjectNode) withSecret.path("requestParameters")).putObject("nested").putArray("list").addObject()
                .put("SessionToken", "nested-token");

        TrailEvent event = TrailEvent.parse(withSecret.toString());

        String kept = event.toString() + event.requestParameters() + event.responseElements();
        assertFalse(kept.contains(token));
        assertFalse(kept.contains("wJalrXUtnFEMI"));
        assertFalse(kept.contains("nested-token"));
        assertEquals("ASIASTJKC5GCM7ZE6LUP", event.responseElements().path("credentials").path("accessKeyId").asText());
        assertEquals("Nov 30, 2024, 8:43:17 PM", event.responseElements().path("credentials").path("expiration").asText());
    }

    @Test
    void lambdaApiVersionsAreRemovedFromTheAction() {
        TrailEvent event = TrailEvent.parse(CloudTrailDatasets.stratus("aws.persistence.lambda-backdoor-function").get(0).toString());
        assertEquals("AddPermission20150331v2", event.eventName());
        assertEquals("AddPermission", event.action());
    }

    @Test
    void readOnlyIsUnknownWhenAbsentAndTheMessageOfBadInputQuotesNothing() {
        TrailEvent event = TrailEvent.parse("{\"eventTime\":\"2024-01-01T00:00:00Z\",\"eventSource\":\"s3.amazonaws.com\","
                + "\"eventName\":\"ListBuckets\",\"readOnly\":\"true\"}");
        assertEquals(Boolean.TRUE, event.readOnly());
        assertNull(TrailEvent.parse("{\"eventTime\":\"2024-01-01T00:00:00Z\",\"eventSource\":\"s3.amazonaws.com\","
                + "\"eventName\":\"ListBuckets\"}").readOnly());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> TrailEvent.parse("{\"sessionToken\":\"IQoJb3JpZ2luX2VjEOH\" oops"));
        assertFalse(bad.getMessage().contains("IQoJ"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TrailEvent.parse("{\"eventName\":\"X\"}"));
    }
}
