package com.leakedkeybot.testkit;

import com.leakedkeybot.investigation.TrailEvent;
import com.leakedkeybot.investigation.TrailEventSource;
import com.leakedkeybot.investigation.TrailHistory;
import com.leakedkeybot.investigation.TrailLookupException;
import com.leakedkeybot.testkit.FakeCloudTrail.FakeEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * CloudTrail's lookups by key and by event name without HTTP, for tests of the orchestration: events per region,
 * failures on demand.
 */
public final class InMemoryTrail implements TrailEventSource, TrailHistory {

    private final Map<String, List<FakeEvent>> events = new HashMap<>();
    private final Map<String, String> failures = new HashMap<>();
    private final Map<String, AtomicInteger> lookups = new ConcurrentHashMap<>();
    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());

    public InMemoryTrail add(String region, String cloudTrailEventJson) {
        TrailEvent event = TrailEvent.parse(cloudTrailEventJson);
        return add(region, List.of(new FakeEvent(event.eventTime().getEpochSecond(), event.eventId(), event.eventName(),
                event.eventSource(), event.readOnly(), event.accessKeyId(), null, () -> cloudTrailEventJson)));
    }

    public InMemoryTrail add(String region, List<FakeEvent> more) {
        events.computeIfAbsent(region, r -> new ArrayList<>()).addAll(more);
        events.get(region).sort(Comparator.comparingLong(FakeEvent::epochSecond).reversed());
        return this;
    }

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

    private void lookup(String region, Predicate<FakeEvent> matches, Instant from, Instant to,
                        Predicate<TrailEvent> visit) throws TrailLookupException {
        if (failures.containsKey(region)) {
            throw new TrailLookupException(failures.get(region), null);
        }
        for (FakeEvent event : events.getOrDefault(region, List.of())) {
            if (matches.test(event) && event.epochSecond() >= from.getEpochSecond()
                    && event.epochSecond() <= to.getEpochSecond()
                    && !visit.test(TrailEvent.parse(event.cloudTrailEvent().get()))) {
                return;
            }
        }
    }
}
