package com.leakedkeybot.audit;

import java.time.Instant;

/**
 * One line of an incident's append-only audit trail: who did or asked what, when, and with what result.
 *
 * @param actor a chat user id, or {@link #BOT} for the bot's own actions
 */
public record AuditEntry(Instant at, String actor, String action, String result) {
    public static final String BOT = "bot";
}
