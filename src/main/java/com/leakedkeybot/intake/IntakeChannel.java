package com.leakedkeybot.intake;

import com.leakedkeybot.incident.Incident;

/** Where the thread is told how the bot learnt of the key: the chat port of automatic intake. */
public interface IntakeChannel {

    /**
     * Posts, in the incident's thread, what the source reported.
     *
     * @param joined whether the report joined an incident that was already open
     */
    void postSource(Incident incident, IntakeSource source, boolean joined);
}
