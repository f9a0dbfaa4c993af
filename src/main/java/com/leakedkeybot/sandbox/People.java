package com.leakedkeybot.sandbox;

import java.util.List;

/** Who is in the drill's workspace, and their part: the page lets you act as any of them. */
enum People {
    RILEY("U0RILEY", "Riley", "reporter"),
    ALEX("U0ALEX", "Alex", "approver"),
    SAM("U0SAM", "Sam", "approver"),
    /** Owns the leaked key: the rotation path's direct message reaches Nico. */
    NICO("U0NICO", "Nico", "not an approver");

    private final String id;
    private final String displayName;
    private final String role;

    People(String id, String displayName, String role) {
        this.id = id;
        this.displayName = displayName;
        this.role = role;
    }

    String id() {
        return id;
    }

    String displayName() {
        return displayName;
    }

    String role() {
        return role;
    }

    static List<String> approvers() {
        return List.of(ALEX.id, SAM.id);
    }

    static People byId(String id) {
        for (People person : values()) {
            if (person.id.equals(id)) {
                return person;
            }
        }
        throw new IllegalArgumentException("nobody in the workspace has that id");
    }
}
