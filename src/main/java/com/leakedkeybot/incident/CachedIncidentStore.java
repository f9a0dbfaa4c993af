package com.leakedkeybot.incident;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The hot layer: recently used incidents, by id and by thread, in Caffeine, in front of a durable store that is the
 * source of truth. Reads are served from memory when they can be. Writes never are: {@link #decide} always runs the
 * durable store's atomic read-modify-write, so which click wins is decided on the stored value, never on a cached
 * copy another replica may have outdated; the cache only takes the result.
 */
public final class CachedIncidentStore implements IncidentStore {

    private final IncidentStore durable;
    private final Cache<IncidentId, Incident> incidents;
    private final Cache<ThreadRef, IncidentId> threads;
    private final Object[] stripes = new Object[64];

    /**
     * @param freshFor how long a cached incident may be served before it is read again: bounds how stale a read can
     *                 be when other processes write the same store
     */
    public CachedIncidentStore(IncidentStore durable, long maximumIncidents, Duration freshFor) {
        this.durable = durable;
        this.incidents = Caffeine.newBuilder().maximumSize(maximumIncidents).expireAfterWrite(freshFor).build();
        // A thread never moves to another incident, so these entries cannot go stale.
        this.threads = Caffeine.newBuilder().maximumSize(maximumIncidents).build();
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new Object();
        }
    }

    @Override
    public void create(Incident incident) {
        durable.create(incident);
        remember(incident);
    }

    @Override
    public Optional<IncidentId> createUnlessOpen(Incident incident) {
        Optional<IncidentId> open = durable.createUnlessOpen(incident);
        if (open.isEmpty()) {
            remember(incident);
        }
        return open;
    }

    @Override
    public Optional<Incident> find(IncidentId id) {
        return Optional.ofNullable(incidents.get(id, key -> durable.find(key).orElse(null)));
    }

    @Override
    public Optional<Incident> findByThread(ThreadRef thread) {
        IncidentId id = threads.getIfPresent(thread);
        if (id != null) {
            return find(id);
        }
        Optional<Incident> found = durable.findByThread(thread);
        found.ifPresent(this::remember);
        return found;
    }

    /**
     * Serialised per incident within this process, so the cache can only move forward: two local updates cannot
     * store their results in the opposite order of their writes.
     */
    @Override
    public <T> Decision<T> decide(IncidentId id, Function<Incident, Decision<T>> change) {
        synchronized (stripes[Math.floorMod(id.hashCode(), stripes.length)]) {
            Decision<T> decided = durable.decide(id, change);
            remember(decided.incident());
            return decided;
        }
    }

    @Override
    public List<IncidentId> watched() {
        return durable.watched();
    }

    @Override
    public List<IncidentId> open() {
        return durable.open();
    }

    @Override
    public List<IncidentId> withStepsInFlight() {
        return durable.withStepsInFlight();
    }

    private void remember(Incident incident) {
        incidents.put(incident.id(), incident);
        if (incident.thread() != null) {
            threads.put(incident.thread(), incident.id());
        }
    }
}
