package com.leakedkeybot.slack;

import com.leakedkeybot.runbook.SourceMarking;
import com.leakedkeybot.slack.blocks.IncidentMessages;
import com.leakedkeybot.slack.blocks.SourceButtons;
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

/**
 * A click marking a source the attacker's or the owner's, or confirming the exposure time: acknowledged at once; the
 * approver check, the record and the new proposals run on the click executor.
 */
public final class SourceMarkClick implements BlockActionHandler {

    public static final Pattern ACTION_IDS = Pattern.compile("^" + Pattern.quote(SourceButtons.PREFIX) + ".+$");
    private static final Logger LOG = LoggerFactory.getLogger(SourceMarkClick.class);

    private final SourceMarking marking;
    private final SlackIncidentChannel channel;
    private final IncidentMessages messages;
    private final Executor work;

    public SourceMarkClick(SourceMarking marking, SlackIncidentChannel channel, IncidentMessages messages,
                           Executor work) {
        this.marking = marking;
        this.channel = channel;
        this.messages = messages;
        this.work = work;
    }

    @Override
    public Response apply(BlockActionRequest request, ActionContext context) {
        BlockActionPayload payload = request.getPayload();
        String user = payload.getUser().getId();
        for (BlockActionPayload.Action action : payload.getActions()) {
            Optional<SourceButtons.Clicked> clicked = SourceButtons.parse(action.getActionId(), action.getValue());
            LOG.info("Click on {} for {} by {}", action.getActionId(), action.getValue(), user);
            try {
                work.execute(() -> {
                    boolean known = clicked.isPresent() && (clicked.get().confirmsExposure()
                            ? marking.confirmExposure(clicked.get().incident(), user)
                            : marking.mark(clicked.get().incident(), clicked.get().sourceId(), clicked.get().verdict(),
                            user));
                    if (!known) {
                        LOG.warn("Ignored a click by {} on an unknown source or incident", user);
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
