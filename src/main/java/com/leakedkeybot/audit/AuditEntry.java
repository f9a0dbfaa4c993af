package com.leakedkeybot.audit;

import com.leakedkeybot.step.StepId;
import com.leakedkeybot.step.StepKind;
import java.time.Instant;

/**
 * One line of an incident's append-only audit trail: who did or asked what, when, and with what result.
 *
 * @param actor a chat user id, or {@link #BOT} for the bot's own actions
 * @param step  the step the entry is about, or null for entries about the incident as a whole (and in entries
 *              stored before entries named their step)
 */
public record AuditEntry(Instant at, String actor, String action, String result, StepId step) {
    public static final String BOT = "bot";
    /** How the result of a step begins. */
    private static final String SUCCEEDED = "succeeded: ";
    private static final String FAILED = "failed: ";
    /**
     * How a deactivation stored before entries named their step is recognised (the timeline measures containment by
     * it): by the label it had then, frozen here so that renaming the label never changes what a stored incident says.
     */
    private static final String DEACTIVATION_BEFORE_STEP_IDS = "Deactivate key";

    /** An entry about the incident as a whole, not about one step. */
    public AuditEntry(Instant at, String actor, String action, String result) {
        this(at, actor, action, result, null);
    }

    /** The bot's record of a step it carried out, e.g. action "Deactivate key", result "succeeded: …". */
    public static AuditEntry stepFinished(Instant at, StepId step, String action, boolean succeeded, String summary) {
        return new AuditEntry(at, BOT, action, (succeeded ? SUCCEEDED : FAILED) + summary, step);
    }

    /** Whether this records the bot carrying out a step of {@code kind} successfully. */
    public boolean stepSucceeded(StepKind kind) {
        if (!BOT.equals(actor) || !result.startsWith(SUCCEEDED)) {
            return false;
        }
        if (step != null) {
            return step.kind() == kind;
        }
        return kind == StepKind.DEACTIVATE_KEY && action.startsWith(DEACTIVATION_BEFORE_STEP_IDS);
    }
}
