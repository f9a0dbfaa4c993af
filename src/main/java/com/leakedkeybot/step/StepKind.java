package com.leakedkeybot.step;

/**
 * The runbook steps the bot can carry out, each behind an approval. A destructive step removes or overwrites
 * something that cannot simply be switched back on: the two-person rule applies to it. An idempotent step leaves AWS
 * the same however often it runs (it sets a status or writes a document fixed at approval), so an approved run a
 * restart interrupted may simply be run again; a step that mints or deletes may not.
 */
public enum StepKind {
    DEACTIVATE_KEY("Deactivate key", "deactivate", false, true),
    /** The undo of a deactivation: the runbook's reason for disabling rather than deleting. */
    REACTIVATE_KEY("Reactivate key", "reactivate", false, true),
    REVOKE_SESSIONS("Revoke sessions", "revoke-sessions", false, true),
    QUARANTINE("Quarantine user", "quarantine", false, true),
    /** Mints a key: run twice, it would mint two. */
    ROTATE_KEY("Rotate key", "rotate", false, false),
    DELETE_OLD_KEY("Delete old key", "delete-old-key", true, false),
    /** Per resource the attacker created (target: its {@code AffectedResource#target}). */
    CLEAN_UP("Remove", "clean-up", true, false),
    /** Per role (target: its ARN); destructive because the fallback form ends every user's session of the role. */
    REVOKE_ROLE_SESSIONS("Revoke role sessions", "revoke-role-sessions", true, true),
    /** Per S3 bucket (target: its name); destructive because it replaces what the objects hold now. */
    RESTORE_OBJECTS("Restore objects", "restore-objects", true, true),
    /** Per policy document the attacker changed (target: as the clean-up's); overwrites or deletes it. */
    REVERT_POLICY("Revert policy change", "revert-policy", true, true),
    /** The blast radius, again, after IAM could not be read the first time. Reads IAM only. */
    ANALYSE_PERMISSIONS("Analyse permissions again", "analyse-permissions", false, true),
    /** Ends the incident: the timeline is posted, and no step runs any more. Changes nothing in AWS. */
    CLOSE_INCIDENT("Close incident", "close", false, false);

    private final String label;
    private final String actionId;
    private final boolean destructive;
    private final boolean idempotent;

    StepKind(String label, String actionId, boolean destructive, boolean idempotent) {
        this.label = label;
        this.actionId = actionId;
        this.destructive = destructive;
        this.idempotent = idempotent;
    }

    public boolean destructive() {
        return destructive;
    }

    /** Whether an approved run that a restart interrupted, and that AWS shows undone, is completed without asking. */
    public boolean idempotent() {
        return idempotent;
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
