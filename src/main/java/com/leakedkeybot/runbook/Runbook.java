package com.leakedkeybot.runbook;

import com.leakedkeybot.approval.AfterStep;
import com.leakedkeybot.attribution.Attribution;
import com.leakedkeybot.attribution.ExposureEstimate;
import com.leakedkeybot.audit.AuditEntry;
import com.leakedkeybot.blastradius.BlastRadius;
import com.leakedkeybot.incident.Decision;
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
import com.leakedkeybot.step.StepState;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runbook: what the bot offers in an incident thread, and when. Every step button, follow-up and piece of guidance
 * is decided here, from the incident and its findings, at five moments: the key has been looked up, its blast radius
 * is known, CloudTrail has been read, the watch has read more of it, and a step has succeeded. The steps themselves only say which targets their
 * kind has at that moment ({@link RemediationStep#propose}).
 */
public final class Runbook implements AfterStep {

    private static final Logger LOG = LoggerFactory.getLogger(Runbook.class);
    /** The kinds offered only for the attacker's changes: what an attribution change can add or withdraw. */
    private static final List<StepKind> ATTRIBUTED = List.of(StepKind.CLEAN_UP, StepKind.REVERT_POLICY,
            StepKind.RESTORE_OBJECTS);

    private final IncidentStore store;
    private final StepOffers offers;
    private final IncidentChannel channel;
    private final Responders responders;
    private final boolean readsObjectWrites;
    private final Clock clock;

    /** @param readsObjectWrites whether the investigation reads S3 data events (the trail's log files) */
    public Runbook(IncidentStore store, IncidentChannel channel, Responders responders, boolean readsObjectWrites,
                   Clock clock) {
        this.store = store;
        this.offers = new StepOffers(store, channel);
        this.channel = channel;
        this.responders = responders;
        this.readsObjectWrites = readsObjectWrites;
        this.clock = clock;
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

    /**
     * Undo what the attacker did: the keys' role sessions, then what the attacker's sources created, changed policies
     * and overwritten objects. First the sources of the calls, with the exposure time that tells the owner's from
     * the attacker's (the bot's proposal when nobody gave one), so that approvers can correct the attribution.
     */
    public void trailRead(Incident read) {
        Incident incident = showSources(read);
        Proposals roles = propose(incident, StepKind.REVOKE_ROLE_SESSIONS);
        post(incident, roles.notes());
        // Role sessions are revoked on this account's roles only for its own IAM users' keys.
        if (incident.facts().ownership() == KeyOwnership.IAM_USER) {
            roles.steps().forEach(step -> offers.offer(incident.id(), step));
        }
        offer(incident, StepKind.CLEAN_UP);
        incident.findings().policyReverts().stream()
                .filter(r -> r.plan() == PolicyRevert.Plan.MANUAL && incident.presume(r.change()).attacker())
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

    /**
     * Proposes an exposure time from CloudTrail when nobody gave one ({@link ExposureEstimate}), for an approver to
     * confirm, and posts where the calls came from.
     */
    private Incident showSources(Incident incident) {
        if (incident.attribution().exposedSince() == null) {
            Optional<Instant> proposed = ExposureEstimate.propose(incident.findings().sources());
            if (proposed.isPresent()) {
                Instant now = clock.instant();
                // An automatic report's earlier detection time may wait already: the earlier proposal stays.
                incident = store.update(incident.id(), i -> {
                    Attribution proposing = i.attribution().proposing(proposed.get());
                    return proposing.equals(i.attribution()) ? i : i.withAttribution(proposing)
                            .audited(new AuditEntry(now, AuditEntry.BOT, "proposed the exposure time",
                                    "exposed since " + proposed.get() + " (from CloudTrail), awaiting an approver"));
                });
            }
        }
        String ts = channel.postSources(incident);
        return store.update(incident.id(), i -> i.withAttribution(i.attribution().shownIn(ts)));
    }

    /**
     * A source was marked, or the exposure time confirmed: the attacker's changes are no longer the same. Offers
     * still waiting for approval that no longer hold are withdrawn (a step that ran stays in the record), new ones
     * are offered, and the sources message is redrawn.
     */
    public void attributionChanged(Incident changed) {
        // Read again: a simultaneous mark may have come after this one, and the last redraw must show both.
        Incident incident = store.find(changed.id()).orElseThrow();
        channel.showSources(incident);
        for (StepKind kind : ATTRIBUTED) {
            List<StepId> proposed = propose(incident, kind).steps();
            incident.steps().values().stream()
                    .filter(s -> s.kind() == kind && s.status() == StepState.Status.OFFERED)
                    .forEach(s -> {
                        if (!proposed.contains(s.id())) {
                            withdraw(incident.id(), s.id());
                        } else if (kind == StepKind.RESTORE_OBJECTS) {
                            channel.showStep(store.find(incident.id()).orElseThrow(), s.id()); // its objects changed
                        }
                    });
            // A later mark may land meanwhile; its own withdrawal pass may be over before this offer.
            proposed.forEach(step -> offers.offer(incident.id(), step,
                    current -> propose(current, kind).steps().contains(step)));
        }
    }

    private void withdraw(IncidentId id, StepId step) {
        Instant now = clock.instant();
        Decision<StepState> withdrawn = store.decide(id, i -> i.step(step)
                .filter(s -> s.status() == StepState.Status.OFFERED)
                .map(s -> new Decision<>(i.withdrawn(step).audited(new AuditEntry(now, AuditEntry.BOT,
                        "withdrew " + step.label(), "its change is no longer the attacker's", step)), s))
                .orElse(Decision.unchanged(i, null)));
        if (withdrawn.value() != null) {
            channel.showWithdrawn(withdrawn.incident(), withdrawn.value());
        }
    }

    /**
     * The watch found more after the first scan: redraws where the calls came from, and offers what it adds (role
     * sessions to revoke, the attacker's resources to remove), never a step the incident has had before, whatever
     * became of it. Each is checked again on the stored incident as it is offered: an approver may have marked its
     * source the owner's meanwhile, and the withdrawal that follows a mark must not come before this offer.
     */
    public void trailWatched(Incident incident) {
        channel.showSources(incident);
        List<StepKind> kinds = incident.facts().ownership() == KeyOwnership.IAM_USER
                ? List.of(StepKind.REVOKE_ROLE_SESSIONS, StepKind.CLEAN_UP) : List.of(StepKind.CLEAN_UP);
        for (StepKind kind : kinds) {
            propose(incident, kind).steps().stream().filter(step -> incident.step(step).isEmpty())
                    .forEach(step -> offers.offer(incident.id(), step, current -> current.step(step).isEmpty()
                            && propose(current, kind).steps().contains(step)));
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
