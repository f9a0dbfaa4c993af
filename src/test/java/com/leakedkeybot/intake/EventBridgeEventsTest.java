package com.leakedkeybot.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.leakedkeybot.key.AccessKeyId;
import com.leakedkeybot.testkit.IntakeEvents;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The event shapes of intake-facts.md, as EventBridge delivers them to SQS (without {@code account}, as moto does). */
class EventBridgeEventsTest {

    private static final String KEY = "AKIAY34FZKBOKMUTVV7A";

    private static String envelope(String id, String source, String detailType, String resources, String detail) {
        return "{\"version\":\"0\",\"id\":\"" + id + "\",\"detail-type\":\"" + detailType + "\",\"source\":\"" + source
                + "\",\"time\":\"2026-12-02T10:05:00Z\",\"region\":\"us-east-1\",\"resources\":" + resources
                + ",\"detail\":" + detail + "}";
    }

    @ParameterizedTest
    @ValueSource(strings = {"AWS_RISK_CREDENTIALS_EXPOSED", "AWS_RISK_CREDENTIALS_EXPOSURE_SUSPECTED",
            "AWS_RISK_CREDENTIALS_COMPROMISED", "AWS_RISK_CREDENTIALS_COMPROMISE_SUSPECTED", "AWS_RISK_IAM_QUARANTINE"})
    void everyRiskCodeIsAReportOfTheKey(String code) throws Exception {
        IntakeEvent event = EventBridgeEvents.read(envelope("e-1", "aws.health", "AWS Health Event", "[]",
                IntakeEvents.healthDetail(code, KEY, "comm-1", "https://github.com/o/r/blob/main/a"))).orElseThrow();

        assertEquals(new AccessKeyId(KEY), event.keyId());
        assertEquals(new IntakeSource.AwsHealth(code, "https://github.com/o/r/blob/main/a",
                Instant.parse("2026-12-02T10:00:00Z")), event.source());
        assertEquals(List.of("event:e-1", "health:comm-1:" + KEY), event.deliveryIds());
        assertEquals(code.equals("AWS_RISK_CREDENTIALS_EXPOSED") || code.equals("AWS_RISK_CREDENTIALS_COMPROMISED"),
                event.source().confirmedByAws());
    }

    @Test
    void theKeyIdIsFoundInTheAffectedEntitiesOrTheResourcesWhenTheMetadataLacksIt() throws Exception {
        String entities = "{\"eventTypeCode\":\"AWS_RISK_CREDENTIALS_EXPOSED\",\"affectedAccount\":\"" + KEY + "\","
                + "\"affectedEntities\":[{\"entityValue\":\"not-a-key\"},{\"entityValue\":\"" + KEY + "\"}]}";
        assertEquals(new AccessKeyId(KEY), EventBridgeEvents.read(envelope("e-2", "aws.health", "AWS Health Event",
                "[]", entities)).orElseThrow().keyId());

        String resources = "{\"eventTypeCode\":\"AWS_RISK_IAM_QUARANTINE\",\"startTime\":\"nonsense\"}";
        IntakeEvent event = EventBridgeEvents.read(envelope("e-3", "aws.health", "AWS Health Event",
                "[\"" + KEY + "\"]", resources)).orElseThrow();
        assertEquals(new AccessKeyId(KEY), event.keyId());
        assertEquals(Instant.parse("2026-12-02T10:05:00Z"), event.source().eventTime(), "the envelope's time");
        assertEquals(List.of("event:e-3"), event.deliveryIds(), "no communication id to add");
    }

    @Test
    void aGuardDutyFindingAboutAnAccessKeyNamesTypeCallAndAddress() throws Exception {
        IntakeEvent event = EventBridgeEvents.read(envelope("e-4", "aws.guardduty", "GuardDuty Finding", "[]",
                IntakeEvents.guardDutyDetail("f-1", "UnauthorizedAccess:IAMUser/TorIPCaller", KEY, "ListBuckets",
                        "198.51.100.7"))).orElseThrow();

        assertEquals(new AccessKeyId(KEY), event.keyId());
        assertEquals(new IntakeSource.GuardDuty("UnauthorizedAccess:IAMUser/TorIPCaller",
                "iam.amazonaws.com:ListBuckets", "198.51.100.7", Instant.parse("2026-12-02T09:50:00Z")),
                event.source());
        assertEquals(List.of("event:e-4", "guardduty:f-1"), event.deliveryIds());
        assertFalse(event.source().confirmedByAws());
    }

    @Test
    void eventsNotAboutALeakedKeyAreNotReports() throws Exception {
        assertEquals(Optional.empty(), EventBridgeEvents.read(envelope("e-5", "aws.health", "AWS Health Event", "[]",
                "{\"eventTypeCode\":\"AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED\"}")));
        assertEquals(Optional.empty(), EventBridgeEvents.read(envelope("e-6", "aws.guardduty", "GuardDuty Finding",
                "[]", "{\"id\":\"f-2\",\"resource\":{\"resourceType\":\"Instance\"}}")));
        assertEquals(Optional.empty(), EventBridgeEvents.read(envelope("e-7", "aws.guardduty", "GuardDuty Finding",
                "[]", IntakeEvents.guardDutyDetail("f-3", "PenTest:IAMUser/KaliLinux", "GeneratedFindingAccessKeyId",
                        "ListUsers", "198.51.100.7"))), "GuardDuty's sample findings name no real key");
        assertEquals(Optional.empty(), EventBridgeEvents.read(envelope("e-8", "aws.s3", "Object Created", "[]", "{}")));
    }

    @Test
    void whatCannotBeReadIsRefusedWithoutQuotingIt() {
        String secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        for (String body : List.of("{\"oops\": \"" + secret + "\"", "[\"" + secret + "\"]",
                envelope("e-9", "aws.health", "AWS Health Event", "[\"" + secret + "\"]",
                        "{\"eventTypeCode\":\"AWS_RISK_CREDENTIALS_EXPOSED\"}"))) {
            MalformedEventException refused = assertThrows(MalformedEventException.class,
                    () -> EventBridgeEvents.read(body));
            assertFalse(refused.getMessage().contains(secret), refused.getMessage());
        }
        assertTrue(assertThrows(MalformedEventException.class, () -> EventBridgeEvents.read(envelope("e-10",
                "aws.guardduty", "GuardDuty Finding", "[]", "{\"resource\":{\"resourceType\":\"AccessKey\"}}")))
                .getMessage().contains("without an id"));
    }
}
