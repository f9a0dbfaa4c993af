package com.leakedkeybot.remediation;

import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.remediation.port.AccessKeyControl;
import com.leakedkeybot.step.StepId;
import com.leakedkeybot.step.StepKind;
import com.leakedkeybot.step.StepOutcome;
import java.util.ArrayList;
import java.util.List;

/**
 * Runbook step 2: make the leaked key inactive. Deactivating, not deleting, keeps the key restorable if production
 * breaks and keeps its history.
 */
public final class DeactivateKeyStep implements RemediationStep {

    private final AccessKeyControl keys;
    private final DeleteOldKeyStep retirement;

    public DeactivateKeyStep(AccessKeyControl keys, DeleteOldKeyStep retirement) {
        this.keys = keys;
        this.retirement = retirement;
    }

    @Override
    public StepKind kind() {
        return StepKind.DEACTIVATE_KEY;
    }

    @Override
    public StepOutcome execute(Incident incident, String target) {
        String user = incident.facts().userName();
        AccessKeyControl.Status now = keys.switchTo(user, incident.keyId(), AccessKeyControl.Status.INACTIVE);
        if (now != AccessKeyControl.Status.INACTIVE) {
            return StepOutcome.failure("IAM still reports the key as " + now + " after the update.",
                    "Check the key in the IAM console (user " + user + ", Security credentials) and make it inactive by hand.");
        }
        return StepOutcome.success("The key is now Inactive (read back from IAM). It can be reactivated if a "
                + "legitimate workload breaks. Temporary credentials minted from it stay valid until revoked.");
    }

    /**
     * A deactivation that breaks production can be undone, with an approval like any step; after a rotation the old
     * key may go instead.
     */
    @Override
    public List<StepId> followUps(Incident incident, String target) {
        List<StepId> next = new ArrayList<>(List.of(StepId.of(StepKind.REACTIVATE_KEY)));
        next.addAll(retirement.offerWhenRetirable(incident));
        return next;
    }

    @Override
    public StepOutcome reconcile(Incident incident, String target) {
        String user = incident.facts().userName();
        if (keys.status(user, incident.keyId()) == AccessKeyControl.Status.INACTIVE) {
            return StepOutcome.success("The key is Inactive — confirmed by reading IAM after a restart. It can be "
                    + "reactivated if a legitimate workload breaks. Temporary credentials minted from it stay valid "
                    + "until revoked.");
        }
        return StepOutcome.failure("Outcome unknown — the bot restarted mid-action; IAM shows the key still Active.",
                "The interrupted attempt did not take effect. Retry to deactivate the key now, or make it inactive in "
                        + "the IAM console (user " + user + ", Security credentials).");
    }
}
