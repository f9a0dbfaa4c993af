package com.leakedkeybot.investigation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scans every region for what the keys did, and follows the temporary keys they minted (each new key is scanned
 * in every region, once). Regions run concurrently, one lookup at a time per region: CloudTrail's rate limit is
 * per region, and the {@link TrailEventSource} paces each region to it. Where the trail's log files are configured,
 * the S3 object writes of every key found are then read from them: LookupEvents never returns those.
 */
public final class CloudTrailInvestigation {

    /** LookupEvents returns the last 90 days. */
    public static final Duration LOOKUP_HISTORY = Duration.ofDays(90);
    private static final int PROGRESS_EVERY_EVENTS = 500;
    private static final String S3 = "s3.amazonaws.com";
    /** Data events that change what an object key holds; reads and other data events are not kept. */
    private static final Set<String> OBJECT_WRITES = Set.of("PutObject", "CopyObject", "CompleteMultipartUpload",
            "DeleteObject", "DeleteObjects");

    private final TrailEventSource source;
    private final RegionSource regionSource;
    private final int maxConcurrentRegions;
    private final int maxDerivedKeys;
    private final Clock clock;
    private final DataEventSource dataEvents;

    /**
     * @param maxConcurrentRegions threads scanning at once
     * @param maxDerivedKeys       derived keys followed at most; an app assuming a role every 15 minutes mints
     *                             thousands, and each costs a lookup per region
     * @param dataEvents           the trail's log files, or null when they are not configured
     */
    public CloudTrailInvestigation(TrailEventSource source, RegionSource regionSource, int maxConcurrentRegions,
                                   int maxDerivedKeys, Clock clock, DataEventSource dataEvents) {
        this.source = source;
        this.regionSource = regionSource;
        this.maxConcurrentRegions = maxConcurrentRegions;
        this.maxDerivedKeys = maxDerivedKeys;
        this.clock = clock;
        this.dataEvents = dataEvents;
    }

    /**
     * The same scan of management events (same regions, pace and limits) through {@code wrap} of its event source —
     * the watch reads again what the first scan read, in the same account — without the trail's log files.
     */
    public CloudTrailInvestigation managementEventsThrough(UnaryOperator<TrailEventSource> wrap) {
        return new CloudTrailInvestigation(wrap.apply(source), regionSource, maxConcurrentRegions, maxDerivedKeys,
                clock, null);
    }

    /** Whether S3 object writes are read at all: only the trail's log files hold them. */
    public boolean readsDataEvents() {
        return dataEvents != null;
    }

    /** Scans the whole history LookupEvents keeps (90 days up to now). */
    public InvestigationReport investigate(List<String> accessKeyIds, ScanListener listener)
            throws TrailLookupException, InterruptedException {
        Instant now = clock.instant();
        return investigate(new Investigation(accessKeyIds, now.minus(LOOKUP_HISTORY), now, EventClassifier.standard(),
                AffectedResourceExtractor.standard(), listener::finding), listener);
    }

    /** Runs the scan into {@code investigation} (its keys and window) and returns its report. */
    public InvestigationReport investigate(Investigation investigation, ScanListener listener)
            throws TrailLookupException, InterruptedException {
        List<String> regions = regionSource.regions();
        Scan scan = new Scan(investigation, listener, regions);
        try {
            scan.run();
        } finally {
            scan.executor.shutdownNow();
        }
        if (dataEvents != null) {
            readObjectWrites(investigation, regions);
        }
        return investigation.report();
    }

    /** After the lookups, so that the keys they minted are known: the log files are read once for all keys. */
    private void readObjectWrites(Investigation investigation, List<String> regions) {
        try {
            dataEvents.eventsOfKeys(regions, Set.copyOf(investigation.chain().keys()), investigation.from(),
                    investigation.to(), event -> {
                        if (S3.equals(event.eventSource()) && OBJECT_WRITES.contains(event.eventName())) {
                            investigation.record(event);
                        }
                    });
            investigation.addCoverageNote("S3 object writes were read from the trail's log files in "
                    + dataEvents.location() + ".");
        } catch (TrailLookupException | RuntimeException e) {
            investigation.addCoverageNote("S3 object writes could not be read from the trail's log files in "
                    + dataEvents.location() + " (" + (e instanceof TrailLookupException ? e.getMessage() : e.toString())
                    + "): objects the keys overwrote or deleted may be missing.");
        }
    }

    private record Target(String accessKeyId, Instant from, Instant to) {
    }

    /** Per region: how far through the target list it is, and whether it is working or has failed. */
    private static final class RegionWorker {
        final String region;
        int next;
        boolean active;
        boolean failed;

        RegionWorker(String region) {
            this.region = region;
        }
    }

    private final class Scan {
        final Investigation investigation;
        final ScanListener listener;
        final ExecutorService executor;
        final Map<String, RegionWorker> workers = new LinkedHashMap<>();
        final List<Target> targets = new ArrayList<>();
        int active;
        int followed;
        int notFollowed;

        Scan(Investigation investigation, ScanListener listener, List<String> regions) {
            this.investigation = investigation;
            this.listener = listener;
            regions.forEach(region -> workers.put(region, new RegionWorker(region)));
            this.executor = Executors.newFixedThreadPool(Math.max(1, Math.min(regions.size(), maxConcurrentRegions)),
                    daemonThreads());
        }

        void run() throws InterruptedException {
            synchronized (this) {
                investigation.chain().keys().forEach(key ->
                        targets.add(new Target(key, investigation.from(), investigation.to())));
                workers.values().forEach(this::schedule);
                while (active > 0) {
                    wait();
                }
                if (notFollowed > 0) {
                    investigation.addCoverageNote(notFollowed + " further derived key(s) were not scanned (limit "
                            + maxDerivedKeys + " per investigation).");
                }
            }
            progress();
        }

        // Caller holds the lock.
        private void schedule(RegionWorker worker) {
            if (!worker.active && !worker.failed && worker.next < targets.size()) {
                worker.active = true;
                active++;
                executor.execute(() -> work(worker));
            }
        }

        private void work(RegionWorker worker) {
            while (true) {
                Target target;
                synchronized (this) {
                    if (worker.failed || worker.next >= targets.size()) {
                        worker.active = false;
                        if (!worker.failed) {
                            investigation.regionScanned(worker.region);
                        }
                        break;
                    }
                    target = targets.get(worker.next++);
                }
                try {
                    source.eventsForKey(worker.region, target.accessKeyId(), target.from(), target.to(), this::accept);
                } catch (TrailLookupException | RuntimeException e) {
                    fail(worker, e instanceof TrailLookupException ? e.getMessage() : e.toString());
                }
            }
            // Report before counting as finished, so no progress call comes after investigate() returns.
            progress();
            synchronized (this) {
                active--;
                notifyAll();
            }
        }

        private void fail(RegionWorker worker, String reason) {
            synchronized (this) {
                worker.failed = true;
            }
            investigation.regionFailed(worker.region, reason);
        }

        private void accept(TrailEvent event) {
            listener.read(event);
            investigation.record(event).ifPresent(this::follow);
            if (investigation.eventCount() % PROGRESS_EVERY_EVENTS == 0) {
                progress();
            }
        }

        private synchronized void follow(DerivedCredential credential) {
            if (followed >= maxDerivedKeys) {
                notFollowed++;
                return;
            }
            followed++;
            Instant from = investigation.from();
            Instant to = investigation.to();
            Instant start = credential.issuedAt().isAfter(from) ? credential.issuedAt() : from;
            Instant end = credential.validUntil().isBefore(to) ? credential.validUntil() : to;
            targets.add(new Target(credential.accessKeyId(), start, end));
            workers.values().forEach(this::schedule);
        }

        private void progress() {
            int done;
            synchronized (this) {
                done = (int) workers.values().stream().filter(w -> !w.active).count();
            }
            listener.progress(done, workers.size(), investigation.eventCount());
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "trail-scan-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
