package com.leakedkeybot.runbook;

import com.leakedkeybot.approval.Approvers;
import com.leakedkeybot.attribution.SourceMark;
import com.leakedkeybot.attribution.Verdict;
import com.leakedkeybot.audit.AuditEntry;
import com.leakedkeybot.incident.AttributionRefusal;
import com.leakedkeybot.incident.Decision;
import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.IncidentChannel;
import com.leakedkeybot.incident.IncidentId;
import com.leakedkeybot.incident.IncidentStore;
import com.leakedkeybot.investigation.CallSource;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * An approver's word on whose calls are whose: a source marked the attacker's or the owner's, or the bot's exposure
 * time confirmed. Only approvers; every click is in the audit trail, with who and when, whatever came of it; then
 * the runbook regenerates the proposals.
 */
public final class SourceMarking {

    private final IncidentStore store;
    private final IncidentChannel channel;
    private final Approvers approvers;
    private final Runbook runbook;
    private final Clock clock;

    public SourceMarking(IncidentStore store, IncidentChannel channel, Approvers approvers, Runbook runbook,
                         Clock clock) {
        this.store = store;
        this.channel = channel;
        this.approvers = approvers;
        this.runbook = runbook;
        this.clock = clock;
    }

    /** @return false when there is no such incident */
    public boolean mark(IncidentId id, String sourceId, Verdict verdict, String user) {
        String asked = "asked to mark source " + sourceId + " as the " + word(verdict) + "'s";
        return decide(id, user, asked, (incident, now) -> {
            Optional<CallSource> source = incident.findings().source(sourceId);
            if (source.isEmpty()) {
                return AttributionRefusal.UNKNOWN_SOURCE;
            }
            return incident.withAttribution(incident.attribution().marked(sourceId, new SourceMark(verdict, user, now)))
                    .audited(new AuditEntry(now, user, "marked source " + describe(source.get()) + " as the "
                            + word(verdict) + "'s", "proposals regenerated"));
        });
    }

    /** @return false when there is no such incident */
    public boolean confirmExposure(IncidentId id, String user) {
        return decide(id, user, "asked to confirm the exposure time", (incident, now) -> {
            if (!incident.attribution().awaitsConfirmation()) {
                return AttributionRefusal.NOTHING_TO_CONFIRM;
            }
            Instant proposed = incident.attribution().proposedExposure();
            return incident.withAttribution(incident.attribution().exposed(proposed, user))
                    .audited(new AuditEntry(now, user, "confirmed the exposure time",
                            "exposed since " + proposed + "; proposals regenerated"));
        });
    }

    /**
     * @param change the incident as the click leaves it, or why it changes nothing; decided on the stored incident,
     *               afresh each time the store applies it
     */
    private boolean decide(IncidentId id, String user, String asked,
                           BiFunction<Incident, Instant, Object> change) {
        if (store.find(id).isEmpty()) {
            return false;
        }
        Instant now = clock.instant();
        Decision<AttributionRefusal> decided = store.decide(id, incident -> {
            Object result = incident.isClosed() ? AttributionRefusal.INCIDENT_CLOSED
                    : !approvers.mayApprove(user) ? AttributionRefusal.NOT_AN_APPROVER : change.apply(incident, now);
            if (result instanceof AttributionRefusal refusal) {
                return new Decision<>(incident.audited(new AuditEntry(now, user, asked, "refused: "
                        + refusal.name().toLowerCase(Locale.ROOT).replace('_', ' '))), refusal);
            }
            return new Decision<>((Incident) result, null);
        });
        if (decided.value() != null) {
            channel.refuseAttribution(decided.incident(), user, decided.value());
        } else {
            runbook.attributionChanged(decided.incident());
        }
        return true;
    }

    private static String word(Verdict verdict) {
        return verdict == Verdict.ATTACKER ? "attacker" : "owner";
    }

    private static String describe(CallSource source) {
        return source.id() + " (" + source.sourceIp() + ", " + source.userAgent() + ")";
    }
}
