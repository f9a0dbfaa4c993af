package com.leakedkeybot.investigation;

/**
 * The classifier's verdict. A refused call keeps its category (an attempted CreateUser is still persistence
 * intent) and is flagged {@code denied}; reports count denied events again under {@link EventCategory#DENIED}.
 */
public record Classification(EventCategory category, boolean denied) {
}
