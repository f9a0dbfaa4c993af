package com.leakedkeybot.intake;

import com.leakedkeybot.approval.StepApproval;
import com.leakedkeybot.audit.AuditEntry;
import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.key.KeyReport;
import com.leakedkeybot.runbook.IncidentInvestigation;
import com.leakedkeybot.runbook.IncidentOpening;
import com.leakedkeybot.step.StepId;
import com.leakedkeybot.step.StepKind;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Automatic reports (AWS Health, GuardDuty, GitHub secret scanning) become incidents exactly as a slash-command
 * report does: one thread per key, the key looked up, containment offered, then the investigation. Delivery is at least
 * once, so each report's delivery ids are recorded with the incident, in the same atomic write that opens or joins it;
 * a copy that arrives again, even after a restart, finds them there and opens nothing.
 */
public final class Intake {

    private static final Logger LOG = LoggerFactory.getLogger(Intake.class);
    /** How the audit entry recording a report's delivery ids begins its result; read back to spot copies. */
    private static final String IDS = "delivery ids: ";
    /** The approver of an automatic deactivation, as the step's message and the audit trail show it. */
    static final String POLICY = "policy AUTO_DEACTIVATE=health";

    private final IncidentOpening opening;
    private final IncidentInvestigation investigation;
    private final IntakeChannel channel;
    private final StepApproval approval;
    private final Executor investigations;
    private final boolean deactivateConfirmed;
    private final Clock clock;

    /**
     * @param deactivateConfirmed AUTO_DEACTIVATE=health: deactivate at once the keys AWS itself confirms exposed
     */
    public Intake(IncidentOpening opening, IncidentInvestigation investigation, IntakeChannel channel,
                  StepApproval approval, Executor investigations, boolean deactivateConfirmed, Clock clock) {
        this.opening = opening;
        this.investigation = investigation;
        this.channel = channel;
        this.approval = approval;
        this.investigations = investigations;
        this.deactivateConfirmed = deactivateConfirmed;
        this.clock = clock;
    }

    /** What became of a report. */
    public enum Outcome {
        /** A new incident: recorded, thread posted. */
        OPENED,
        /** The key's open incident now records this report too. */
        JOINED,
        /** A copy of a report the key's open incident already records: nothing new. */
        REPEATED,
        /** Nothing could be recorded (chat or the store failed): the report must be delivered again. */
        NOT_RECORDED;

        /** Whether the delivery may be acknowledged (e.g. the queue message deleted): the report is on record. */
        public boolean recorded() {
            return this != NOT_RECORDED;
        }
    }

    /** Returns once the report is durably recorded, or known not to be: only then may its delivery be acknowledged. */
    public Outcome receive(IntakeEvent event) {
        IntakeSource source = event.source();
        Instant now = clock.instant();
        Incident registered = opening.register(new KeyReport.Accepted(event.keyId(), false, null), source.reporter())
                .audited(new AuditEntry(now, source.reporter(), "reported automatically: "
                        + IntakeDescriptions.of(source), IDS + String.join(" ", event.deliveryIds())));
        // The event's time is when the source detected the key, not when it was exposed: the attacker may have called
        // before it, and sources first seen before an exposure time count as the owner's. So it is only proposed,
        // for an approver to confirm; until then every source counts as the attacker's. Never later than now.
        if (source.eventTime() != null && !source.eventTime().isAfter(now)) {
            registered = registered.withAttribution(registered.attribution().proposing(source.eventTime(),
                    source.reporter())).audited(new AuditEntry(now, source.reporter(), "proposed the exposure time",
                    "exposed since " + source.eventTime() + " (when it detected the key), awaiting an approver"));
        }
        IncidentOpening.Opened opened;
        try {
            opened = opening.open(registered, open -> holds(open, event.deliveryIds()));
        } catch (RuntimeException e) {
            LOG.warn("A report of {} by {} could not be recorded: {}", event.keyId().masked(), source.reporter(),
                    e.getMessage());
            return Outcome.NOT_RECORDED;
        }
        if (opened instanceof IncidentOpening.Opened.Thread thread) {
            LOG.info("Incident {} opened for {} from {}", thread.incident().id(), event.keyId().masked(),
                    source.reporter());
            contain(thread.incident(), source); // first: containment never waits behind Slack's posting pace
            tell(thread.incident(), source, false);
            investigation.startOn(investigations, thread.incident().id());
            return Outcome.OPENED;
        }
        if (opened instanceof IncidentOpening.Opened.Joined joined) {
            contain(joined.existing(), source);
            tell(joined.existing(), source, true);
            return Outcome.JOINED;
        }
        if (opened instanceof IncidentOpening.Opened.Repeated repeated) {
            // The first copy may have been cut short by a restart before containment: finish that, never more.
            if (neverRun(repeated.existing())) {
                contain(repeated.existing(), source);
            }
            return Outcome.REPEATED;
        }
        return Outcome.NOT_RECORDED;
    }

    /** Whether the incident records any of these ids: written by {@link #receive} with the incident, so durable. */
    private static boolean holds(Incident incident, List<String> ids) {
        Set<String> wanted = Set.copyOf(ids);
        return incident.audit().stream().map(AuditEntry::result).filter(r -> r != null && r.startsWith(IDS))
                .flatMap(r -> Arrays.stream(r.substring(IDS.length()).split(" ")))
                .anyMatch(wanted::contains);
    }

    private void tell(Incident incident, IntakeSource source, boolean joined) {
        if (incident.thread() == null) {
            return;
        }
        try {
            channel.postSource(incident, source, joined);
        } catch (RuntimeException e) {
            LOG.warn("Could not post the source of incident {}: {}", incident.id(), e.getMessage());
        }
    }

    /** AUTO_DEACTIVATE=health: only for what AWS itself confirms, through the step an approver would click. */
    private void contain(Incident incident, IntakeSource source) {
        if (!deactivateConfirmed || !source.confirmedByAws()) {
            return;
        }
        String why = "deactivated automatically by policy (AUTO_DEACTIVATE=health): "
                + IntakeDescriptions.of(source);
        if (!approval.approveByPolicy(incident.id(), StepId.of(StepKind.DEACTIVATE_KEY), POLICY, why)) {
            LOG.info("Incident {}: no deactivation to run by policy (not offered, done or running)", incident.id());
        }
    }

    /**
     * Whether the deactivation was never claimed nor ever carried out: a deactivation a person undid is offered
     * afresh, as never claimed, and a copy of the report must not switch the key off again behind their back.
     */
    private static boolean neverRun(Incident incident) {
        return incident.step(StepKind.DEACTIVATE_KEY).map(state -> state.attempt() == 0).orElse(false)
                && incident.audit().stream().noneMatch(entry -> entry.stepSucceeded(StepKind.DEACTIVATE_KEY));
    }
}
