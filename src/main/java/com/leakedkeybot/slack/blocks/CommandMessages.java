package com.leakedkeybot.slack.blocks;

import static com.leakedkeybot.slack.blocks.Blocks.context;
import static com.leakedkeybot.slack.blocks.Blocks.header;
import static com.leakedkeybot.slack.blocks.Blocks.section;
import static com.leakedkeybot.slack.blocks.Mrkdwn.code;
import static com.leakedkeybot.slack.blocks.Mrkdwn.escape;
import static com.leakedkeybot.slack.blocks.Mrkdwn.user;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.KeyFacts;
import com.leakedkeybot.step.StepKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** The private answers to {@code /leaked-key help} and {@code /leaked-key list}. */
public final class CommandMessages {

    /** Blocks of incidents in one answer: Slack allows 50 blocks, and the header and a note need two. */
    static final int LISTED = 40;

    public SlackMessage help() {
        return IncidentMessages.message("How to use /leaked-key", List.of(section("*`/leaked-key`* — leaked AWS "
                + "access key incidents\n"
                + "• `/leaked-key AKIA…` — report a leaked key: its 20-character *access key id* only, never the "
                + "secret. The bot opens a thread in the incident channel, looks the key up (in its own AWS "
                + "account or, through the responder role, in a member account) and offers the runbook's steps.\n"
                + "• `/leaked-key list` — the open incidents, with links to their threads (approvers only).\n"
                + "• `/leaked-key timeline LK-yyyyMMdd-XXXXXXXX` — an incident's timeline (approvers and the "
                + "incident's reporter).\n"
                + "• `/leaked-key help` — this text.\n"
                + "Every change to AWS needs an approver's click in the thread; answers to these commands are seen "
                + "only by you.")));
    }

    public String listRefused() {
        return ":no_entry: Only approvers may list the open incidents. Report a key with `/leaked-key AKIA…`, or ask "
                + "an approver.";
    }

    public String listComing() {
        return ":spiral_note_pad: Looking up the open incidents…";
    }

    /** @param links each incident's thread link, when Slack gave one */
    public SlackMessage openIncidents(List<Incident> incidents, Function<Incident, Optional<String>> links) {
        List<ObjectNode> blocks = new ArrayList<>();
        blocks.add(header(":key: Open leaked-key incidents: " + incidents.size()));
        if (incidents.isEmpty()) {
            blocks.add(section("No incident is open."));
        }
        for (Incident incident : incidents.subList(0, Math.min(LISTED, incidents.size()))) {
            blocks.add(section(line(incident, links.apply(incident))));
        }
        if (incidents.size() > LISTED) {
            blocks.add(context((incidents.size() - LISTED) + " older open incidents are not shown."));
        }
        return IncidentMessages.message("Open leaked-key incidents: " + incidents.size(), blocks);
    }

    private static String line(Incident incident, Optional<String> link) {
        String name = link.map(url -> "<" + url + "|" + incident.id() + ">").orElse("*" + incident.id() + "*");
        KeyFacts facts = incident.facts();
        String account = facts == null ? "" : facts.account().map(a -> " · account " + code(a)
                + (facts.accountName() == null ? "" : " (" + escape(facts.accountName()) + ")")).orElse("");
        String owner = facts == null || facts.userName() == null ? "" : " · IAM user " + code(facts.userName());
        String contained = incident.succeeded(StepKind.DEACTIVATE_KEY).isPresent() ? ":white_check_mark: deactivated"
                : ":warning: not deactivated by the bot";
        return name + " — " + code(incident.keyId().value()) + account + owner + "\nreported by "
                + user(incident.reporter()) + " at " + Blocks.MINUTES.format(incident.reportedAt()) + " · " + contained;
    }
}
