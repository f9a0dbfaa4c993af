package com.leakedkeybot.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leakedkeybot.investigation.TrailEvent;
import com.leakedkeybot.investigation.TrailEventSource;
import com.leakedkeybot.investigation.TrailHistory;
import com.leakedkeybot.investigation.TrailLookupException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The events LookupEvents can return, per region, newest first — looked up here directly, without HTTP, by tests of
 * the orchestration (with failures on demand), and served over HTTP by {@link FakeCloudTrail}.
 */
public final class InMemoryTrail implements TrailEventSource, TrailHistory {

    /** One stored event: the fields LookupEvents filters on, and the raw event, rendered when read. */
    public record FakeEvent(long epochSecond, String eventId, String eventName, String eventSource, Boolean readOnly,
                            String accessKeyId, String username, Supplier<String> cloudTrailEvent) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, List<FakeEvent>> events = new ConcurrentHashMap<>();
    private final Map<String, String> failures = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> lookups = new ConcurrentHashMap<>();
    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());

    /**
     * Stores a raw CloudTrail event (JSON) in a region. Data events (S3 object reads...) are dropped: LookupEvents
     * never returns them.
     */
    public InMemoryTrail add(String region, String cloudTrailEventJson) {
        JsonNode event;
        try {
            event = JSON.readTree(cloudTrailEventJson);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON", e);
        }
        if (event.path("eventCategory").asText().equals("Data") || event.path("managementEvent").asText().equals("false")) {
            return this;
        }
        JsonNode identity = event.path("userIdentity");
        String username = identity.path("userName").asText(identity.path("sessionContext").path("sessionIssuer")
                .path("userName").asText(null));
        return add(region, List.of(new FakeEvent(Instant.parse(event.path("eventTime").asText()).getEpochSecond(),
                event.path("eventID").asText(), event.path("eventName").asText(), event.path("eventSource").asText(),
                event.path("readOnly").isBoolean() ? event.path("readOnly").booleanValue() : null,
                identity.path("accessKeyId").asText(null), username, () -> cloudTrailEventJson)));
    }

    /** Stores events (sorting once), e.g. a generated volume. */
    public InMemoryTrail add(String region, List<FakeEvent> more) {
        List<FakeEvent> stored = events.computeIfAbsent(region, r -> new ArrayList<>());
        synchronized (stored) {
            stored.addAll(more);
            stored.sort(Comparator.comparingLong(FakeEvent::epochSecond).reversed());
        }
        return this;
    }

    /** Lookups in the region fail with {@code reason}, as a TrailLookupException. */
    public InMemoryTrail failing(String region, String reason) {
        failures.put(region, reason);
        return this;
    }

    /** Lookups made for a key, in all regions. */
    public int lookups(String accessKeyId) {
        return lookups.getOrDefault(accessKeyId, new AtomicInteger()).get();
    }

    /** Every lookup as "region key from to", in call order. */
    public List<String> calls() {
        return List.copyOf(calls);
    }

    @Override
    public void eventsForKey(String region, String accessKeyId, Instant from, Instant to, Consumer<TrailEvent> sink)
            throws TrailLookupException {
        lookups.computeIfAbsent(accessKeyId, k -> new AtomicInteger()).incrementAndGet();
        calls.add(region + " " + accessKeyId + " " + from + " " + to);
        lookup(region, event -> accessKeyId.equals(event.accessKeyId()), from, to, event -> {
            sink.accept(event);
            return true;
        });
    }

    @Override
    public void eventsNamed(String region, String eventName, Instant from, Instant to, Predicate<TrailEvent> visit)
            throws TrailLookupException {
        calls.add(region + " " + eventName + " " + from + " " + to);
        lookup(region, event -> eventName.equals(event.eventName()), from, to, visit);
    }

    /** The region's events that match, from {@code fromSecond} to {@code toSecond} inclusive, newest first. */
    List<FakeEvent> matching(String region, Predicate<FakeEvent> filter, long fromSecond, long toSecond) {
        List<FakeEvent> stored = events.getOrDefault(region, List.of());
        List<FakeEvent> matching = new ArrayList<>();
        synchronized (stored) {
            for (FakeEvent event : stored) {
                if (event.epochSecond() >= fromSecond && event.epochSecond() <= toSecond && filter.test(event)) {
                    matching.add(event);
                }
            }
        }
        return matching;
    }

    private void lookup(String region, Predicate<FakeEvent> filter, Instant from, Instant to,
                        Predicate<TrailEvent> visit) throws TrailLookupException {
        if (failures.containsKey(region)) {
            throw new TrailLookupException(failures.get(region), null);
        }
        for (FakeEvent event : matching(region, filter, from.getEpochSecond(), to.getEpochSecond())) {
            if (!visit.test(TrailEvent.parse(event.cloudTrailEvent().get()))) {
                return;
            }
        }
    }
}
