package com.leakedkeybot.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.leakedkeybot.config.Settings;
import com.leakedkeybot.investigation.CloudTrailInvestigation;
import com.leakedkeybot.investigation.InvestigationReport;
import com.leakedkeybot.investigation.NotableEvent;
import com.leakedkeybot.investigation.RegionSource;
import com.leakedkeybot.investigation.ScanListener;
import com.leakedkeybot.sandbox.FakeCloudTrail;
import com.leakedkeybot.testkit.CloudTrailDatasets;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Not a unit test: measures a full scan of 100,000 events over 20 regions against the throttled fake (same JVM).
 * Run with:
 * {@code ./mvnw -q -B test -Dgroups=benchmark -DexcludedGroups= -Dtest=CloudTrailScanBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 * and add {@code -DargLine=-Xmx128m} to show it fits a small heap. Results are kept in BENCHMARKS-investigation.md.
 */
@Tag("benchmark")
class CloudTrailScanBenchmark {

    private static final String KEY = "AKIABENCHMARK0000001";
    private static final int EVENTS = 100_000;
    /** Who the scan signs as: the fake records each caller's requests apart. */
    private static final String CALLER = "AKIDBENCHMARK";
    private static final int REGION_COUNT = 20;
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
    /** The production pace, CloudTrail's limit: what the benchmark measures the scan against. */
    private static final double REQUESTS_PER_SECOND = Settings.Tuning.defaults().cloudTrailRequestsPerSecond();

    private record Scan(InvestigationReport report, double seconds, long pages, long throttled, List<Double> utilisation,
                        double firstFindingMillis, long heapBeforeScan, long heapAfterLoad, long peakHeap) {
    }

    @Test
    void scanOfAHundredThousandEventsOverTwentyRegions() throws Exception {
        Scan scan = scan();
        InvestigationReport report = scan.report();
        long withReport = usedAfterGc();
        double meanUtilisation = scan.utilisation().stream().mapToDouble(Double::doubleValue).average().orElse(0);
        double overall = scan.pages() / (REQUESTS_PER_SECOND * REGION_COUNT * scan.seconds());
        long total = report.totalEvents();
        int failed = report.failedRegions().size();
        String lines = String.format("%nScan benchmark: %,d events, %d regions, %d cores, %s, max heap %.0f MB%n", total,
                REGION_COUNT, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"), Runtime.getRuntime().maxMemory() / 1e6)
                + String.format("  wall time                    %.1f s%n", scan.seconds())
                + String.format("  throughput                   %,.0f events/s, %.1f requests/s (%d LookupEvents pages)%n",
                total / scan.seconds(), scan.pages() / scan.seconds(), scan.pages())
                + String.format("  rate limit used              per region mean %.1f%% (min %.1f%%); overall %.1f%% of 2 req/s x %d regions%n",
                meanUtilisation * 100, scan.utilisation().stream().mapToDouble(Double::doubleValue).min().orElse(0) * 100,
                overall * 100, REGION_COUNT)
                + String.format("  ThrottlingException answers  %d%n", scan.throttled())
                + String.format("  time to first finding        %.0f ms after the scan started%n", scan.firstFindingMillis())
                + String.format("  heap (after GC) before load  %.1f MB; fake's 100,000 stored events add %.1f MB%n",
                scan.heapBeforeScan() / 1e6, (scan.heapAfterLoad() - scan.heapBeforeScan()) / 1e6)
                + String.format("  heap peak during the scan    %.1f MB (sampled every 20 ms, garbage included; fake and HTTP in the same JVM)%n",
                scan.peakHeap() / 1e6);
        scan = null;
        report = null;
        long withoutReport = usedAfterGc();
        System.out.print(lines + String.format("  retained by the report       %.2f MB%n", (withReport - withoutReport) / 1e6));

        assertEquals(EVENTS, total);
        assertEquals(0, failed);
        assertTrue(meanUtilisation > 0.9, "more than 90% of the rate limit used: " + meanUtilisation);
    }

    private static Scan scan() throws Exception {
        List<String> regions = new ArrayList<>();
        for (int i = 0; i < REGION_COUNT; i++) {
            regions.add("bench-region-" + i);
        }
        long before = usedAfterGc();
        try (FakeCloudTrail fake = FakeCloudTrail.start();
             CloudTrailLookup lookup = new CloudTrailLookup(fake.target(CALLER), REQUESTS_PER_SECOND)) {
            CloudTrailDatasets.volume(KEY, EVENTS, regions, Instant.now()).forEach(fake::add);
            long afterLoad = usedAfterGc();
            AtomicLong peak = new AtomicLong();
            Thread sampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    peak.accumulateAndGet(MEMORY.getHeapMemoryUsage().getUsed(), Math::max);
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            sampler.setDaemon(true);
            sampler.start();
            AtomicLong firstFinding = new AtomicLong();
            long start = System.nanoTime();
            InvestigationReport report = new CloudTrailInvestigation(lookup, RegionSource.fixed(regions), 32, 100, Clock.systemUTC(),
                    null)
                    .investigate(List.of(KEY), new ScanListener() {
                        @Override
                        public void progress(int regionsDone, int regionsTotal, long eventsSoFar) {
                        }

                        @Override
                        public void finding(NotableEvent finding) {
                            firstFinding.compareAndSet(0, System.nanoTime());
                        }
                    });
            long elapsed = System.nanoTime() - start;
            sampler.interrupt();
            long pages = 0;
            List<Double> utilisation = new ArrayList<>();
            for (String region : regions) {
                List<Long> arrivals = fake.arrivals(region, CALLER);
                pages += fake.served(region);
                // Each region's budget over its own busy time: from its first request to one interval after its last.
                double window = (arrivals.get(arrivals.size() - 1) - arrivals.get(0)) / 1e9 + 1 / REQUESTS_PER_SECOND;
                utilisation.add(fake.served(region) / (REQUESTS_PER_SECOND * window));
            }
            return new Scan(report, elapsed / 1e9, pages, fake.throttled(), utilisation, (firstFinding.get() - start) / 1e6,
                    before, afterLoad, peak.get());
        }
    }

    private static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return MEMORY.getHeapMemoryUsage().getUsed();
    }
}
