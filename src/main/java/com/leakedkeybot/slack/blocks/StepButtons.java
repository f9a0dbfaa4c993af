package com.leakedkeybot.slack.blocks;

import com.leakedkeybot.incident.IncidentId;
import com.leakedkeybot.step.StepId;
import com.leakedkeybot.step.StepKind;
import java.util.Optional;

/**
 * How a step's button names its step: {@code action_id} is {@value #PREFIX} + the kind's stable action id (unique
 * within its message, which shows one step), {@code value} is the incident id, then a space and the target for steps
 * that have one. Incident ids and AWS names/ARNs contain no spaces; buttons of singleton steps posted before targets
 * existed carry the incident id alone and keep working.
 */
public final class StepButtons {

    /** Prefix of every step button's action_id. */
    public static final String PREFIX = "step:";
    /** Slack's limit on a button's value; targets are AWS names and ARNs, far shorter. */
    static final int MAX_VALUE = 2000;

    /** A click's step, decoded from its button. */
    public record Clicked(IncidentId incident, StepId step) {
    }

    private StepButtons() {
    }

    public static String actionId(StepKind kind) {
        return PREFIX + kind.actionId();
    }

    public static String value(IncidentId incident, StepId step) {
        String value = step.singleton() ? incident.value() : incident.value() + " " + step.target();
        if (value.length() > MAX_VALUE) {
            throw new IllegalArgumentException("step target too long for a button: " + value.length() + " chars");
        }
        return value;
    }

    /** Empty for a button this bot did not draw (unknown kind, malformed incident id). */
    public static Optional<Clicked> parse(String actionId, String value) {
        if (actionId == null || !actionId.startsWith(PREFIX) || value == null) {
            return Optional.empty();
        }
        Optional<StepKind> kind = StepKind.ofActionId(actionId.substring(PREFIX.length()));
        int space = value.indexOf(' ');
        String incident = space < 0 ? value : value.substring(0, space);
        String target = space < 0 ? "" : value.substring(space + 1);
        if (kind.isEmpty() || !IncidentId.isValid(incident)) {
            return Optional.empty();
        }
        return Optional.of(new Clicked(new IncidentId(incident), new StepId(kind.get(), target)));
    }
}
