package com.leakedkeybot.audit;

import java.time.Instant;

/**
 * One line of an incident's append-only audit trail: who did or asked what, when, and with what result.
 *
 * @param actor a chat user id, or {@link #BOT} for the bot's own actions
 */
public record AuditEntry(Instant at, String actor, String action, String result) {
    public static final String BOT = "bot";
    /** How the result of a step begins; the timeline finds containment by it. */
    private static final String SUCCEEDED = "succeeded: ";
    private static final String FAILED = "failed: ";

    /** The bot's record of a step it carried out, e.g. action "Deactivate key", result "succeeded: …". */
    public static AuditEntry stepFinished(Instant at, String step, boolean succeeded, String summary) {
        return new AuditEntry(at, BOT, step, (succeeded ? SUCCEEDED : FAILED) + summary);
    }

    /** Whether this records the bot carrying out {@code step} (a label, maybe followed by a target) successfully. */
    public boolean stepSucceeded(String step) {
        return BOT.equals(actor) && action.startsWith(step) && result.startsWith(SUCCEEDED);
    }
}
