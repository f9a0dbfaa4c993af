package com.leakedkeybot.investigation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the keys did, ready to render: counts and notable events per category, the keys and where they were used,
 * the resources they touched, the temporary keys they minted and what the scan could not see.
 *
 * @param investigatedKeys         the keys the investigation started from
 * @param keys                     every key scanned: investigated keys first, then minted keys oldest first
 * @param categories               non-empty categories, most alarming first ({@link EventCategory} order);
 *                                 DENIED repeats refused events of every category
 * @param affectedResources        resources created, changed or deleted, oldest first
 * @param affectedResourcesOmitted resources beyond the kept limit
 * @param derivedCredentials       keys minted by the keys (and by those, recursively), oldest first
 * @param scannedRegions           regions read completely
 * @param failedRegions            regions not read (completely), with the reason
 * @param coverageNotes            limits of what this report can show, one sentence each
 * @param sources                  where the calls came from, first seen first
 * @param callsFromOmittedSources  calls from sources beyond the kept limit
 */
public record InvestigationReport(
        List<String> investigatedKeys,
        Instant from,
        Instant to,
        long totalEvents,
        List<KeyActivity> keys,
        List<CategorySummary> categories,
        List<AffectedResource> affectedResources,
        long affectedResourcesOmitted,
        List<DerivedCredential> derivedCredentials,
        List<String> scannedRegions,
        List<RegionFailure> failedRegions,
        List<String> coverageNotes,
        List<CallSource> sources,
        long callsFromOmittedSources) {

    /** Event count per category, zero for categories without events. */
    public Map<EventCategory, Long> countsByCategory() {
        Map<EventCategory, Long> counts = new EnumMap<>(EventCategory.class);
        for (EventCategory category : EventCategory.values()) {
            counts.put(category, 0L);
        }
        categories.forEach(summary -> counts.put(summary.category(), summary.count()));
        return counts;
    }

    public Optional<CategorySummary> category(EventCategory category) {
        return categories.stream().filter(summary -> summary.category() == category).findFirst();
    }

    /** The most significant event groups of a category, most significant first. */
    public List<NotableEvent> notableEvents(EventCategory category) {
        return category(category).map(CategorySummary::notable).orElse(List.of());
    }

    /** Every source IP seen across all keys. */
    public Set<String> sourceIps() {
        Set<String> ips = new LinkedHashSet<>();
        keys.forEach(key -> ips.addAll(key.sourceIps()));
        return ips;
    }

    public Set<String> userAgents() {
        Set<String> agents = new LinkedHashSet<>();
        keys.forEach(key -> agents.addAll(key.userAgents()));
        return agents;
    }

    /** The keys that led to {@code accessKeyId}, an investigated key first and {@code accessKeyId} last. */
    public List<String> lineage(String accessKeyId) {
        return DerivedCredential.lineage(accessKeyId, derivedCredentials);
    }

    /** True when every region was read completely. */
    public boolean complete() {
        return failedRegions.isEmpty();
    }
}
