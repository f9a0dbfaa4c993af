package com.leakedkeybot.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.leakedkeybot.config.Settings;
import com.leakedkeybot.investigation.TrailEvent;
import com.leakedkeybot.investigation.TrailLookupException;
import com.leakedkeybot.sandbox.FakeCloudTrail;
import com.leakedkeybot.sandbox.TrailEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** CloudTrailLookup against the throttling fake: complete pagination, pacing, backoff, failures. */
class CloudTrailLookupTest {

    private static final Instant NOW = Instant.now();
    private static final Instant FROM = NOW.minus(Duration.ofDays(90));
    private FakeCloudTrail fake;

    @BeforeEach
    void start() throws Exception {
        fake = FakeCloudTrail.start();
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    /** A lookup paced to CloudTrail's own limit, signing as {@code caller}. */
    private CloudTrailLookup lookup(String caller) {
        return new CloudTrailLookup(fake.target(caller), Settings.Tuning.defaults().cloudTrailRequestsPerSecond());
    }

    private void load(String region, String key, int count) {
        for (int i = 0; i < count; i++) {
            fake.add(region, TrailEvents.event(key + "-" + i, NOW.minus(Duration.ofMinutes(i + 1L)), region, key,
                    "s3.amazonaws.com", "ListBuckets").readOnly(true).json());
        }
    }

    private static List<String> scan(CloudTrailLookup lookup, String region, String key) throws TrailLookupException {
        List<String> ids = new ArrayList<>();
        lookup.eventsForKey(region, key, FROM, NOW, event -> ids.add(event.eventId()));
        return ids;
    }

    @Test
    void readsEveryPageInOrderAtTheAllowedRate() throws Exception {
        load("eu-central-1", "AKIAPAGED", 1_234);
        load("eu-central-1", "AKIASOMEONEELSE", 10);
        List<String> ids;
        try (CloudTrailLookup lookup = lookup("AKIDPAGINATION")) {
            ids = scan(lookup, "eu-central-1", "AKIAPAGED");
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 1_234; i++) {
            expected.add("AKIAPAGED-" + i);
        }
        assertEquals(expected, ids, "all 1,234 events, newest first, each once");
        assertEquals(25, fake.served("eu-central-1"), "1,234 events in pages of 50");
        assertEquals(0, fake.throttled(), "paced at 2 requests per second, never throttled");
        assertPaced(fake.arrivals("eu-central-1", "AKIDPAGINATION"));
    }

    @Test
    void regionsArePacedIndependently() throws Exception {
        load("us-east-1", "AKIATWOREGIONS", 300);
        load("us-west-2", "AKIATWOREGIONS", 300);
        try (CloudTrailLookup lookup = lookup("AKIDTWOREGIONS")) {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            Future<List<String>> east = pool.submit(() -> scan(lookup, "us-east-1", "AKIATWOREGIONS"));
            Future<List<String>> west = pool.submit(() -> scan(lookup, "us-west-2", "AKIATWOREGIONS"));
            assertEquals(300, east.get().size());
            assertEquals(300, west.get().size());
            pool.shutdown();
        }
        assertEquals(0, fake.throttled());
        List<Long> east = fake.arrivals("us-east-1", "AKIDTWOREGIONS");
        List<Long> west = fake.arrivals("us-west-2", "AKIDTWOREGIONS");
        assertPaced(east);
        assertPaced(west);
        // Both regions ran at the same time: each region's first request came before the other's last.
        assertTrue(east.get(0) < west.get(west.size() - 1) && west.get(0) < east.get(east.size() - 1));
    }

    @Test
    void aBurstFromSeveralScannersIsThrottledAndTheSdkBacksOffUntilComplete() throws Exception {
        load("ap-southeast-2", "AKIABURST", 100);
        List<String> callers = List.of("AKIDBURST1", "AKIDBURST2", "AKIDBURST3");
        List<CloudTrailLookup> lookups = callers.stream().map(this::lookup).toList();
        ExecutorService pool = Executors.newFixedThreadPool(callers.size());
        List<Future<List<String>>> results = new ArrayList<>();
        lookups.forEach(l -> results.add(pool.submit(() -> scan(l, "ap-southeast-2", "AKIABURST"))));
        for (Future<List<String>> result : results) {
            assertEquals(100, result.get().size(), "every scanner got every event despite throttling");
        }
        pool.shutdown();
        lookups.forEach(CloudTrailLookup::close);
        assertTrue(fake.throttled("ap-southeast-2") > 0, "three scanners at 2/s each exceed the region's 2/s");
        // Retried attempts go through the same pacing: no scanner ever sent attempts faster than its pace.
        callers.forEach(caller -> assertPaced(fake.arrivals("ap-southeast-2", caller)));
    }

    @Test
    void aRegionThatRefusesFailsWithTheReason() {
        fake.failRegion("eu-south-2", 400, "AccessDeniedException",
                "User: arn:aws:iam::111122223333:user/bot is not authorized to perform: cloudtrail:LookupEvents");
        fake.failRegion("me-central-1", 400, "UnrecognizedClientException", "The security token included in the request is invalid.");
        try (CloudTrailLookup lookup = lookup("AKIDREFUSED")) {
            TrailLookupException denied = assertThrows(TrailLookupException.class, () -> scan(lookup, "eu-south-2", "AKIAX"));
            assertEquals("AccessDeniedException: User: arn:aws:iam::111122223333:user/bot is not authorized to perform:"
                    + " cloudtrail:LookupEvents", denied.getMessage());
            TrailLookupException unknown = assertThrows(TrailLookupException.class, () -> scan(lookup, "me-central-1", "AKIAX"));
            assertEquals("UnrecognizedClientException: The security token included in the request is invalid.", unknown.getMessage());
        }
        assertEquals(1, fake.arrivals("eu-south-2", "AKIDREFUSED").size(), "a refusal is not retried");
    }

    @Test
    void eventsArriveParsedAndWithoutSessionTokens() throws Exception {
        fake.add("us-east-1", TrailEvents.assumeRole("assume", NOW.minusSeconds(60), "us-east-1", "AKIAMINTER",
                "arn:aws:iam::111122223333:role/deploy", "ASIAMINTED").json());
        List<TrailEvent> events = Collections.synchronizedList(new ArrayList<>());
        try (CloudTrailLookup lookup = lookup("AKIDPARSE")) {
            lookup.eventsForKey("us-east-1", "AKIAMINTER", FROM, NOW, events::add);
        }
        assertEquals(1, events.size());
        assertEquals("ASIAMINTED", events.get(0).responseElements().path("credentials").path("accessKeyId").asText());
        assertTrue(events.get(0).responseElements().path("credentials").path("sessionToken").isMissingNode());
    }

    @Test
    void everyonesEventsOfOneCallArriveNewestFirstAndNoFurtherPageIsFetchedOnceTheVisitorHasEnough()
            throws Exception {
        for (int i = 0; i < 120; i++) {
            fake.add("us-east-1", TrailEvents.event("put-" + i, NOW.minusSeconds(60L * (i + 1)), "us-east-1",
                    i % 2 == 0 ? "AKIAADMIN" : "AKIAOTHER", "iam.amazonaws.com", "PutRolePolicy").readOnly(false).json());
        }
        load("us-east-1", "AKIAADMIN", 5);
        List<String> seen = new ArrayList<>();
        try (CloudTrailLookup lookup = lookup("AKIDBYNAME")) {
            lookup.eventsNamed("us-east-1", "PutRolePolicy", FROM, NOW, event -> {
                seen.add(event.eventId());
                return seen.size() < 60;
            });
        }
        assertEquals(60, seen.size());
        assertEquals(List.of("put-0", "put-1", "put-59"), List.of(seen.get(0), seen.get(1), seen.get(59)));
        assertEquals(2, fake.arrivals("us-east-1", "AKIDBYNAME").size(), "pages of 50: the third is never asked for");
    }

    /**
     * Paced to CloudTrail's rate as CloudTrail counts it: any n consecutive arrivals span at least n - 2 intervals, so
     * they never overdraw its bucket (the rate, burst 2). Gaps are not judged one by one: an arrival time also carries
     * the scheduling delay of a machine busy with other test classes, which can bring two paced requests a few
     * hundred milliseconds closer than they were sent.
     */
    private static void assertPaced(List<Long> arrivals) {
        assertTrue(arrivals.size() > 1, "more than one request");
        long intervalNanos = (long) (1e9 / Settings.Tuning.defaults().cloudTrailRequestsPerSecond());
        for (int first = 0; first < arrivals.size(); first++) {
            for (int last = first + 2; last < arrivals.size(); last++) {
                long spanNanos = arrivals.get(last) - arrivals.get(first);
                assertTrue(spanNanos >= (last - first - 1) * intervalNanos, "requests " + first + " to " + last
                        + " arrived within " + spanNanos / 1_000_000 + " ms");
            }
        }
    }
}
