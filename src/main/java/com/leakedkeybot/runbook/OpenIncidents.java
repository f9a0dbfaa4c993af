package com.leakedkeybot.runbook;

import com.leakedkeybot.approval.Approvers;
import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.IncidentStore;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The incidents still open, on request. They name keys, owners and accounts, and approvers are the ones who act on
 * them: nobody else may list them.
 */
public final class OpenIncidents {

    private final IncidentStore store;
    private final Approvers approvers;

    public OpenIncidents(IncidentStore store, Approvers approvers) {
        this.store = store;
        this.approvers = approvers;
    }

    public boolean mayList(String user) {
        return approvers.mayApprove(user);
    }

    /** Newest first; empty for anyone who {@link #mayList may not list} them. */
    public Optional<List<Incident>> listFor(String user) {
        if (!mayList(user)) {
            return Optional.empty();
        }
        return Optional.of(store.open().stream().flatMap(id -> store.find(id).stream())
                .filter(incident -> !incident.isClosed())
                .sorted(Comparator.comparing(Incident::reportedAt).reversed()).toList());
    }
}
