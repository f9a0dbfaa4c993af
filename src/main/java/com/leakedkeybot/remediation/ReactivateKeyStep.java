package com.leakedkeybot.remediation;

import com.leakedkeybot.remediation.port.AccessKeyControl;
import com.leakedkeybot.step.StepKind;
import com.leakedkeybot.step.StepOutcome;

/**
 * The undo of {@link DeactivateKeyStep}: makes the leaked key active again when a legitimate workload broke and
 * cannot wait for the rotation. Offered only after a successful deactivation, and the key can be deactivated again.
 */
public final class ReactivateKeyStep extends KeyStatusStep {

    public ReactivateKeyStep(AccessKeyControl keys) {
        super(keys, AccessKeyControl.Status.ACTIVE);
    }

    @Override
    public StepKind kind() {
        return StepKind.REACTIVATE_KEY;
    }

    @Override
    StepOutcome reached(boolean afterRestart) {
        return StepOutcome.success("The key is Active again (" + (afterRestart
                ? "confirmed by reading IAM after a restart" : "read back from IAM") + "). The attacker can use it "
                + "too: rotate it and deactivate it again as soon as the workload has moved.");
    }

    @Override
    String byHand(String user) {
        return "make the key active in the IAM console (user " + user + ", Security credentials), or leave it "
                + "inactive.";
    }
}
