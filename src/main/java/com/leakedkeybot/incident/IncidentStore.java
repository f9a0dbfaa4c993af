package com.leakedkeybot.incident;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Per-incident state. {@link #update} is atomic per incident, also across bot processes sharing the store: the
 * decision of which click wins is made here, and it must never be made on a stale copy.
 */
public interface IncidentStore {

    /** @throws IllegalStateException when an incident with this id exists already */
    void create(Incident incident);

    /**
     * Stores a new incident unless its key has an open incident already, atomically, also across processes sharing
     * the store: one open incident per key, so a key reported twice is investigated once.
     *
     * @return the key's open incident when it has one, and nothing is stored; empty when {@code incident} was stored
     * @throws IllegalStateException when an incident with this id exists already
     */
    Optional<IncidentId> createUnlessOpen(Incident incident);

    Optional<Incident> find(IncidentId id);

    /** The incident whose thread starts at {@code thread}'s root message. */
    Optional<Incident> findByThread(ThreadRef thread);

    /**
     * Applies {@code change} atomically and returns the stored incident with the value the applied change decided.
     * {@code change} may be applied more than once (when another process changed the incident meanwhile) and must
     * therefore have no side effects beyond its result: what it decides travels in the {@link Decision}, never
     * through a variable outside it. A change that returns its input unchanged writes nothing.
     *
     * @throws IllegalArgumentException when there is no such incident
     * @throws IllegalStateException when the change rewrites the audit trail instead of appending to it
     */
    <T> Decision<T> decide(IncidentId id, Function<Incident, Decision<T>> change);

    /** {@link #decide} for a change that decides nothing but the next incident; returns the stored incident. */
    default Incident update(IncidentId id, UnaryOperator<Incident> change) {
        return decide(id, incident -> new Decision<Void>(change.apply(incident), null)).incident();
    }

    /**
     * Open incidents whose CloudTrail is watched ({@link Incident#watched()}), possibly with a few that no longer are
     * (the caller checks): what the watch reads, also after a restart.
     */
    List<IncidentId> watched();

    /** Every incident not closed yet, in no particular order: for people asking what is open (rare, may be slow). */
    List<IncidentId> open();

    /** Incidents with a step RUNNING or RECONCILING: what a restarted process must look at. */
    List<IncidentId> withStepsInFlight();
}
