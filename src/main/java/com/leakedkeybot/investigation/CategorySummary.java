package com.leakedkeybot.investigation;

import java.util.List;

/**
 * One category of the report.
 *
 * @param count        events in the category, refused ones included
 * @param deniedCount  of which AWS refused
 * @param notable      the most significant event groups, most significant first
 * @param moreGroups   further event groups not listed in {@code notable}
 */
public record CategorySummary(EventCategory category, long count, long deniedCount, List<NotableEvent> notable,
                              int moreGroups) {

    public String label() {
        return category.label();
    }
}
