package com.leakedkeybot.incident;

/** Why a click marking a source, or confirming the exposure time, changed nothing. */
public enum AttributionRefusal {
    NOT_AN_APPROVER,
    INCIDENT_CLOSED,
    /** The button names a source the findings do not hold. */
    UNKNOWN_SOURCE,
    /** The exposure time is already set, or the bot proposed none. */
    NOTHING_TO_CONFIRM
}
