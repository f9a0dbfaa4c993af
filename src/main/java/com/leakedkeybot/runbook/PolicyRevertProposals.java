package com.leakedkeybot.runbook;

import com.leakedkeybot.audit.AuditEntry;
import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.IncidentChannel;
import com.leakedkeybot.incident.IncidentStore;
import com.leakedkeybot.incident.PolicyRevert;
import com.leakedkeybot.investigation.TrailLookupException;
import com.leakedkeybot.remediation.PolicyRevertPlanner;
import com.leakedkeybot.remediation.RevertPolicyStep;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Once the trail is read: decides how to revert each policy document the keys changed, keeps that with the incident
 * (the buttons act on exactly what was shown), offers a step per document the bot can revert, and posts guidance
 * for the others.
 */
public final class PolicyRevertProposals {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyRevertProposals.class);

    private final IncidentStore store;
    private final IncidentChannel channel;
    private final StepOffers offers;
    private final PolicyRevertPlanner reverts;
    private final RevertPolicyStep step;

    public PolicyRevertProposals(IncidentStore store, IncidentChannel channel, StepOffers offers,
                                 PolicyRevertPlanner reverts, RevertPolicyStep step) {
        this.store = store;
        this.channel = channel;
        this.offers = offers;
        this.reverts = reverts;
        this.step = step;
    }

    /** @param from the start of the investigation's window; {@code to} when the trail was read */
    public void propose(Incident incident, Instant from, Instant to) {
        List<PolicyRevert> planned;
        try {
            planned = reverts.plan(incident, from, to);
        } catch (TrailLookupException e) {
            LOG.warn("Policy history of incident {} could not be read: {}", incident.id(), e.getMessage());
            channel.postInvestigationProblem(incident, "Reverting changed policies", e.getMessage()
                    + " Without the earlier documents the bot offers no revert: review the changed policies by hand.");
            return;
        }
        if (planned.isEmpty()) {
            return;
        }
        Incident updated = store.update(incident.id(), i -> i.withFindings(i.findings().withPolicyReverts(planned))
                .audited(new AuditEntry(to, AuditEntry.BOT, "read the history of changed policies",
                        planned.size() + " changed, " + planned.stream()
                                .filter(r -> r.plan() == PolicyRevert.Plan.MANUAL).count() + " need a person")));
        planned.stream().filter(r -> r.plan() == PolicyRevert.Plan.MANUAL)
                .forEach(r -> channel.postRevertGuidance(updated, r));
        step.proposals(updated).forEach(s -> offers.offer(updated.id(), s));
    }
}
