package com.leakedkeybot.investigation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.leakedkeybot.sandbox.InMemoryTrail;
import com.leakedkeybot.sandbox.TrailEvents;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CloudTrailInvestigationTest {

    private static final Instant NOW = Instant.parse("2024-09-01T00:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1", "ap-south-1");
    private static final String ROLE_A = "arn:aws:iam::111122223333:role/deploy";
    private static final String ROLE_B = "arn:aws:iam::111122223333:role/admin";

    private static Instant ago(Duration duration) {
        return NOW.minus(duration);
    }

    /** AKIAROOT assumes a role (ASIA1), which chains into another role (ASIA2), which creates a user. */
    private static InMemoryTrail roleChain() {
        Instant assumed = ago(Duration.ofDays(3));
        return new InMemoryTrail()
                .add("us-east-1", TrailEvents.assumeRole("a1", assumed, "us-east-1", "AKIAROOT", ROLE_A, "ASIA1").json())
                .add("eu-west-1", TrailEvents.assumeRole("a2", assumed.plusSeconds(60), "eu-west-1", "ASIA1", ROLE_B, "ASIA2").json())
                .add("eu-west-1", TrailEvents.event("u1", assumed.plusSeconds(120), "eu-west-1", "ASIA2", "iam.amazonaws.com",
                        "CreateUser").readOnly(false).request("userName", "backdoor").json())
                .add("ap-south-1", TrailEvents.event("l1", assumed.plusSeconds(180), "ap-south-1", "ASIA2", "s3.amazonaws.com",
                        "ListBuckets").readOnly(true).json())
                // A session claiming to mint the root key again: the loop must be cut.
                .add("ap-south-1", TrailEvents.assumeRole("a3", assumed.plusSeconds(200), "ap-south-1", "ASIA2", ROLE_A, "AKIAROOT").json())
                // Outside the role session's life: a derived key's scan stops when the session must have expired.
                .add("ap-south-1", TrailEvents.event("late", assumed.plus(Duration.ofHours(13)), "ap-south-1", "ASIA2",
                        "s3.amazonaws.com", "ListBuckets").readOnly(true).json());
    }

    @Test
    void followsMintedKeysThroughRoleChainsInEveryRegionOnce() throws Exception {
        InMemoryTrail trail = roleChain();
        InvestigationReport report = new CloudTrailInvestigation(trail, RegionSource.fixed(REGIONS), 4, 100, CLOCK, null)
                .investigate(List.of("AKIAROOT"), ScanListener.NONE);

        assertEquals(List.of("ASIA1", "ASIA2"), report.derivedCredentials().stream().map(DerivedCredential::accessKeyId).toList());
        assertEquals("ASIA1", report.derivedCredentials().get(1).parentAccessKeyId());
        assertEquals(ROLE_B, report.derivedCredentials().get(1).roleArn());
        for (String key : List.of("AKIAROOT", "ASIA1", "ASIA2")) {
            assertEquals(3, trail.lookups(key), key + " is looked up once per region");
        }
        assertEquals(List.of("AKIAROOT", "ASIA1", "ASIA2"), report.keys().stream().map(KeyActivity::accessKeyId).toList());
        assertEquals(List.of("AKIAROOT", "ASIA1", "ASIA2"), report.lineage("ASIA2"));
        assertEquals(List.of("AKIAROOT"), report.lineage("AKIAROOT"));
        assertEquals(3, report.keys().get(2).eventCount(), "CreateUser, ListBuckets and the looping AssumeRole; not the late event");
        assertEquals(List.of("backdoor"), report.affectedResources().stream().map(AffectedResource::identifier).toList());
        assertEquals(REGIONS.stream().sorted().toList(), report.scannedRegions());
        assertTrue(report.complete());
        assertEquals(NOW.minus(CloudTrailInvestigation.LOOKUP_HISTORY), report.from());
    }

    @Test
    void aDerivedKeyIsSearchedOnlyWhileItCanHaveLived() throws Exception {
        InMemoryTrail trail = roleChain();
        new CloudTrailInvestigation(trail, RegionSource.fixed(REGIONS), 4, 100, CLOCK, null)
                .investigate(List.of("AKIAROOT"), ScanListener.NONE);
        Instant issued = ago(Duration.ofDays(3)).plusSeconds(60);
        assertTrue(trail.calls().contains("us-east-1 ASIA2 " + issued + " " + issued.plus(Duration.ofHours(12))),
                trail.calls().toString());
        assertTrue(trail.calls().contains("us-east-1 AKIAROOT " + NOW.minus(Duration.ofDays(90)) + " " + NOW));
    }

    @Test
    void aFailingRegionIsReportedWithItsReasonAndTheOthersComplete() throws Exception {
        InMemoryTrail trail = roleChain().failing("ap-south-1",
                "AccessDeniedException: User is not authorized to perform cloudtrail:LookupEvents with an explicit deny in a service control policy");
        InvestigationReport report = new CloudTrailInvestigation(trail, RegionSource.fixed(REGIONS), 4, 100, CLOCK, null)
                .investigate(List.of("AKIAROOT"), ScanListener.NONE);
        assertEquals(1, report.failedRegions().size());
        assertEquals("ap-south-1", report.failedRegions().get(0).region());
        assertTrue(report.failedRegions().get(0).reason().contains("explicit deny"));
        assertEquals(List.of("eu-west-1", "us-east-1"), report.scannedRegions());
        assertFalse(report.complete());
        assertEquals(1, report.keys().get(2).eventCount(), "only the CreateUser in eu-west-1 is visible");
        assertEquals(1, trail.calls().stream().filter(c -> c.startsWith("ap-south-1")).count(),
                "a failed region is not asked again for later keys");
    }

    @Test
    void progressEndsWithEveryRegionDoneAndFindingsAreAnnounced() throws Exception {
        List<String> progress = Collections.synchronizedList(new ArrayList<>());
        List<NotableEvent> findings = Collections.synchronizedList(new ArrayList<>());
        ScanListener listener = new ScanListener() {
            @Override
            public void progress(int regionsDone, int regionsTotal, long eventsSoFar) {
                progress.add(regionsDone + "/" + regionsTotal + "/" + eventsSoFar);
            }

            @Override
            public void finding(NotableEvent finding) {
                findings.add(finding);
            }
        };
        new CloudTrailInvestigation(roleChain(), RegionSource.fixed(REGIONS), 4, 100, CLOCK, null)
                .investigate(List.of("AKIAROOT"), listener);
        assertEquals("3/3/5", progress.get(progress.size() - 1));
        assertEquals(List.of("AssumeRole", "CreateUser"),
                findings.stream().map(NotableEvent::action).sorted().toList());
    }

    @Test
    void derivedKeysBeyondTheLimitAreNotScannedAndTheReportSaysSo() throws Exception {
        InMemoryTrail trail = roleChain();
        InvestigationReport report = new CloudTrailInvestigation(trail, RegionSource.fixed(REGIONS), 4, 1, CLOCK, null)
                .investigate(List.of("AKIAROOT"), ScanListener.NONE);
        assertEquals(0, trail.lookups("ASIA2"));
        assertTrue(report.coverageNotes().contains("1 further derived key(s) were not scanned (limit 1 per investigation)."),
                report.coverageNotes().toString());
    }

    @Test
    void regionsRunConcurrentlyButEachRegionOneLookupAtATime() throws Exception {
        InMemoryTrail trail = roleChain();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        Map<String, AtomicInteger> perRegion = new ConcurrentHashMap<>();
        AtomicInteger maxPerRegion = new AtomicInteger();
        // The first lookups wait for each other: three in flight at once opens the gate. A scan that ran regions one
        // at a time would hold a single lookup until the timeout, and the assertion below would see 1.
        CountDownLatch threeInFlight = new CountDownLatch(3);
        TrailEventSource gated = (region, key, from, to, sink) -> {
            int now = inFlight.incrementAndGet();
            int here = perRegion.computeIfAbsent(region, r -> new AtomicInteger()).incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            maxPerRegion.accumulateAndGet(here, Math::max);
            try {
                threeInFlight.countDown();
                threeInFlight.await(10, TimeUnit.SECONDS);
                trail.eventsForKey(region, key, from, to, sink);
            } catch (InterruptedException e) {
                throw new TrailLookupException("interrupted", e);
            } finally {
                perRegion.get(region).decrementAndGet();
                inFlight.decrementAndGet();
            }
        };
        List<String> regions = List.of("r1", "r2", "r3", "r4", "us-east-1", "eu-west-1", "ap-south-1");
        new CloudTrailInvestigation(gated, RegionSource.fixed(regions), 3, 100, CLOCK, null)
                .investigate(List.of("AKIAROOT"), ScanListener.NONE);
        assertEquals(3, maxInFlight.get(), "bounded by the executor, and actually concurrent");
        assertEquals(1, maxPerRegion.get());
    }

    @Test
    void regionDiscoveryFailureIsRaised() {
        RegionSource broken = () -> {
            throw new TrailLookupException("Could not list the enabled regions: UnauthorizedOperation", null);
        };
        TrailLookupException failure = assertThrows(TrailLookupException.class,
                () -> new CloudTrailInvestigation(new InMemoryTrail(), broken, 4, 100, CLOCK, null).investigate(List.of("AKIAROOT"), ScanListener.NONE));
        assertTrue(failure.getMessage().contains("UnauthorizedOperation"));
    }
}
