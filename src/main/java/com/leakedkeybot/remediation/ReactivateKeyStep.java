package com.leakedkeybot.remediation;

import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.remediation.port.AccessKeyControl;
import com.leakedkeybot.step.StepId;
import com.leakedkeybot.step.StepKind;
import com.leakedkeybot.step.StepOutcome;
import java.util.List;

/**
 * The undo of {@link DeactivateKeyStep}: makes the leaked key active again when a legitimate workload broke and
 * cannot wait for the rotation. Offered only after a successful deactivation, and the key can be deactivated again.
 */
public final class ReactivateKeyStep implements RemediationStep {

    private final AccessKeyControl keys;

    public ReactivateKeyStep(AccessKeyControl keys) {
        this.keys = keys;
    }

    @Override
    public StepKind kind() {
        return StepKind.REACTIVATE_KEY;
    }

    @Override
    public StepOutcome execute(Incident incident, String target) {
        String user = incident.facts().userName();
        AccessKeyControl.Status now = keys.switchTo(user, incident.keyId(), AccessKeyControl.Status.ACTIVE);
        if (now != AccessKeyControl.Status.ACTIVE) {
            return StepOutcome.failure("IAM still reports the key as " + now + " after the update.",
                    "Make the key active by hand in the IAM console (user " + user + ", Security credentials).");
        }
        return reactivated("read back from IAM");
    }

    @Override
    public StepOutcome reconcile(Incident incident, String target) {
        String user = incident.facts().userName();
        if (keys.status(user, incident.keyId()) == AccessKeyControl.Status.ACTIVE) {
            return reactivated("confirmed by reading IAM after a restart");
        }
        return StepOutcome.failure("Outcome unknown — the bot restarted mid-action; IAM shows the key still Inactive.",
                "The interrupted attempt did not take effect. Retry to reactivate the key, or leave it inactive.");
    }

    /** The leaked key works again: the attacker's too, so containment is offered again at once. */
    @Override
    public List<StepId> followUps(Incident incident, String target) {
        return List.of(StepId.of(StepKind.DEACTIVATE_KEY));
    }

    private static StepOutcome reactivated(String how) {
        return StepOutcome.success("The key is Active again (" + how + "). The attacker can use it too: rotate it "
                + "and deactivate it again as soon as the workload has moved.");
    }
}
