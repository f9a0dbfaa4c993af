package com.leakedkeybot.blastradius;

/** The access levels of the AWS Service Authorization Reference. */
public enum AccessLevel {
    LIST("List"),
    READ("Read"),
    WRITE("Write"),
    PERMISSIONS_MANAGEMENT("Permissions management"),
    TAGGING("Tagging");

    private final String label;

    AccessLevel(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** True for levels that change something (so a key with them needs the "act now" path). */
    public boolean changesState() {
        return this == WRITE || this == PERMISSIONS_MANAGEMENT || this == TAGGING;
    }

    static AccessLevel fromLabel(String label) {
        for (AccessLevel level : values()) {
            if (level.label.equals(label)) {
                return level;
            }
        }
        throw new IllegalArgumentException("Unknown access level: " + label);
    }
}
