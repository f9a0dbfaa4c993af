package com.leakedkeybot.investigation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Counts of one category and its event groups, bounded in the number of groups. */
final class CategoryTally {

    private static final int MAX_GROUPS = 200;

    private final EventCategory category;
    private final Map<String, NotableTally> groups = new LinkedHashMap<>();
    private long count;
    private long denied;
    private long ungrouped;

    CategoryTally(EventCategory category) {
        this.category = category;
    }

    /** Counts the event; returns the new group's tally if the event opened one. */
    Optional<NotableTally> add(TrailEvent event, boolean write, boolean isDenied, List<AffectedResource> touched) {
        count++;
        if (isDenied) {
            denied++;
        }
        String key = NotableTally.groupKey(event, isDenied);
        NotableTally group = groups.get(key);
        boolean opened = false;
        if (group == null) {
            if (groups.size() >= MAX_GROUPS) {
                ungrouped++;
                return Optional.empty();
            }
            group = new NotableTally(category, event, write, isDenied);
            groups.put(key, group);
            opened = true;
        }
        group.add(event, touched);
        return opened ? Optional.of(group) : Optional.empty();
    }

    boolean isEmpty() {
        return count == 0;
    }

    boolean truncated() {
        return ungrouped > 0;
    }

    CategorySummary summary(int shown) {
        List<NotableEvent> all = groups.values().stream().map(NotableTally::snapshot)
                .sorted(NotableEvent.MOST_SIGNIFICANT_FIRST).toList();
        return new CategorySummary(category, count, denied, all.subList(0, Math.min(shown, all.size())),
                all.size() - Math.min(shown, all.size()));
    }
}
