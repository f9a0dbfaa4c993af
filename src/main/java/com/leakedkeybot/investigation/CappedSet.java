package com.leakedkeybot.investigation;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Distinct values in arrival order, at most {@code capacity} of them; later new values are only counted. */
final class CappedSet {

    private final int capacity;
    private final Set<String> values = new LinkedHashSet<>();
    private boolean overflowed;

    CappedSet(int capacity) {
        this.capacity = capacity;
    }

    void add(String value) {
        if (value == null || values.contains(value)) {
            return;
        }
        if (values.size() < capacity) {
            values.add(value);
        } else {
            overflowed = true;
        }
    }

    void addAll(Iterable<String> more) {
        more.forEach(this::add);
    }

    List<String> values() {
        return List.copyOf(values);
    }

    /** True when values were dropped because the set was full. */
    boolean overflowed() {
        return overflowed;
    }
}
