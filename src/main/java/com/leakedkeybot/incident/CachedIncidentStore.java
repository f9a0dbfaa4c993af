package com.leakedkeybot.incident;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Optional;
import java.util.concurrent.ConcurrentMap;
import java.util.function.UnaryOperator;

/**
 * Incidents in a Caffeine cache. Caffeine's {@code compute} runs atomically per key, so concurrent updates of one
 * incident are serialised while different incidents proceed in parallel.
 */
public final class CachedIncidentStore implements IncidentStore {

    private final ConcurrentMap<IncidentId, Incident> incidents;

    public CachedIncidentStore(long maximumIncidents) {
        Cache<IncidentId, Incident> cache = Caffeine.newBuilder().maximumSize(maximumIncidents).build();
        this.incidents = cache.asMap();
    }

    @Override
    public void create(Incident incident) {
        if (incidents.putIfAbsent(incident.id(), incident) != null) {
            throw new IllegalStateException("incident " + incident.id() + " exists already");
        }
    }

    @Override
    public Optional<Incident> find(IncidentId id) {
        return Optional.ofNullable(incidents.get(id));
    }

    @Override
    public Incident update(IncidentId id, UnaryOperator<Incident> change) {
        Incident updated = incidents.computeIfPresent(id, (key, current) -> change.apply(current));
        if (updated == null) {
            throw new IllegalArgumentException("no incident " + id);
        }
        return updated;
    }
}
