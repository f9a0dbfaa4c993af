package com.leakedkeybot.slack.blocks;

import static com.leakedkeybot.slack.blocks.Blocks.context;
import static com.leakedkeybot.slack.blocks.Blocks.fields;
import static com.leakedkeybot.slack.blocks.Blocks.section;
import static com.leakedkeybot.slack.blocks.Mrkdwn.code;
import static com.leakedkeybot.slack.blocks.Mrkdwn.escape;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.leakedkeybot.intake.IntakeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** How an automatic report is told in its incident's thread: which source, and what it saw. */
public final class IntakeMessages {

    /** A URL that cannot break out of Slack's {@code <url|label>}: anything else is shown as code, not linked. */
    private static final Pattern LINKABLE = Pattern.compile("https://[^\\s<>|&\"`]+");

    public SlackMessage source(IntakeSource source, boolean joined) {
        List<ObjectNode> blocks = new ArrayList<>();
        String lead = joined ? ":satellite: *Reported again, automatically, by " + source.reporter() + "* — this "
                + "report joined the open incident; no new investigation." : ":satellite: *Reported automatically by "
                + source.reporter() + "*";
        blocks.add(section(lead));
        List<String> facts = new ArrayList<>();
        if (source instanceof IntakeSource.AwsHealth health) {
            facts.add("*Event*\n" + code(health.eventTypeCode()));
            facts.add("*Exposed at*\n" + (health.exposedUrl() == null ? "not given" : link(health.exposedUrl())));
        } else if (source instanceof IntakeSource.GuardDuty finding) {
            facts.add("*Finding*\n" + orNotGiven(finding.findingType()));
            facts.add("*API*\n" + orNotGiven(finding.api()));
            facts.add("*Remote IP*\n" + orNotGiven(finding.remoteIp()));
        } else if (source instanceof IntakeSource.GitHubSecretScanning alert) {
            facts.add("*Repository*\n" + code(alert.repository()));
            facts.add("*Alert*\n" + link(alert.alertUrl()));
        }
        facts.add("*Event time*\n" + (source.eventTime() == null ? "not given"
                : Blocks.MINUTES.format(source.eventTime())));
        blocks.add(fields(facts.toArray(String[]::new)));
        if (source.confirmedByAws()) {
            blocks.add(context("AWS itself confirms this key is exposed or compromised: treat it as in an "
                    + "attacker's hands."));
        }
        return IncidentMessages.message("Reported automatically by " + source.reporter(), blocks);
    }

    private static String orNotGiven(String text) {
        return text == null ? "not given" : code(text);
    }

    private static String link(String url) {
        return url != null && LINKABLE.matcher(url).matches() ? "<" + url + "|" + escape(url) + ">" : code(url);
    }
}
