package com.leakedkeybot.investigation;

import java.time.Instant;
import java.util.function.Consumer;

/** Where the investigation reads CloudTrail events from (LookupEvents in production, a fake in tests). */
public interface TrailEventSource {

    /**
     * Streams to {@code sink} every event made with {@code accessKeyId} in {@code region} between {@code from} and
     * {@code to}, newest first. Events already streamed stay valid if the lookup then fails.
     */
    void eventsForKey(String region, String accessKeyId, Instant from, Instant to, Consumer<TrailEvent> sink)
            throws TrailLookupException;
}
