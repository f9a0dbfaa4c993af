package com.leakedkeybot.investigation;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Where the investigation reads CloudTrail data events (S3 object writes): the trail's log files. LookupEvents returns
 * management events only, so these are visible nowhere else.
 */
public interface DataEventSource {

    /**
     * Streams to {@code sink} every logged event of {@code regions} between {@code from} and {@code to} made with one
     * of {@code accessKeyIds}. Events already streamed stay valid if reading then fails.
     */
    void eventsOfKeys(List<String> regions, Set<String> accessKeyIds, Instant from, Instant to,
                      Consumer<TrailEvent> sink) throws TrailLookupException;

    /** Where the log files are, for people, e.g. {@code s3://trail-logs/org}. */
    String location();
}
