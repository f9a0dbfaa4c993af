package com.leakedkeybot.step;

import java.util.EnumSet;
import java.util.Set;

/**
 * The runbook steps the bot can carry out, each behind an approval, with the traits that decide how it is approved
 * and what happens to it after a restart.
 */
public enum StepKind {
    DEACTIVATE_KEY("Deactivate key", "deactivate", Trait.IDEMPOTENT),
    /** The undo of a deactivation: the runbook's reason for disabling rather than deleting. Re-enables the key. */
    REACTIVATE_KEY("Reactivate key", "reactivate", Trait.IDEMPOTENT, Trait.FOUR_EYES),
    REVOKE_SESSIONS("Revoke sessions", "revoke-sessions", Trait.IDEMPOTENT),
    QUARANTINE("Quarantine user", "quarantine", Trait.IDEMPOTENT),
    /**
     * Detaches AWS's managed quarantine policies once the leaked key is inactive and its older sessions revoked: they
     * limit the user's new key too. Re-enables credentials, so four eyes.
     */
    LIFT_QUARANTINE("Lift quarantine", "lift-quarantine", Trait.IDEMPOTENT, Trait.FOUR_EYES),
    /** Mints a key: run twice, it would mint two. */
    ROTATE_KEY("Rotate key", "rotate", Trait.FOUR_EYES),
    DELETE_OLD_KEY("Delete old key", "delete-old-key", Trait.DESTRUCTIVE, Trait.FOUR_EYES),
    /** Per resource the attacker created (target: its {@code AffectedResource#target}). */
    CLEAN_UP("Remove", "clean-up", Trait.DESTRUCTIVE, Trait.FOUR_EYES),
    /**
     * Per role (target: its ARN); destructive because the fallback form ends every user's session of the role, yet
     * containment: one approval.
     */
    REVOKE_ROLE_SESSIONS("Revoke role sessions", "revoke-role-sessions", Trait.DESTRUCTIVE, Trait.IDEMPOTENT),
    /** Per S3 bucket (target: its name); destructive because it replaces what the objects hold now. */
    RESTORE_OBJECTS("Restore objects", "restore-objects", Trait.DESTRUCTIVE, Trait.IDEMPOTENT, Trait.FOUR_EYES),
    /** Per policy document the attacker changed (target: as the clean-up's); overwrites or deletes it. */
    REVERT_POLICY("Revert policy change", "revert-policy", Trait.DESTRUCTIVE, Trait.IDEMPOTENT, Trait.FOUR_EYES),
    /**
     * A member account's root user's access key, removed through a privileged root session (sts:AssumeRoot): AWS
     * offers no way to deactivate a root key there, only to delete it.
     */
    DELETE_ROOT_KEY("Delete root access key", "delete-root-key", Trait.DESTRUCTIVE, Trait.FOUR_EYES),
    /** The blast radius, again, after IAM could not be read the first time. Reads IAM only. */
    ANALYSE_PERMISSIONS("Analyse permissions again", "analyse-permissions", Trait.IDEMPOTENT),
    /** Ends the incident: the timeline is posted, and no step runs any more. Changes nothing in AWS. */
    CLOSE_INCIDENT("Close incident", "close");

    private enum Trait {
        /** Removes or overwrites something that cannot simply be switched back on: the reporter never runs it. */
        DESTRUCTIVE,
        /**
         * Leaves AWS the same however often it runs (it sets a status, or writes a document fixed at approval): an
         * approved run that a restart interrupted is completed. A step that mints or deletes is not.
         */
        IDEMPOTENT,
        /** Deletes, reverts, restores, mints or re-enables credentials: two distinct approvers under the two-person rule. */
        FOUR_EYES
    }

    private final String label;
    private final String actionId;
    private final Set<Trait> traits;

    StepKind(String label, String actionId, Trait... traits) {
        this.label = label;
        this.actionId = actionId;
        this.traits = traits.length == 0 ? EnumSet.noneOf(Trait.class) : EnumSet.of(traits[0], traits);
    }

    public boolean destructive() {
        return traits.contains(Trait.DESTRUCTIVE);
    }

    /** Whether an approved run that a restart interrupted, and that AWS shows undone, is completed without asking. */
    public boolean idempotent() {
        return traits.contains(Trait.IDEMPOTENT);
    }

    /** Whether the two-person rule asks two distinct approvers for it; containment stays one click. */
    public boolean fourEyes() {
        return traits.contains(Trait.FOUR_EYES);
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
