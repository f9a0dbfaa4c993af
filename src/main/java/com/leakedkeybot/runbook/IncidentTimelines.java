package com.leakedkeybot.runbook;

import com.leakedkeybot.approval.Approvers;
import com.leakedkeybot.incident.IncidentId;
import com.leakedkeybot.incident.IncidentStore;
import com.leakedkeybot.incident.Timeline;
import java.util.Optional;

/**
 * The timeline of an incident on request, open or closed, for as long as the store keeps it. It names people and
 * the attacker's actions, so only approvers and the incident's reporter may read it.
 */
public final class IncidentTimelines {

    private final IncidentStore store;
    private final Approvers approvers;

    public IncidentTimelines(IncidentStore store, Approvers approvers) {
        this.store = store;
        this.approvers = approvers;
    }

    /** Empty when there is no such incident or {@code user} may not read it: the two are not told apart. */
    public Optional<Timeline> readableBy(IncidentId id, String user) {
        return store.find(id).filter(incident -> incident.reporter().equals(user) || approvers.mayApprove(user))
                .map(Timeline::of);
    }
}
