package com.leakedkeybot.investigation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the watch's later reads add to the sources the first scan found. */
class CallSourceTest {

    private static final Instant T = Instant.parse("2026-11-28T15:00:00Z");

    @Test
    void aSourceSeenAgainIsOneSourceWithItsCountsTimesCategoriesAndKeysCombined() {
        String id = CallSource.idOf("203.0.113.9", "aws-cli/2.15.0", null);
        CallSource first = source(id, T, T.plusSeconds(60), 3, Map.of(EventCategory.RECONNAISSANCE, T),
                List.of("AKIAFIRST"));
        CallSource later = source(id, T.plusSeconds(600), T.plusSeconds(900), 2,
                Map.of(EventCategory.PERSISTENCE, T.plusSeconds(600), EventCategory.RECONNAISSANCE, T.plusSeconds(700)),
                List.of("AKIAFIRST", "ASIAMINTED"));

        List<CallSource> merged = CallSource.merged(List.of(first), List.of(later));

        assertEquals(List.of(source(id, T, T.plusSeconds(900), 5,
                Map.of(EventCategory.RECONNAISSANCE, T, EventCategory.PERSISTENCE, T.plusSeconds(600)),
                List.of("AKIAFIRST", "ASIAMINTED"))), merged);
    }

    @Test
    void newSourcesAreAppendedUpToTheLimitAndKnownOnesStillCount() {
        List<CallSource> known = new ArrayList<>();
        for (int i = 0; i < Investigation.MAX_SOURCES; i++) {
            known.add(source("s" + i, T, T, 1, Map.of(), List.of()));
        }
        List<CallSource> merged = CallSource.merged(known,
                List.of(source("new", T, T, 1, Map.of(), List.of()), source("s0", T, T.plusSeconds(5), 4, Map.of(),
                        List.of())));

        assertEquals(Investigation.MAX_SOURCES, merged.size());
        assertEquals(5, merged.get(0).calls());
        assertEquals(T.plusSeconds(5), merged.get(0).lastSeen());
    }

    private static CallSource source(String id, Instant first, Instant last, long calls,
                                     Map<EventCategory, Instant> categories, List<String> keys) {
        return new CallSource(id, "203.0.113.9", null, "aws-cli/2.15.0", first, last, calls, categories, keys);
    }
}
