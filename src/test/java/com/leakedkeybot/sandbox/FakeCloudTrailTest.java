package com.leakedkeybot.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.CloudTrailException;
import software.amazon.awssdk.services.cloudtrail.model.Event;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttributeKey;
import software.amazon.awssdk.services.cloudtrail.model.LookupEventsResponse;

/** The fake answers the SDK's own requests as CloudTrail does, limits included. */
class FakeCloudTrailTest {

    private static final Instant NOW = Instant.now();
    /** Far above what these requests need: throttling is the last test's subject, on a fake of its own. */
    private static final double UNTHROTTLED = 1_000;
    private static FakeCloudTrail fake;
    private static CloudTrailClient client;

    @BeforeAll
    static void start() throws Exception {
        fake = FakeCloudTrail.start(UNTHROTTLED);
        for (int i = 0; i < 7; i++) {
            fake.add("eu-west-1", TrailEvents.event("e" + i, NOW.minus(Duration.ofHours(i)), "eu-west-1",
                    i % 2 == 0 ? "AKIAEVEN" : "AKIAODD", "s3.amazonaws.com", "ListBuckets").readOnly(true).json());
        }
        fake.add("us-east-1", TrailEvents.event("elsewhere", NOW, "us-east-1", "AKIAEVEN", "s3.amazonaws.com", "ListBuckets").json());
        client = fake.target("AKIDFAKECLOUDTRAIL00").cloudTrail("eu-west-1")
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD)).build();
    }

    @AfterAll
    static void stop() {
        client.close();
        fake.close();
    }

    private static LookupEventsResponse page(String key, int max, String token) {
        return client.lookupEvents(r -> r.lookupAttributes(a -> a.attributeKey(LookupAttributeKey.ACCESS_KEY_ID).attributeValue(key))
                .startTime(NOW.minus(Duration.ofDays(1))).endTime(NOW.plusSeconds(1)).maxResults(max).nextToken(token));
    }

    @Test
    void answersNewestFirstInPagesForOneRegionAndOneKey() throws Exception {
        LookupEventsResponse first = page("AKIAEVEN", 3, null);
        assertEquals(List.of("e0", "e2", "e4"), first.events().stream().map(Event::eventId).toList());
        assertTrue(first.nextToken() != null);
        LookupEventsResponse second = page("AKIAEVEN", 3, first.nextToken());
        assertEquals(List.of("e6"), second.events().stream().map(Event::eventId).toList());
        assertEquals(null, second.nextToken());
        Event event = second.events().get(0);
        assertEquals("ListBuckets", event.eventName());
        assertEquals("AKIAEVEN", event.accessKeyId());
        assertEquals("true", event.readOnly());
        assertEquals(NOW.minus(Duration.ofHours(6)).getEpochSecond(), event.eventTime().getEpochSecond());
        assertTrue(event.cloudTrailEvent().contains("\"eventID\":\"e6\""));
    }

    @Test
    void rejectsWhatCloudTrailRejects() {
        CloudTrailException twoAttributes = assertThrows(CloudTrailException.class, () -> client.lookupEvents(r -> r.lookupAttributes(
                a -> a.attributeKey(LookupAttributeKey.ACCESS_KEY_ID).attributeValue("AKIAEVEN"),
                a -> a.attributeKey(LookupAttributeKey.EVENT_NAME).attributeValue("ListBuckets"))));
        assertEquals("InvalidLookupAttributesException", twoAttributes.awsErrorDetails().errorCode());
        CloudTrailException tooMany = assertThrows(CloudTrailException.class, () -> client.lookupEvents(r -> r.maxResults(51)));
        assertEquals("InvalidMaxResultsException", tooMany.awsErrorDetails().errorCode());
        CloudTrailException backwards = assertThrows(CloudTrailException.class,
                () -> client.lookupEvents(r -> r.startTime(NOW).endTime(NOW.minusSeconds(60))));
        assertEquals("InvalidTimeRangeException", backwards.awsErrorDetails().errorCode());
        String token = page("AKIAEVEN", 1, null).nextToken();
        CloudTrailException foreignToken = assertThrows(CloudTrailException.class, () -> page("AKIAODD", 1, token));
        assertEquals("InvalidNextTokenException", foreignToken.awsErrorDetails().errorCode());
    }

    @Test
    void throttlesBeyondTwoRequestsPerSecondPerRegion() throws Exception {
        int throttled = 0;
        try (FakeCloudTrail cloudTrail = FakeCloudTrail.start();
             CloudTrailClient impatient = cloudTrail.target("AKIDIMPATIENT").cloudTrail("ap-northeast-1")
                     .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build()) {
            for (int i = 0; i < 5; i++) {
                try {
                    impatient.lookupEvents(r -> r.maxResults(1));
                } catch (CloudTrailException e) {
                    assertEquals("ThrottlingException", e.awsErrorDetails().errorCode());
                    assertEquals(400, e.statusCode());
                    throttled++;
                }
            }
            assertTrue(throttled >= 2, "a burst of 5 gets at most the 2-token burst plus refill through: " + throttled);
            assertEquals(throttled, cloudTrail.throttled("ap-northeast-1"));
            try (CloudTrailClient elsewhere = cloudTrail.target("AKIDIMPATIENT").cloudTrail("eu-west-1")
                    .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build()) {
                elsewhere.lookupEvents(r -> r.maxResults(1));
            }
            assertEquals(0, cloudTrail.throttled("eu-west-1"), "each region has a budget of its own");
        }
    }
}
