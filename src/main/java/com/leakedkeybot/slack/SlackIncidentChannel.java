package com.leakedkeybot.slack;

import com.leakedkeybot.blastradius.BlastRadius;
import com.leakedkeybot.incident.AttributionRefusal;
import com.leakedkeybot.incident.ContainmentCheck;
import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.IncidentChannel;
import com.leakedkeybot.incident.PolicyRevert;
import com.leakedkeybot.incident.ScanProgress;
import com.leakedkeybot.incident.ThreadRef;
import com.leakedkeybot.incident.Timeline;
import com.leakedkeybot.intake.IntakeChannel;
import com.leakedkeybot.intake.IntakeSource;
import com.leakedkeybot.investigation.CategorySummary;
import com.leakedkeybot.investigation.InvestigationReport;
import com.leakedkeybot.investigation.NotableEvent;
import com.leakedkeybot.slack.blocks.IncidentMessages;
import com.leakedkeybot.slack.blocks.IntakeMessages;
import com.leakedkeybot.slack.blocks.InvestigationMessages;
import com.leakedkeybot.slack.blocks.SlackMessage;
import com.leakedkeybot.slack.blocks.SourceMessages;
import com.leakedkeybot.slack.blocks.StepMessages;
import com.leakedkeybot.slack.blocks.TimelineMessages;
import com.leakedkeybot.slack.blocks.WatchMessages;
import com.leakedkeybot.step.Refusal;
import com.leakedkeybot.step.StepId;
import com.leakedkeybot.step.StepKind;
import com.leakedkeybot.step.StepState;
import com.slack.api.app_backend.interactive_components.payload.BlockActionPayload;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The incident thread in Slack: chat.postMessage, chat.update and chat.postEphemeral, with 429s honoured. */
public final class SlackIncidentChannel implements IncidentChannel, IntakeChannel {

    private static final Logger LOG = LoggerFactory.getLogger(SlackIncidentChannel.class);
    private final StepMessages steps = new StepMessages();
    private final TimelineMessages timelines = new TimelineMessages();
    private final SourceMessages sources = new SourceMessages();
    private final WatchMessages watch = new WatchMessages();
    private final IntakeMessages intake = new IntakeMessages();

    private final MethodsClient slack;
    private final IncidentMessages messages;
    private final String incidentChannel;
    private final InvestigationMessages findings;
    private final RateLimitRetry retry;
    private final ChannelPacer pacer;

    /** @param incidentChannel where incidents open, whatever channel they were reported in */
    public SlackIncidentChannel(MethodsClient slack, IncidentMessages messages, InvestigationMessages findings,
                                String incidentChannel, RateLimitRetry retry, ChannelPacer pacer) {
        this.slack = slack;
        this.messages = messages;
        this.findings = findings;
        this.incidentChannel = incidentChannel;
        this.retry = retry;
        this.pacer = pacer;
    }

    @Override
    public ThreadRef openThread(Incident incident) {
        String channel = incidentChannel;
        SlackMessage root = messages.incidentRoot(incident);
        pace(channel);
        var response = call(() -> slack.chatPostMessage(r -> r.channel(channel).text(root.text())
                .blocksAsString(root.blocksJson()).unfurlLinks(false).unfurlMedia(false)));
        return new ThreadRef(response.getChannel(), response.getTs());
    }

    @Override
    public void postKeyFacts(Incident incident) {
        reply(incident, messages.keyFacts(incident));
    }

    @Override
    public void postSource(Incident incident, IntakeSource source, boolean joined) {
        reply(incident, intake.source(source, joined));
    }

    @Override
    public String postStep(Incident incident, StepId step) {
        return reply(incident, steps.step(incident, step));
    }

    @Override
    public void postManualGuidance(Incident incident) {
        reply(incident, messages.manualGuidance(incident));
    }

    @Override
    public void postRevertGuidance(Incident incident, PolicyRevert revert) {
        reply(incident, steps.revertGuidance(revert));
    }

    @Override
    public void showStep(Incident incident, StepId step) {
        String ts = incident.step(step).orElseThrow().messageTs();
        if (ts == null) {
            return; // clicked before its own post returned; the next redraw (the outcome) will find the timestamp
        }
        update(incident, ts, steps.step(incident, step));
    }

    private void update(Incident incident, String ts, SlackMessage message) {
        call(() -> slack.chatUpdate(r -> r.channel(incident.thread().channel()).ts(ts).text(message.text())
                .blocksAsString(message.blocksJson())));
    }

    @Override
    public void postRestoreAccess(Incident incident) {
        String link = incident.step(StepKind.ROTATE_KEY).map(StepState::messageTs).filter(Objects::nonNull)
                .map(ts -> permalink(incident.thread().channel(), ts)).orElse(null);
        reply(incident, messages.restoreAccess(incident, link));
    }

    /** A link to the incident's thread; empty when Slack does not give one. */
    public Optional<String> linkTo(ThreadRef thread) {
        return Optional.ofNullable(permalink(thread.channel(), thread.rootTs()));
    }

    /** A link is a convenience: without one the guidance names the step instead. */
    private String permalink(String channel, String ts) {
        try {
            return call(() -> slack.chatGetPermalink(r -> r.channel(channel).messageTs(ts))).getPermalink();
        } catch (RuntimeException e) {
            LOG.info("No permalink for message {} in {}: {}", ts, channel, e.getMessage());
            return null;
        }
    }

    @Override
    public void postTimeline(Incident incident, Timeline timeline) {
        timelines.timeline(timeline).forEach(message -> reply(incident, message));
    }

    @Override
    public void postBlastRadius(Incident incident, BlastRadius radius) {
        reply(incident, findings.blastRadius(radius, incident.facts().userName()));
    }

    @Override
    public String postScanProgress(Incident incident, ScanProgress progress) {
        return reply(incident, findings.progress(progress));
    }

    @Override
    public void updateScanProgress(Incident incident, String messageTs, ScanProgress progress) {
        update(incident, messageTs, findings.progress(progress));
    }

    @Override
    public void postInvestigation(Incident incident, InvestigationReport report) {
        reply(incident, findings.summary(report));
        for (CategorySummary category : report.categories()) {
            if (InvestigationMessages.worthAReply(category)) {
                reply(incident, findings.category(category));
            }
        }
    }

    @Override
    public void postWatchedActivity(Incident incident, InvestigationReport report) {
        reply(incident, watch.activity(report));
    }

    @Override
    public void postContainmentCheck(Incident incident, ContainmentCheck check) {
        reply(incident, watch.containment(check));
    }

    @Override
    public void postAlarmingFinding(Incident incident, NotableEvent finding) {
        reply(incident, findings.alarming(finding));
    }

    @Override
    public void postInvestigationProblem(Incident incident, String what, String reason) {
        reply(incident, findings.problem(what, reason));
    }

    @Override
    public String postSources(Incident incident) {
        return reply(incident, sources.sources(incident));
    }

    @Override
    public void showSources(Incident incident) {
        String ts = incident.attribution().sourcesMessageTs();
        if (ts != null) {
            update(incident, ts, sources.sources(incident));
        }
    }

    @Override
    public void showWithdrawn(Incident incident, StepState withdrawn) {
        if (withdrawn.messageTs() != null) {
            update(incident, withdrawn.messageTs(), steps.withdrawn(incident, withdrawn));
        }
    }

    @Override
    public void refuseAttribution(Incident incident, String user, AttributionRefusal refusal) {
        tellPrivately(incident.thread().channel(), incident.thread().rootTs(), user, sources.refusal(refusal));
    }

    @Override
    public void refuse(Incident incident, String user, Refusal refusal) {
        tellPrivately(incident.thread().channel(), incident.thread().rootTs(), user, steps.refusal(refusal));
    }

    @Override
    public void tellKeyOwner(Incident incident, String ownerUserId, String newKeyId, String secretArn,
                             LocalDate fetchBy) {
        SlackMessage message = messages.newKeyWaiting(incident, newKeyId, secretArn, fetchBy);
        String dm = call(() -> slack.conversationsOpen(r -> r.users(List.of(ownerUserId)))).getChannel().getId();
        pace(dm);
        call(() -> slack.chatPostMessage(r -> r.channel(dm).text(message.text()).blocksAsString(message.blocksJson())
                .unfurlLinks(false).unfurlMedia(false)));
    }

    /** An ephemeral answer to whoever clicked a button; Slack failing is logged, never thrown at the click. */
    public void answerClick(BlockActionPayload payload, String user, String mrkdwn) {
        try {
            String threadTs = payload.getContainer() == null ? null : payload.getContainer().getThreadTs();
            tellPrivately(payload.getChannel().getId(), threadTs, user, mrkdwn);
        } catch (RuntimeException e) {
            LOG.warn("Could not answer {} privately: {}", user, e.getMessage());
        }
    }

    /** An ephemeral note to one user, in a thread where given. */
    public void tellPrivately(String channel, String threadTs, String user, String mrkdwn) {
        call(() -> slack.chatPostEphemeral(r -> r.channel(channel).threadTs(threadTs).user(user).text(mrkdwn)));
    }

    private String reply(Incident incident, SlackMessage message) {
        ThreadRef thread = incident.thread();
        pace(thread.channel());
        return call(() -> slack.chatPostMessage(r -> r.channel(thread.channel()).threadTs(thread.rootTs())
                .text(message.text()).blocksAsString(message.blocksJson())
                .unfurlLinks(false).unfurlMedia(false))).getTs();
    }

    private void pace(String channel) {
        try {
            pacer.awaitTurn(channel);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while pacing posts to Slack", e);
        }
    }

    private <T extends SlackApiTextResponse> T call(RateLimitRetry.SlackCall<T> call) {
        T response;
        try {
            response = retry.run(call);
        } catch (IOException e) {
            throw new UncheckedIOException("Slack could not be reached", e);
        } catch (SlackApiException e) {
            throw new IllegalStateException("Slack answered HTTP " + e.getResponse().code(), e);
        }
        if (!response.isOk()) {
            throw new IllegalStateException("Slack answered " + response.getError());
        }
        return response;
    }
}
