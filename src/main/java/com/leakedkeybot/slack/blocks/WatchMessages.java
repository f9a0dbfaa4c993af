package com.leakedkeybot.slack.blocks;

import static com.leakedkeybot.slack.blocks.Blocks.context;
import static com.leakedkeybot.slack.blocks.Blocks.fields;
import static com.leakedkeybot.slack.blocks.Blocks.section;
import static com.leakedkeybot.slack.blocks.Mrkdwn.code;
import static com.leakedkeybot.slack.blocks.Mrkdwn.escape;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.leakedkeybot.incident.ContainmentCheck;
import com.leakedkeybot.investigation.CategorySummary;
import com.leakedkeybot.investigation.EventCategory;
import com.leakedkeybot.investigation.InvestigationReport;
import com.leakedkeybot.investigation.NotableEvent;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** What the watch of CloudTrail after the first scan tells the thread: new activity, and the containment verdict. */
public final class WatchMessages {

    /** Calls after containment are seconds apart: a review needs the second. */
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final int EVENTS_PER_CATEGORY = 3;

    /** The events the watch found that no earlier read reported, by category, with the most significant named. */
    public SlackMessage activity(InvestigationReport report) {
        List<ObjectNode> blocks = new ArrayList<>();
        blocks.add(section(":eyes: *CloudTrail watch: " + String.format("%,d", report.totalEvents())
                + " new event(s)* of the leaked key and the keys it minted, between "
                + Blocks.MINUTES.format(report.from()) + " and " + Blocks.MINUTES.format(report.to()) + "."));
        List<String> counts = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (CategorySummary category : report.categories()) {
            counts.add(InvestigationMessages.countField(category));
            // Denied attempts repeat events of the other categories: named there.
            if (InvestigationMessages.worthAReply(category) && category.category() != EventCategory.DENIED) {
                for (NotableEvent event : category.notable().subList(0,
                        Math.min(EVENTS_PER_CATEGORY, category.notable().size()))) {
                    lines.add("• " + escape(event.summary()) + " (" + Blocks.MINUTES.format(event.firstSeen()) + ")");
                }
            }
        }
        for (int i = 0; i < counts.size(); i += Blocks.FIELDS) {
            blocks.add(fields(counts.subList(i, Math.min(counts.size(), i + Blocks.FIELDS)).toArray(String[]::new)));
        }
        for (int i = 0; i < lines.size(); i += 5) {
            blocks.add(section(String.join("\n", lines.subList(i, Math.min(lines.size(), i + 5)))));
        }
        blocks.add(context("The bot reads CloudTrail again every few minutes until the incident is closed. Each read "
                + "overlaps the last by CloudTrail's delivery delay; events already reported are not counted again."));
        return IncidentMessages.message("CloudTrail watch: " + report.totalEvents() + " new event(s)", blocks);
    }

    /** The verdict {@link ContainmentCheck#announced()}: verified, or which calls still succeeded. */
    public SlackMessage containment(ContainmentCheck check) {
        List<ObjectNode> blocks = new ArrayList<>();
        String since = SECONDS.format(check.containedAt());
        String text;
        if (check.announced() == ContainmentCheck.Verdict.NOT_VERIFIED) {
            text = "Containment NOT verified";
            blocks.add(section(":rotating_light: *Containment NOT verified*: " + String.format("%,d", check.succeeded())
                    + " call(s) by the leaked key or a key it minted still succeeded after " + since + ":"));
            blocks.add(section(calls(check.stillSucceeded(), check.succeeded())));
            blocks.add(context("Keys minted before containment work until they expire or their sessions are "
                    + "revoked (Revoke sessions, Revoke role sessions); a key the attacker created needs its own "
                    + "clean-up."));
        } else {
            text = "Containment verified";
            blocks.add(section(":white_check_mark: *Containment verified*: no call by the leaked key or a key it "
                    + "minted succeeded after " + since + " (CloudTrail read far enough past it for late events to have "
                    + "arrived)."));
        }
        if (check.denied() > 0) {
            blocks.add(section("*" + String.format("%,d", check.denied()) + " denied attempt(s)* since then:\n"
                    + calls(check.deniedCalls(), check.denied())));
        } else {
            blocks.add(context("No denied attempts since then."));
        }
        return IncidentMessages.message(text, blocks);
    }

    private static String calls(List<ContainmentCheck.Call> sample, long total) {
        List<String> lines = new ArrayList<>();
        for (ContainmentCheck.Call call : sample) {
            lines.add("• " + code(call.eventName()) + " by " + code(call.accessKeyId()) + " in "
                    + code(call.region()) + " from " + code(call.sourceIp()) + " at "
                    + (call.at() == null ? "an unknown time" : SECONDS.format(call.at()))
                    + (call.errorCode() == null ? "" : " — " + code(call.errorCode()))
                    + " (event " + code(call.eventId()) + ")");
        }
        if (total > sample.size()) {
            lines.add("…and " + String.format("%,d", total - sample.size()) + " more.");
        }
        return String.join("\n", lines);
    }
}
