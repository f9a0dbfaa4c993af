package com.leakedkeybot.investigation;

/**
 * What an event means for the incident. Declared from most to least alarming: reports list categories in this order.
 * {@link #DENIED} is never an event's category: it counts attempts AWS refused, whatever their category
 * (see {@link Classification}).
 */
public enum EventCategory {
    DEFENSE_EVASION("Defense evasion (logging or detection turned off)"),
    PRIVILEGE_ESCALATION("Privilege escalation"),
    PERSISTENCE("Persistence (new ways back in)"),
    CREDENTIAL_ACCESS("Credential access (secrets read)"),
    EXFILTRATION("Exfiltration or exposure (data shared or opened up)"),
    EXECUTION("Execution on instances (commands, sessions, SSH keys)"),
    TEMPORARY_CREDENTIALS("Temporary credentials minted"),
    RESOURCE_CREATION("Resources created or consumed"),
    DATA_CHANGE("Changes and deletions"),
    RECONNAISSANCE("Reconnaissance (listing and reading)"),
    DENIED("Denied attempts"),
    OTHER("Other activity");

    private final String label;

    EventCategory(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Categories worth telling the incident channel about as soon as the first such event is seen. */
    public boolean alarming() {
        return ordinal() <= TEMPORARY_CREDENTIALS.ordinal();
    }
}
