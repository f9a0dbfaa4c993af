package com.leakedkeybot.investigation;

/**
 * What an event means for the incident. Declared from most to least alarming: reports list categories in this order.
 * {@link #DENIED} is never an event's category: it counts attempts AWS refused, whatever their category
 * (see {@link Classification}).
 */
public enum EventCategory {
    DEFENSE_EVASION("Defense evasion (logging or detection turned off)", true),
    PRIVILEGE_ESCALATION("Privilege escalation", true),
    PERSISTENCE("Persistence (new ways back in)", true),
    CREDENTIAL_ACCESS("Credential access (secrets read)", true),
    EXFILTRATION("Exfiltration or exposure (data shared or opened up)", true),
    EXECUTION("Execution on instances (commands, sessions, SSH keys)", true),
    TEMPORARY_CREDENTIALS("Temporary credentials minted (they outlive the key's deactivation)", true),
    RESOURCE_CREATION("Resources created or consumed", false),
    DATA_CHANGE("Changes and deletions", false),
    RECONNAISSANCE("Reconnaissance (listing and reading)", false),
    DENIED("Denied attempts", false),
    OTHER("Other activity", false);

    private final String label;
    private final boolean alarming;

    EventCategory(String label, boolean alarming) {
        this.label = label;
        this.alarming = alarming;
    }

    public String label() {
        return label;
    }

    /** Categories worth telling the incident channel about as soon as the first such event is seen. */
    public boolean alarming() {
        return alarming;
    }
}
