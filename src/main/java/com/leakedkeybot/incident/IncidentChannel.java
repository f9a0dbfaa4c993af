package com.leakedkeybot.incident;

import com.leakedkeybot.remediation.Refusal;
import com.leakedkeybot.remediation.StepKind;

/** Where an incident is told to people: the chat thread. Implementations render; callers decide what to say. */
public interface IncidentChannel {

    /**
     * Posts the root message of the incident and returns its thread.
     *
     * @param requestedChannel where the report was made; the implementation may prefer a configured channel
     */
    ThreadRef openThread(Incident incident, String requestedChannel);

    /** Posts, in the thread, what the bot learnt about the key. */
    void postKeyFacts(Incident incident);

    /** Posts a step with its approval button; returns the message's timestamp. */
    String postStep(Incident incident, StepKind step);

    /** Posts guidance for keys the bot cannot switch off itself (root, foreign, unknown, temporary). */
    void postManualGuidance(Incident incident);

    /** Redraws a step's message from its current state (who approved, when, outcome). */
    void showStep(Incident incident, StepKind step);

    /** Tells one person, privately, why their click did nothing. */
    void refuse(Incident incident, String user, Refusal refusal);
}
