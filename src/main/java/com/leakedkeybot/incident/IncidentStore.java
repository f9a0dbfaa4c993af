package com.leakedkeybot.incident;

import java.util.Optional;
import java.util.function.UnaryOperator;

/** Per-incident state. {@link #update} is atomic per incident: the decision of which click wins is made here. */
public interface IncidentStore {

    void create(Incident incident);

    Optional<Incident> find(IncidentId id);

    /**
     * Applies {@code change} atomically and returns the stored result.
     *
     * @throws IllegalArgumentException when there is no such incident
     */
    Incident update(IncidentId id, UnaryOperator<Incident> change);
}
