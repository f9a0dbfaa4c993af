package com.leakedkeybot.runbook;

import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.IncidentChannel;
import com.leakedkeybot.incident.IncidentId;
import com.leakedkeybot.incident.IncidentStore;
import com.leakedkeybot.remediation.RemediationStep;
import com.leakedkeybot.step.StepId;
import com.leakedkeybot.step.StepState;
import java.util.concurrent.atomic.AtomicBoolean;

/** Puts a step, with its button, in the incident thread: at opening, on the recommended path, or as a follow-up. */
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
        AtomicBoolean fresh = new AtomicBoolean();
        Incident offered = store.update(id, incident -> {
            StepState current = incident.step(step).orElse(null);
            fresh.set(!incident.isClosed()
                    && (current == null || !(current.inFlight() || current.status() == StepState.Status.OFFERED)));
            return fresh.get() ? incident.withStep(StepState.offered(step, null)) : incident;
        });
        if (!fresh.get()) {
            return false;
        }
        String ts = channel.postStep(offered, step);
        Incident posted = store.update(id, i -> i.withStep(i.step(step).orElseThrow().postedAs(ts)));
        if (posted.step(step).orElseThrow().status() != StepState.Status.OFFERED) {
            channel.showStep(posted, step);
        }
        return true;
    }

    /** What a step that just succeeded makes possible, e.g. the undo of a deactivation. */
    public void offerFollowUps(Incident done, RemediationStep finished, StepId step) {
        if (done.step(step).map(s -> s.status() == StepState.Status.SUCCEEDED).orElse(false)) {
            finished.followUps(done, step.target()).forEach(next -> offer(done.id(), next));
        }
    }
}
