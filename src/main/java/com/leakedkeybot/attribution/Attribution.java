package com.leakedkeybot.attribution;

import com.leakedkeybot.investigation.AffectedResource;
import com.leakedkeybot.investigation.CallSource;
import com.leakedkeybot.investigation.EventCategory;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whose calls are whose in an incident: since when the key was exposed (given by the reporter, by automatic intake,
 * or proposed by the bot and confirmed by an approver), and what approvers said of individual sources. Sources first
 * seen before the exposure time are the owner's baseline; sources first seen after it are presumed the attacker's;
 * an approver's mark overrides either.
 *
 * @param exposedSince     when the key was exposed; null while nobody knows
 * @param exposureSetBy    who gave or confirmed it (a chat user id); null with it
 * @param proposedExposure the proposal awaiting an approver's confirmation; null when there is none
 * @param proposedBy       who proposed it: an automatic report's source (its detection time), or null for the bot's
 *                         own estimate from CloudTrail
 * @param marks            approvers' marks by {@link CallSource#id()}
 * @param sourcesMessageTs the thread message showing the sources, redrawn when a mark changes; null until posted
 */
public record Attribution(Instant exposedSince, String exposureSetBy, Instant proposedExposure, String proposedBy,
                          Map<String, SourceMark> marks, String sourcesMessageTs) {

    public static final Attribution NONE = new Attribution(null, null, null, null, Map.of(), null);

    public Attribution {
        marks = marks == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(marks));
    }

    /** Given by the reporter (or intake), or the bot's proposal confirmed by an approver. */
    public Attribution exposed(Instant at, String by) {
        return new Attribution(at, by, proposedExposure, proposedBy, marks, sourcesMessageTs);
    }

    /** The bot's own estimate from CloudTrail. */
    public Attribution proposing(Instant at) {
        return proposing(at, null);
    }

    /**
     * A proposal for an approver to confirm, unless an earlier one already waits: the earlier the exposure time, the
     * more sources count as suspect, so the earlier proposal is the safer one to put before an approver.
     *
     * @param by an automatic report's source, or null for the bot's estimate from CloudTrail
     */
    public Attribution proposing(Instant at, String by) {
        if (proposedExposure != null && !at.isBefore(proposedExposure)) {
            return this;
        }
        return new Attribution(exposedSince, exposureSetBy, at, by, marks, sourcesMessageTs);
    }

    /**
     * What a further report of the key adds: the exposure time it gave when none is set yet, else its proposal (as
     * {@link #proposing}); nothing when the incident already has an exposure time.
     */
    public Attribution joining(Attribution report) {
        if (exposedSince != null) {
            return this;
        }
        if (report.exposedSince() != null) {
            return exposed(report.exposedSince(), report.exposureSetBy());
        }
        return report.proposedExposure() == null ? this
                : proposing(report.proposedExposure(), report.proposedBy());
    }

    public Attribution marked(String sourceId, SourceMark mark) {
        Map<String, SourceMark> next = new LinkedHashMap<>(marks);
        next.put(sourceId, mark);
        return new Attribution(exposedSince, exposureSetBy, proposedExposure, proposedBy, next, sourcesMessageTs);
    }

    public Attribution shownIn(String ts) {
        return new Attribution(exposedSince, exposureSetBy, proposedExposure, proposedBy, marks, ts);
    }

    /** Whether the bot's proposal waits for an approver: there is one, and no exposure time is set. */
    public boolean awaitsConfirmation() {
        return exposedSince == null && proposedExposure != null;
    }

    /** Whose the source's calls are taken to be, with what a person should check first. */
    public Presumption presume(CallSource source, List<CallSource> all) {
        SourceMark mark = marks.get(source.id());
        if (mark != null) {
            return new Presumption(mark.verdict(), Presumption.Reason.MARKED, null);
        }
        if (exposedSince == null) {
            return new Presumption(Verdict.ATTACKER, Presumption.Reason.NO_EXPOSURE_TIME, null);
        }
        Verdict verdict = byTime(source);
        return new Presumption(verdict, verdict == Verdict.OWNER ? Presumption.Reason.BASELINE
                : Presumption.Reason.SUSPECT, ambiguity(source, verdict, all));
    }

    /** Whose the change is, by the source of the event that made it; unknown sources count as the attacker's. */
    public Presumption presume(AffectedResource change, List<CallSource> all) {
        Optional<CallSource> source = change.sourceId() == null ? Optional.empty()
                : all.stream().filter(s -> s.id().equals(change.sourceId())).findFirst();
        if (source.isPresent()) {
            return presume(source.get(), all);
        }
        SourceMark mark = change.sourceId() == null ? null : marks.get(change.sourceId());
        return mark != null ? new Presumption(mark.verdict(), Presumption.Reason.MARKED, null)
                : new Presumption(Verdict.ATTACKER, Presumption.Reason.UNKNOWN_SOURCE, null);
    }

    private Verdict byTime(CallSource source) {
        return source.firstSeen() != null && source.firstSeen().isBefore(exposedSince) ? Verdict.OWNER
                : Verdict.ATTACKER;
    }

    /**
     * Where time alone may mislead: an AWS service acts for whoever called it; an address shared with a source of the
     * other side is told apart by its user agent only; and the owner's own source doing something alarming for the
     * first time after the exposure may be the attacker using the same machine or tool.
     */
    private String ambiguity(CallSource source, Verdict verdict, List<CallSource> all) {
        if (source.awsService() && verdict == Verdict.OWNER && source.lastSeen().isAfter(exposedSince)) {
            return "an AWS service acting for whoever called it, before and after the exposure time: check who "
                    + "started its work after it";
        }
        boolean sharedAddress = source.sourceIp() != null && !source.awsService() && all.stream()
                .anyMatch(other -> !other.id().equals(source.id()) && source.sourceIp().equals(other.sourceIp())
                        && marks.get(other.id()) == null && byTime(other) != verdict);
        if (sharedAddress) {
            return "its address is also a source of the " + (verdict == Verdict.OWNER ? "suspect" : "owner's")
                    + " side: only the user agent tells them apart";
        }
        if (verdict == Verdict.OWNER) {
            return source.categories().entrySet().stream()
                    .filter(c -> c.getKey().alarming() && !c.getValue().isBefore(exposedSince))
                    .map(Map.Entry::getKey).map(EventCategory::label).findFirst()
                    .map(first -> "the owner's source, but its first " + first + " came after the exposure time")
                    .orElse(null);
        }
        return null;
    }
}
