package com.leakedkeybot.slack.blocks;

import com.leakedkeybot.attribution.Verdict;
import com.leakedkeybot.incident.IncidentId;
import java.util.Locale;
import java.util.Optional;

/**
 * How the buttons of the sources message name what they do: {@code action_id} is {@value #PREFIX} then
 * {@code attacker:<source id>}, {@code owner:<source id>} (unique within the message, one pair per source) or
 * {@value #CONFIRM}; {@code value} is the incident id, then a space and the source id for a mark.
 */
public final class SourceButtons {

    public static final String PREFIX = "attribution:";
    static final String CONFIRM = "confirm-exposure";

    /** A click decoded: a source's mark (verdict and source set), or the exposure time's confirmation (both null). */
    public record Clicked(IncidentId incident, Verdict verdict, String sourceId) {

        public boolean confirmsExposure() {
            return verdict == null;
        }
    }

    private SourceButtons() {
    }

    static String markActionId(Verdict verdict, String sourceId) {
        return PREFIX + verdict.name().toLowerCase(Locale.ROOT) + ":" + sourceId;
    }

    static String confirmActionId() {
        return PREFIX + CONFIRM;
    }

    /** Empty for a button this bot did not draw. */
    public static Optional<Clicked> parse(String actionId, String value) {
        if (actionId == null || !actionId.startsWith(PREFIX) || value == null) {
            return Optional.empty();
        }
        String what = actionId.substring(PREFIX.length());
        int space = value.indexOf(' ');
        String incident = space < 0 ? value : value.substring(0, space);
        if (!IncidentId.isValid(incident)) {
            return Optional.empty();
        }
        if (what.equals(CONFIRM)) {
            return Optional.of(new Clicked(new IncidentId(incident), null, null));
        }
        int colon = what.indexOf(':');
        if (colon < 0 || space < 0) {
            return Optional.empty();
        }
        String verdict = what.substring(0, colon).toUpperCase(Locale.ROOT);
        String source = value.substring(space + 1);
        if (!(verdict.equals("ATTACKER") || verdict.equals("OWNER")) || !source.equals(what.substring(colon + 1))) {
            return Optional.empty();
        }
        return Optional.of(new Clicked(new IncidentId(incident), Verdict.valueOf(verdict), source));
    }
}
