package com.leakedkeybot.slack.blocks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.leakedkeybot.audit.AuditEntry;
import com.leakedkeybot.incident.Timeline;
import com.leakedkeybot.step.StepState;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import static com.leakedkeybot.slack.blocks.Blocks.context;
import static com.leakedkeybot.slack.blocks.Blocks.fields;
import static com.leakedkeybot.slack.blocks.Blocks.header;
import static com.leakedkeybot.slack.blocks.Blocks.section;
import static com.leakedkeybot.slack.blocks.Mrkdwn.code;
import static com.leakedkeybot.slack.blocks.Mrkdwn.escape;
import static com.leakedkeybot.slack.blocks.Mrkdwn.user;


/**
 * The timeline of an incident as thread messages: a summary (reported, contained, closed, time to containment, what
 * was left undone), then every entry, oldest first, as many messages as Slack's limits require.
 */
public final class TimelineMessages {

    private static final DateTimeFormatter ENTRY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);
    /** Room under the section limit for the cut marker; lines are never split between sections. */
    private static final int SECTION_BUDGET = Blocks.SECTION_TEXT - 100;

    public List<SlackMessage> timeline(Timeline timeline) {
        List<ObjectNode> summary = new ArrayList<>();
        summary.add(header(":spiral_note_pad: Timeline — " + timeline.incident()));
        summary.add(fields(
                "*Reported*\n" + Blocks.MINUTES.format(timeline.reportedAt()),
                "*Key deactivated*\n" + containment(timeline),
                "*Closed*\n" + (timeline.closedAt() == null ? "still open"
                        : Blocks.MINUTES.format(timeline.closedAt()) + (timeline.closedBy() == null ? ""
                        : " by " + user(timeline.closedBy()))),
                "*First change made with the key(s)*\n" + timeline.firstKeyActivity().map(Blocks.MINUTES::format)
                        .orElse("none found in CloudTrail")));
        if (!timeline.leftOpen().isEmpty()) {
            summary.add(section("*Offered but not carried out:* " + String.join("; ",
                    timeline.leftOpen().stream().map(TimelineMessages::openStep).toList())));
        }
        summary.add(context("Times in UTC. :warning: = a call made with the leaked key or a credential minted from "
                + "it (CloudTrail); the owner's legitimate calls appear too. Everything else is the incident's audit "
                + "trail."));
        List<ObjectNode> entries = sections(timeline.entries().stream().map(TimelineMessages::entryLine).toList());
        List<SlackMessage> messages = new ArrayList<>();
        String title = "Timeline of incident " + timeline.incident();
        List<ObjectNode> current = summary;
        for (ObjectNode entry : entries) {
            if (current.size() == Blocks.MAX_BLOCKS) {
                messages.add(IncidentMessages.message(title, current));
                current = new ArrayList<>();
            }
            current.add(entry);
        }
        messages.add(IncidentMessages.message(title, current));
        return messages;
    }

    private static String containment(Timeline timeline) {
        return timeline.containedAt().map(at -> Blocks.MINUTES.format(at) + "\n" + duration(timeline.timeToContainment()
                .orElseThrow()) + " after the report").orElse("not by the bot");
    }

    /** "1 h 05 min", "12 min", "40 s": the precision a review needs. */
    static String duration(Duration duration) {
        if (duration.isNegative()) {
            return "0 s";
        }
        if (duration.toHours() > 0) {
            return duration.toHours() + " h " + String.format("%02d", duration.toMinutesPart()) + " min";
        }
        return duration.toMinutes() > 0 ? duration.toMinutes() + " min" : duration.toSeconds() + " s";
    }

    private static String openStep(StepState step) {
        return escape(StepMessages.stepName(step.id())) + (step.status() == StepState.Status.FAILED ? " (failed)" : "");
    }

    private static String entryLine(Timeline.Entry entry) {
        String at = entry.at() == null ? "time unknown" : ENTRY_TIME.format(entry.at());
        if (entry.source() == Timeline.Source.KEY_ACTIVITY) {
            return "`" + at + "` :warning: " + code(entry.actor()) + " *" + escape(entry.what()) + "* — "
                    + escape(entry.result());
        }
        String who = AuditEntry.BOT.equals(entry.actor()) ? "bot" : user(entry.actor());
        return "`" + at + "` " + who + " " + escape(entry.what()) + " — " + escape(entry.result());
    }

    /** Lines packed into as few sections as the text limit allows; a line too long for one section is cut. */
    private static List<ObjectNode> sections(List<String> lines) {
        List<ObjectNode> sections = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            String fitted = Blocks.cut(line, SECTION_BUDGET);
            if (!text.isEmpty() && text.length() + 1 + fitted.length() > SECTION_BUDGET) {
                sections.add(section(text.toString()));
                text.setLength(0);
            }
            text.append(text.isEmpty() ? "" : "\n").append(fitted);
        }
        if (!text.isEmpty()) {
            sections.add(section(text.toString()));
        }
        return sections;
    }
}
