package com.leakedkeybot.runbook;

import com.leakedkeybot.approval.AfterStep;
import com.leakedkeybot.blastradius.BlastRadius;
import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.IncidentChannel;
import com.leakedkeybot.incident.IncidentId;
import com.leakedkeybot.incident.IncidentStore;
import com.leakedkeybot.incident.KeyOwnership;
import com.leakedkeybot.incident.PolicyRevert;
import com.leakedkeybot.remediation.Proposals;
import com.leakedkeybot.remediation.RemediationStep;
import com.leakedkeybot.remediation.Responders;
import com.leakedkeybot.step.StepId;
import com.leakedkeybot.step.StepKind;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runbook: what the bot offers in an incident thread, and when. Every step button, follow-up and piece of guidance
 * is decided here, from the incident and its findings, at four moments: the key has been looked up, its blast radius
 * is known, CloudTrail has been read, and a step has succeeded. The steps themselves only say which targets their
 * kind has at that moment ({@link RemediationStep#propose}).
 */
public final class Runbook implements AfterStep {

    private static final Logger LOG = LoggerFactory.getLogger(Runbook.class);

    private final IncidentStore store;
    private final StepOffers offers;
    private final IncidentChannel channel;
    private final Responders responders;
    private final boolean readsObjectWrites;

    /** @param readsObjectWrites whether the investigation reads S3 data events (the trail's log files) */
    public Runbook(IncidentStore store, IncidentChannel channel, Responders responders, boolean readsObjectWrites) {
        this.store = store;
        this.offers = new StepOffers(store, channel);
        this.channel = channel;
        this.responders = responders;
        this.readsObjectWrites = readsObjectWrites;
    }

    /**
     * Containment first: deactivate the key if the bot can, else say how to do it by hand — and for a member account's
     * root key, beside the guidance, its deletion through a root session where AWS allows one.
     */
    public void keyLookedUp(Incident incident) {
        if (incident.facts().ownership().deactivatable()) {
            offer(incident, StepKind.DEACTIVATE_KEY);
        } else {
            channel.postManualGuidance(incident);
            if (incident.facts().ownership() == KeyOwnership.ROOT_USER) {
                offer(incident, StepKind.DELETE_ROOT_KEY);
            }
        }
    }

    /**
     * The rest of containment and the rotation, whatever the blast radius says (its message recommends a path), then
     * how to restore access, which links the rotation step.
     */
    public void blastRadiusKnown(Incident incident) {
        offerContainmentAndRotation(incident);
    }

    /**
     * IAM could not be read: containment does not wait for the analysis (it does not depend on what the key can do),
     * and the analysis is offered again.
     */
    public void blastRadiusUnknown(Incident incident) {
        offerContainmentAndRotation(incident);
        offer(incident, StepKind.ANALYSE_PERMISSIONS);
    }

    private void offerContainmentAndRotation(Incident incident) {
        offer(incident, StepKind.REVOKE_SESSIONS);
        offer(incident, StepKind.QUARANTINE);
        offer(incident, StepKind.ROTATE_KEY);
        channel.postRestoreAccess(store.find(incident.id()).orElseThrow()); // with the rotation's message to link
    }

    /** Undo what the keys did: their role sessions, what they created, changed policies, and overwritten objects. */
    public void trailRead(Incident incident) {
        Proposals roles = propose(incident, StepKind.REVOKE_ROLE_SESSIONS);
        post(incident, roles.notes());
        // Role sessions are revoked on this account's roles only for its own IAM users' keys.
        if (incident.facts().ownership() == KeyOwnership.IAM_USER) {
            roles.steps().forEach(step -> offers.offer(incident.id(), step));
        }
        offer(incident, StepKind.CLEAN_UP);
        incident.findings().policyReverts().stream().filter(r -> r.plan() == PolicyRevert.Plan.MANUAL)
                .forEach(revert -> channel.postRevertGuidance(incident, revert));
        offer(incident, StepKind.REVERT_POLICY);
        if (readsObjectWrites) {
            offer(incident, StepKind.RESTORE_OBJECTS);
        } else if (couldWriteObjects(incident)) {
            channel.postInvestigationProblem(incident, "Changes to S3 objects", "the bot reads no CloudTrail data "
                    + "events (CLOUDTRAIL_LOG_BUCKET is not set) and LookupEvents never returns them, so objects the "
                    + "key overwrote or deleted were not checked. Query the trail's S3 data events (Athena, CloudTrail "
                    + "Lake) if the key could write to S3.");
        }
    }

    /** Last in the thread, once the investigation is over or could not run: even a failed one can be closed. */
    public void investigationOver(IncidentId id) {
        offers.offer(id, StepId.of(StepKind.CLOSE_INCIDENT));
    }

    /**
     * A deactivation can be undone; an undone one is offered again at once; a rotated key's old key may go; AWS's
     * quarantine may be lifted once the key is inactive and its sessions revoked, whichever of those (and the
     * quarantine) came last.
     */
    @Override
    public void succeeded(Incident incident, StepId step) {
        switch (step.kind()) {
            case DEACTIVATE_KEY -> {
                offer(incident, StepKind.REACTIVATE_KEY);
                offer(incident, StepKind.DELETE_OLD_KEY);
                offer(incident, StepKind.LIFT_QUARANTINE);
            }
            case REVOKE_SESSIONS, QUARANTINE -> offer(incident, StepKind.LIFT_QUARANTINE);
            case REACTIVATE_KEY -> offer(incident, StepKind.DEACTIVATE_KEY);
            case ROTATE_KEY -> offer(incident, StepKind.DELETE_OLD_KEY);
            default -> LOG.debug("Nothing follows {} in incident {}", step, incident.id());
        }
    }

    private void offer(Incident incident, StepKind kind) {
        Proposals proposals = propose(incident, kind);
        post(incident, proposals.notes());
        proposals.steps().forEach(step -> offers.offer(incident.id(), step));
    }

    private Proposals propose(Incident incident, StepKind kind) {
        return responders.of(incident).step(kind).propose(incident);
    }

    private void post(Incident incident, List<Proposals.Note> notes) {
        notes.forEach(note -> channel.postInvestigationProblem(incident, note.subject(), note.text()));
    }

    /** Unless the key was read-only and minted no role session, it may have written S3 objects. */
    private static boolean couldWriteObjects(Incident incident) {
        BlastRadius radius = incident.findings().blastRadius();
        boolean readOnly = radius != null
                && (radius.level() == BlastRadius.Level.READ_ONLY || radius.level() == BlastRadius.Level.NONE);
        return !readOnly || incident.findings().derivedCredentials().stream().anyMatch(d -> d.roleArn() != null);
    }
}
