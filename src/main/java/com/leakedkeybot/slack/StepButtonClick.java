package com.leakedkeybot.slack;

import com.leakedkeybot.approval.StepApproval;
import com.leakedkeybot.slack.blocks.IncidentMessages;
import com.leakedkeybot.slack.blocks.StepButtons;
import com.slack.api.app_backend.interactive_components.payload.BlockActionPayload;
import com.slack.api.bolt.context.builtin.ActionContext;
import com.slack.api.bolt.handler.builtin.BlockActionHandler;
import com.slack.api.bolt.request.builtin.BlockActionRequest;
import com.slack.api.bolt.response.Response;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A click on a step button: acknowledged at once; the approval check and the AWS work run on the executor. */
public final class StepButtonClick implements BlockActionHandler {

    public static final Pattern ACTION_IDS = Pattern.compile("^" + Pattern.quote(StepButtons.PREFIX) + ".+$");
    private static final Logger LOG = LoggerFactory.getLogger(StepButtonClick.class);

    private final StepApproval approval;
    private final SlackIncidentChannel channel;
    private final IncidentMessages messages;
    private final Executor work;

    public StepButtonClick(StepApproval approval, SlackIncidentChannel channel, IncidentMessages messages, Executor work) {
        this.approval = approval;
        this.channel = channel;
        this.messages = messages;
        this.work = work;
    }

    @Override
    public Response apply(BlockActionRequest request, ActionContext context) {
        BlockActionPayload payload = request.getPayload();
        String user = payload.getUser().getId();
        for (BlockActionPayload.Action action : payload.getActions()) {
            Optional<StepButtons.Clicked> clicked = StepButtons.parse(action.getActionId(), action.getValue());
            LOG.info("Click on {} for {} by {}", action.getActionId(), action.getValue(), user);
            try {
                work.execute(() -> {
                    boolean known = clicked.isPresent()
                            && approval.onClick(clicked.get().incident(), clicked.get().step(), user);
                    if (!known) {
                        LOG.warn("Ignored a click by {} on an unknown step or incident", user);
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
}
