package com.leakedkeybot.slack;

import com.leakedkeybot.approval.StepApproval;
import com.leakedkeybot.runbook.SourceMarking;
import com.leakedkeybot.slack.blocks.IncidentMessages;
import com.leakedkeybot.slack.blocks.SourceButtons;
import com.leakedkeybot.slack.blocks.StepButtons;
import com.slack.api.app_backend.interactive_components.payload.BlockActionPayload;
import com.slack.api.bolt.context.builtin.ActionContext;
import com.slack.api.bolt.handler.builtin.BlockActionHandler;
import com.slack.api.bolt.request.builtin.BlockActionRequest;
import com.slack.api.bolt.response.Response;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A click on one kind of the bot's buttons: acknowledged at once; what it asks for (the approval check and the AWS
 * work of a step, or an approver's mark on a source) runs on the click executor.
 */
public final class ButtonClick implements BlockActionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ButtonClick.class);

    /** What a click asks for, decoded from its button; false when the button names nothing this bot knows. */
    @FunctionalInterface
    public interface Action {
        boolean run(String actionId, String value, String user);
    }

    private final Pattern actionIds;
    private final Action action;
    private final SlackIncidentChannel channel;
    private final IncidentMessages messages;
    private final Executor work;

    private ButtonClick(Pattern actionIds, Action action, SlackIncidentChannel channel, IncidentMessages messages,
                        Executor work) {
        this.actionIds = actionIds;
        this.action = action;
        this.channel = channel;
        this.messages = messages;
        this.work = work;
    }

    /** A step's button: approve, and run once approved. */
    public static ButtonClick onSteps(StepApproval approval, SlackIncidentChannel channel, IncidentMessages messages,
                                      Executor work) {
        return new ButtonClick(prefixed(StepButtons.PREFIX), (actionId, value, user) -> StepButtons
                .parse(actionId, value).map(clicked -> approval.onClick(clicked.incident(), clicked.step(), user))
                .orElse(false), channel, messages, work);
    }

    /** A source's mark, or the confirmation of the exposure time the bot proposed. */
    public static ButtonClick onSources(SourceMarking marking, SlackIncidentChannel channel, IncidentMessages messages,
                                        Executor work) {
        return new ButtonClick(prefixed(SourceButtons.PREFIX), (actionId, value, user) -> SourceButtons
                .parse(actionId, value).map(clicked -> clicked.confirmsExposure()
                        ? marking.confirmExposure(clicked.incident(), user)
                        : marking.mark(clicked.incident(), clicked.sourceId(), clicked.verdict(), user))
                .orElse(false), channel, messages, work);
    }

    /** The action ids this handler answers, for Bolt's routing. */
    public Pattern actionIds() {
        return actionIds;
    }

    @Override
    public Response apply(BlockActionRequest request, ActionContext context) {
        BlockActionPayload payload = request.getPayload();
        String user = payload.getUser().getId();
        for (BlockActionPayload.Action clicked : payload.getActions()) {
            LOG.info("Click on {} for {} by {}", clicked.getActionId(), clicked.getValue(), user);
            try {
                work.execute(() -> {
                    if (!action.run(clicked.getActionId(), clicked.getValue(), user)) {
                        LOG.warn("Ignored a click by {} on an unknown button or incident", user);
                        channel.answerClick(payload, user, messages.unknownIncident());
                    }
                });
            } catch (RejectedExecutionException busy) {
                LOG.warn("Refused a click by {}: too many clicks already waiting", user);
                channel.answerClick(payload, user, messages.busy());
            }
        }
        return context.ack();
    }

    private static Pattern prefixed(String prefix) {
        return Pattern.compile("^" + Pattern.quote(prefix) + ".+$");
    }
}
