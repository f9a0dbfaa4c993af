package com.leakedkeybot.runbook;

import com.leakedkeybot.incident.Decision;
import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.IncidentChannel;
import com.leakedkeybot.incident.IncidentId;
import com.leakedkeybot.incident.IncidentStore;
import com.leakedkeybot.step.StepId;
import com.leakedkeybot.step.StepState;
import java.util.function.Predicate;

/** Puts a step, with its button, in the incident thread: the runbook decides which and when. */
public final class StepOffers {

    private final IncidentStore store;
    private final IncidentChannel channel;

    public StepOffers(IncidentStore store, IncidentChannel channel) {
        this.store = store;
        this.channel = channel;
    }

    /**
     * Offers the step unless it is already on offer or in flight, or the incident is closed; a finished step (an undo
     * that was undone, say) is offered afresh with a new message.
     *
     * <p>The step is stored as offered before its button exists, so a click that arrives the instant the message
     * appears finds it. Such a click cannot redraw a message whose timestamp is not yet stored; so when the
     * timestamp lands after a click, the message is redrawn here from the state the click left.
     *
     * @return whether a new offer was posted
     */
    public boolean offer(IncidentId id, StepId step) {
        return offer(id, step, incident -> true);
    }

    /**
     * {@link #offer(IncidentId, StepId)}, only while the stored incident still calls for it: decided atomically with
     * the offer, so an attribution changed since the step was proposed is not overtaken by the offer.
     */
    public boolean offer(IncidentId id, StepId step, Predicate<Incident> stillWanted) {
        Decision<Boolean> offered = store.decide(id, incident -> {
            StepState current = incident.step(step).orElse(null);
            boolean fresh = !incident.isClosed() && stillWanted.test(incident)
                    && (current == null || !(current.inFlight() || current.status() == StepState.Status.OFFERED));
            return fresh ? new Decision<>(incident.withStep(StepState.offered(step, null)), true)
                    : Decision.unchanged(incident, false);
        });
        if (!offered.value()) {
            return false;
        }
        String ts = channel.postStep(offered.incident(), step);
        Incident posted = store.update(id, i -> i.withStep(i.step(step).orElseThrow().postedAs(ts)));
        if (posted.step(step).orElseThrow().status() != StepState.Status.OFFERED) {
            channel.showStep(posted, step);
        }
        return true;
    }
}
