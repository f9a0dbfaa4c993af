package com.leakedkeybot.slack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.IncidentId;
import com.leakedkeybot.key.KeyReport;
import com.leakedkeybot.runbook.IncidentInvestigation;
import com.leakedkeybot.runbook.IncidentOpening;
import com.leakedkeybot.runbook.IncidentTimelines;
import com.leakedkeybot.runbook.OpenIncidents;
import com.leakedkeybot.runbook.ReportLimit;
import com.leakedkeybot.slack.blocks.CommandMessages;
import com.leakedkeybot.slack.blocks.IncidentMessages;
import com.leakedkeybot.slack.blocks.SlackMessage;
import com.leakedkeybot.slack.blocks.TimelineMessages;
import com.slack.api.app_backend.slash_commands.payload.SlashCommandPayload;
import com.slack.api.bolt.context.builtin.SlashCommandContext;
import com.slack.api.bolt.handler.builtin.SlashCommandHandler;
import com.slack.api.bolt.request.builtin.SlashCommandRequest;
import com.slack.api.bolt.response.Response;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /leaked-key AKIA…}: judges the text, registers the incident and acknowledges at once with its name; the
 * thread, AWS lookups, buttons and then the investigation follow on the executor, after Slack has its answer.
 * {@code /leaked-key timeline LK-…} and {@code /leaked-key list} answer privately, through the command's response
 * URL, with an incident's timeline and the open incidents; {@code /leaked-key help} at once.
 */
public final class LeakedKeyCommand implements SlashCommandHandler {

    public static final String COMMAND = "/leaked-key";
    private static final Logger LOG = LoggerFactory.getLogger(LeakedKeyCommand.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TIMELINE = "timeline";
    private static final String LIST = "list";
    private static final String HELP = "help";
    /** Slack accepts this many answers per response URL. */
    private static final int RESPONSES = 5;

    private final IncidentOpening opening;
    private final IncidentInvestigation investigation;
    private final IncidentMessages messages;
    private final IncidentTimelines timelines;
    private final OpenIncidents openIncidents;
    private final CommandMessages commandMessages = new CommandMessages();
    private final ReportLimit limit;
    private final SlackIncidentChannel channel;
    private final TimelineMessages timelineMessages = new TimelineMessages();
    private final Executor work;
    private final Executor investigations;
    /** The request thread writes no log line per report: refusals are counted, openings logged by the worker. */
    private final RefusalLog refusals = new RefusalLog(LOG, Duration.ofSeconds(10), Clock.systemUTC());

    /**
     * @param work           opens incidents (short: chat and a few AWS lookups)
     * @param investigations runs the investigation that follows (long: every region's CloudTrail)
     */
    public LeakedKeyCommand(IncidentOpening opening, IncidentInvestigation investigation, IncidentMessages messages,
                            IncidentTimelines timelines, OpenIncidents openIncidents, ReportLimit limit,
                            SlackIncidentChannel channel, Executor work, Executor investigations) {
        this.opening = opening;
        this.investigation = investigation;
        this.messages = messages;
        this.timelines = timelines;
        this.openIncidents = openIncidents;
        this.limit = limit;
        this.channel = channel;
        this.work = work;
        this.investigations = investigations;
    }

    @Override
    public Response apply(SlashCommandRequest request, SlashCommandContext context) {
        SlashCommandPayload payload = request.getPayload();
        String text = payload.getText() == null ? "" : payload.getText().strip();
        if (text.toLowerCase(Locale.ROOT).startsWith(TIMELINE)) {
            return timeline(text.substring(TIMELINE.length()).strip(), payload.getUserId(), context);
        }
        if (text.equalsIgnoreCase(LIST)) {
            return list(payload.getUserId(), context);
        }
        if (text.equalsIgnoreCase(HELP)) {
            return ephemeral(commandMessages.help());
        }
        KeyReport report = KeyReport.of(payload.getText());
        if (report instanceof KeyReport.Rejected rejected) {
            refusals.refused(rejected.reason().name().toLowerCase(Locale.ROOT).replace('_', ' ')
                    + (rejected.secretPasted() ? ", the text held a secret-shaped value, dropped" : ""),
                    payload.getUserId());
            return ephemeral(messages.rejected(rejected));
        }
        if (!limit.allow(payload.getUserId())) {
            refusals.refused("too many reports in a row", payload.getUserId());
            return ephemeral(messages.tooManyReports(limit.untilNext(payload.getUserId())));
        }
        Incident incident = opening.register((KeyReport.Accepted) report, payload.getUserId());
        try {
            work.execute(() -> open(incident, context));
        } catch (RejectedExecutionException busy) {
            refusals.refused("busy: too many incidents waiting to open", payload.getUserId());
            return ephemeral(messages.busy());
        }
        return ephemeral(messages.acknowledged(incident));
    }

    /** After the acknowledgement: the thread, or the open incident the key already has, then the investigation. */
    private void open(Incident incident, SlashCommandContext context) {
        LOG.info("Incident {} registered for {} by {}", incident.id(), incident.keyId().masked(), incident.reporter());
        IncidentOpening.Opened opened = opening.open(incident);
        if (opened instanceof IncidentOpening.Opened.Thread) {
            investigation.startOn(investigations, incident.id());
        } else if (opened instanceof IncidentOpening.Opened.Joined joined) {
            tellReporter(context, incident, messages.joinedOpenIncident(joined.existing(), incident,
                    Optional.ofNullable(joined.existing().thread()).flatMap(channel::linkTo)));
        } else if (opened instanceof IncidentOpening.Opened.Failed failed) {
            tellReporter(context, incident, messages.threadUnavailable(incident, failed.problem()));
        }
    }

    /** After the acknowledgement, the reporter hears through the command's response URL. */
    private static void tellReporter(SlashCommandContext context, Incident incident, String mrkdwn) {
        try {
            context.respond(r -> r.responseType("ephemeral").text(mrkdwn));
        } catch (Exception e) {
            LOG.warn("Could not tell the reporter of {} how their report went: {}", incident.id(), e.toString());
        }
    }

    /** The store may be DynamoDB: it is read after the acknowledgement, and the answer goes to the response URL. */
    private Response timeline(String incidentId, String user, SlashCommandContext context) {
        if (!IncidentId.isValid(incidentId)) {
            return ephemeral(messages.timelineUsage());
        }
        Runnable answerPrivately = () -> {
            List<SlackMessage> answer = timelines.readableBy(new IncidentId(incidentId), user)
                    .map(timelineMessages::timeline)
                    .orElseGet(() -> List.of(messages.timelineUnavailable(incidentId)));
            for (SlackMessage message : answer.subList(0, Math.min(RESPONSES, answer.size()))) {
                if (!answerLater(context, message, "a timeline request for " + incidentId)) {
                    return;
                }
            }
        };
        try {
            work.execute(answerPrivately);
        } catch (RejectedExecutionException busy) {
            return ephemeral(messages.busy());
        }
        return ephemeral(messages.timelineComing(incidentId));
    }

    /** Refused at once for non-approvers; otherwise the store (maybe a DynamoDB Scan) is read after the acknowledgement. */
    private Response list(String user, SlashCommandContext context) {
        if (!openIncidents.mayList(user)) {
            LOG.info("Refused to list open incidents to {}: not an approver", user);
            return ephemeral(commandMessages.listRefused());
        }
        try {
            work.execute(() -> {
                SlackMessage answer = openIncidents.listFor(user).map(incidents -> commandMessages.openIncidents(
                        incidents, incident -> Optional.ofNullable(incident.thread()).flatMap(channel::linkTo)))
                        .orElseThrow();
                answerLater(context, answer, "a request for the open incidents");
            });
        } catch (RejectedExecutionException busy) {
            return ephemeral(messages.busy());
        }
        return ephemeral(commandMessages.listComing());
    }

    /** Privately, through the command's response URL; false when Slack would not take it. */
    private static boolean answerLater(SlashCommandContext context, SlackMessage message, String what) {
        try {
            context.getSlack().send(context.getResponseUrl(), ephemeralBody(message));
            return true;
        } catch (Exception e) {
            LOG.warn("Could not answer {}: {}", what, e.toString());
            return false;
        }
    }

    private static Response ephemeral(String mrkdwn) {
        return Response.json(200, JSON.createObjectNode().put("response_type", "ephemeral").put("text", mrkdwn)
                .toString());
    }

    private static Response ephemeral(SlackMessage message) {
        return Response.json(200, ephemeralBody(message));
    }

    private static String ephemeralBody(SlackMessage message) {
        ObjectNode body = JSON.createObjectNode().put("response_type", "ephemeral").put("text", message.text());
        body.set("blocks", message.blocks());
        return body.toString();
    }
}
