package com.leakedkeybot.remediation;

import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.KeyOwnership;
import com.leakedkeybot.remediation.port.RootCredentials;
import com.leakedkeybot.step.StepId;
import com.leakedkeybot.step.StepKind;
import com.leakedkeybot.step.StepOutcome;
import java.util.List;

/**
 * A member account's root access key, deleted through a privileged root session. Deleting is all that path offers
 * (no deactivation), so it is four-eyes and destructive, and offered beside the guided console steps, never instead:
 * where centralized root access is not enabled, the session is refused and the guided steps are the way.
 */
public final class DeleteRootKeyStep implements RemediationStep {

    private final RootCredentials root;

    public DeleteRootKeyStep(RootCredentials root) {
        this.root = root;
    }

    @Override
    public StepKind kind() {
        return StepKind.DELETE_ROOT_KEY;
    }

    /** Only for a root key of a member account: the bot's own account's root cannot be reached by AssumeRoot. */
    @Override
    public Proposals propose(Incident incident) {
        boolean memberRoot = incident.facts().ownership() == KeyOwnership.ROOT_USER
                && incident.facts().memberAccount().isPresent();
        return Proposals.of(memberRoot ? List.of(StepId.of(kind())) : List.of());
    }

    @Override
    public StepOutcome execute(Incident incident, String target) {
        String account = incident.facts().memberAccount().orElseThrow();
        if (!root.holds(account, incident.keyId())) {
            return StepOutcome.success("The root user of " + account + " no longer has this key (read through a "
                    + "root session): nothing was deleted.");
        }
        root.delete(account, incident.keyId());
        if (root.holds(account, incident.keyId())) {
            return StepOutcome.failure("IAM still lists the key on the root user of " + account + " after the deletion.",
                    "Delete it as the root user (console, Security credentials) and check CloudTrail.");
        }
        return StepOutcome.success("The root user's access key is deleted (read back through a root session of "
                + account + "). It cannot be restored: sessions minted from it stay valid until they expire — contain "
                + "them with a Service Control Policy.");
    }

    /** Deleting is not idempotent in outcome: a restart re-checks and never deletes blindly. */
    @Override
    public StepOutcome reconcile(Incident incident, String target) {
        String account = incident.facts().memberAccount().orElseThrow();
        if (!root.holds(account, incident.keyId())) {
            return StepOutcome.success("The root user's access key is gone — confirmed through a root session after a "
                    + "restart.");
        }
        return StepOutcome.failure("Outcome unknown — the bot restarted mid-action; the root user of " + account
                + " still has the key.", "The interrupted attempt did not take effect. Retry, or delete it as the "
                + "root user.");
    }
}
