package com.leakedkeybot.step;

/**
 * The runbook steps the bot can carry out, each behind an approval. A destructive step removes or overwrites
 * something that cannot simply be switched back on: the two-person rule applies to it.
 */
public enum StepKind {
    DEACTIVATE_KEY("Deactivate key", "deactivate", false),
    /** The undo of a deactivation: the runbook's reason for disabling rather than deleting. */
    REACTIVATE_KEY("Reactivate key", "reactivate", false),
    REVOKE_SESSIONS("Revoke sessions", "revoke-sessions", false),
    QUARANTINE("Quarantine user", "quarantine", false),
    ROTATE_KEY("Rotate key", "rotate", false),
    DELETE_OLD_KEY("Delete old key", "delete-old-key", true),
    /** Per resource the attacker created (target: {@link CleanUpStep#target}). */
    CLEAN_UP("Remove", "clean-up", true),
    /** Per role (target: its ARN); destructive because the fallback form ends every user's session of the role. */
    REVOKE_ROLE_SESSIONS("Revoke role sessions", "revoke-role-sessions", true),
    /** Per S3 bucket (target: its name); destructive because it replaces what the objects hold now. */
    RESTORE_OBJECTS("Restore objects", "restore-objects", true),
    /** Per policy document the attacker changed (target: {@link CleanUpStep#target}); overwrites or deletes it. */
    REVERT_POLICY("Revert policy change", "revert-policy", true),
    /** Ends the incident: the timeline is posted, and no step runs any more. Changes nothing in AWS. */
    CLOSE_INCIDENT("Close incident", "close", false);

    private final String label;
    private final String actionId;
    private final boolean destructive;

    StepKind(String label, String actionId, boolean destructive) {
        this.label = label;
        this.actionId = actionId;
        this.destructive = destructive;
    }

    public boolean destructive() {
        return destructive;
    }

    public String label() {
        return label;
    }

    /** Stable name used on buttons and in stored state; never rename one that has shipped. */
    public String actionId() {
        return actionId;
    }

    public static java.util.Optional<StepKind> ofActionId(String actionId) {
        for (StepKind kind : values()) {
            if (kind.actionId.equals(actionId)) {
                return java.util.Optional.of(kind);
            }
        }
        return java.util.Optional.empty();
    }
}
