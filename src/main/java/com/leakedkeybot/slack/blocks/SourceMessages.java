package com.leakedkeybot.slack.blocks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.leakedkeybot.attribution.Attribution;
import com.leakedkeybot.attribution.Presumption;
import com.leakedkeybot.attribution.SourceMark;
import com.leakedkeybot.attribution.Verdict;
import com.leakedkeybot.incident.AttributionRefusal;
import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.investigation.AffectedResource;
import com.leakedkeybot.investigation.CallSource;
import com.leakedkeybot.investigation.EventCategory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import static com.leakedkeybot.slack.blocks.Blocks.actions;
import static com.leakedkeybot.slack.blocks.Blocks.button;
import static com.leakedkeybot.slack.blocks.Blocks.context;
import static com.leakedkeybot.slack.blocks.Blocks.section;
import static com.leakedkeybot.slack.blocks.Mrkdwn.code;
import static com.leakedkeybot.slack.blocks.Mrkdwn.escape;
import static com.leakedkeybot.slack.blocks.Mrkdwn.user;

/**
 * Where the keys' calls came from, in the thread: the exposure time (or the bot's proposal, with a button to confirm
 * it), one row per source with its verdict and two buttons to mark it, and the changes not proposed because they look
 * like the owner's. Two blocks per source: at most {@value #SHOWN} sources stay well within Slack's 50 blocks.
 */
public final class SourceMessages {

    static final int SHOWN = 15;
    private static final int USER_AGENT_SHOWN = 200;
    private static final int OWNER_CHANGES_LISTED = 5;

    public SlackMessage sources(Incident incident) {
        Attribution attribution = incident.attribution();
        List<CallSource> all = incident.findings().sources();
        List<ObjectNode> blocks = new ArrayList<>();
        blocks.add(section("*Where the calls came from* — " + all.size() + " source(s) (address and user agent) "
                + "of the leaked key and every key it minted. Clean-up, policy reverts and object restores are "
                + "proposed only for changes from sources marked or presumed the attacker's. Approvers can mark a "
                + "source; the proposals follow."));
        blocks.add(section(exposureLine(attribution)));
        if (attribution.awaitsConfirmation()) {
            blocks.add(actions("attribution-exposure", button("Confirm exposure time", SourceButtons.confirmActionId(),
                    incident.id().value(), "primary", null)));
        }
        List<CallSource> shown = all.stream()
                .sorted(Comparator.comparing((CallSource s) -> !attribution.presume(s, all).attacker())
                        .thenComparing(CallSource::firstSeen).thenComparing(CallSource::id))
                .limit(SHOWN).toList();
        for (CallSource source : shown) {
            blocks.add(section(row(source, attribution.presume(source, all), attribution.marks().get(source.id()))));
            blocks.add(actions("source-" + source.id(),
                    button("Attacker's", SourceButtons.markActionId(Verdict.ATTACKER, source.id()),
                            incident.id().value() + " " + source.id(), "danger", null),
                    button("Owner's", SourceButtons.markActionId(Verdict.OWNER, source.id()),
                            incident.id().value() + " " + source.id(), null, null)));
        }
        if (all.size() > shown.size()) {
            List<CallSource> rest = all.stream().filter(s -> !shown.contains(s)).toList();
            blocks.add(context((all.size() - shown.size()) + " more source(s) not shown ("
                    + rest.stream().mapToLong(CallSource::calls).sum() + " calls), each judged by the same rule."));
        }
        List<AffectedResource> owners = incident.findings().affectedResources().stream()
                .filter(r -> !incident.presume(r).attacker()).toList();
        if (!owners.isEmpty()) {
            blocks.add(section("*Probably the owner's, not proposed (" + owners.size() + "):* "
                    + owners.stream().limit(OWNER_CHANGES_LISTED).map(r -> escape(r.describe()))
                    .collect(Collectors.joining("; "))
                    + (owners.size() > OWNER_CHANGES_LISTED ? "; and " + (owners.size() - OWNER_CHANGES_LISTED)
                    + " more" : "") + "."));
        }
        return IncidentMessages.message("Where the calls came from: " + all.size() + " source(s)", blocks);
    }

    public String refusal(AttributionRefusal refusal) {
        return switch (refusal) {
            case NOT_AN_APPROVER -> ":no_entry: Only configured approvers can say whose calls are whose. Nothing was "
                    + "changed; ask an approver in this thread.";
            case INCIDENT_CLOSED -> ":lock: This incident is closed: its sources can no longer be marked. Nothing was "
                    + "changed.";
            case UNKNOWN_SOURCE -> ":grey_question: The investigation holds no such source. Nothing was changed.";
            case NOTHING_TO_CONFIRM -> ":white_check_mark: The exposure time is already set (or the bot proposed "
                    + "none). Nothing was changed.";
        };
    }

    private static String exposureLine(Attribution attribution) {
        if (attribution.exposedSince() != null) {
            return ":clock3: *Exposure time:* " + Blocks.MINUTES.format(attribution.exposedSince()) + ", set by "
                    + user(attribution.exposureSetBy()) + ". Sources first seen before it are the owner's baseline; "
                    + "sources first seen after it are presumed the attacker's.";
        }
        if (attribution.awaitsConfirmation()) {
            return ":grey_question: *Proposed exposure time:* " + Blocks.MINUTES.format(attribution.proposedExposure())
                    + (attribution.proposedBy() == null ? " — the first call from a new address with a new tool "
                    + "(sources seen within a day of the key's first call, or using their tools, count as its "
                    + "long-standing baseline)." : " — when " + escape(attribution.proposedBy()) + " saw the key "
                    + "exposed: the key may have been used before that, so check the sources first seen just before "
                    + "it.") + " Until an approver confirms it, every source counts as the attacker's.";
        }
        return ":grey_question: *No exposure time.* Nobody gave one, and CloudTrail shows no new source to propose "
                + "one from (a single source, or none new): every source counts as the attacker's. Mark the owner's "
                + "sources below where you know them.";
    }

    private static String row(CallSource source, Presumption presumption, SourceMark mark) {
        StringBuilder row = new StringBuilder(presumption.attacker() ? ":red_circle: " : ":large_green_circle: ")
                .append(verdictLine(presumption, mark)).append('\n')
                .append(code(source.sourceIp() == null ? "no address" : source.sourceIp()));
        if (source.network() != null) {
            row.append(" (").append(escape(source.network())).append(')');
        }
        row.append(" · ").append(code(Blocks.cut(source.userAgent() == null ? "no user agent" : source.userAgent(),
                USER_AGENT_SHOWN))).append('\n')
                .append(source.calls()).append(" call(s), first ").append(Blocks.MINUTES.format(source.firstSeen()))
                .append(", last ").append(Blocks.MINUTES.format(source.lastSeen())).append(" · ")
                .append(source.categories().keySet().stream().map(EventCategory::label)
                        .map(Mrkdwn::escape).collect(Collectors.joining(", ")))
                .append(" · key(s) ").append(source.accessKeys().stream().map(Mrkdwn::code)
                        .collect(Collectors.joining(", ")));
        if (presumption.ambiguity() != null) {
            row.append("\n:warning: *Ambiguous:* ").append(escape(presumption.ambiguity())).append('.');
        }
        return row.toString();
    }

    private static String verdictLine(Presumption presumption, SourceMark mark) {
        return switch (presumption.reason()) {
            case MARKED -> "*Marked the " + (mark.verdict() == Verdict.ATTACKER ? "attacker" : "owner") + "'s* by "
                    + user(mark.by()) + " at " + Blocks.MINUTES.format(mark.at());
            case BASELINE -> "*Owner's baseline*: first seen before the exposure time";
            case SUSPECT -> "*Suspect*: first seen after the exposure time, presumed the attacker's";
            case NO_EXPOSURE_TIME, UNKNOWN_SOURCE -> "*Presumed the attacker's*: no exposure time to compare with";
        };
    }
}
