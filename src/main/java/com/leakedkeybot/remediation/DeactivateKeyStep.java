package com.leakedkeybot.remediation;

import com.leakedkeybot.remediation.port.AccessKeyControl;
import com.leakedkeybot.step.StepKind;
import com.leakedkeybot.step.StepOutcome;

/**
 * Runbook step 2: make the leaked key inactive ({@code iam:UpdateAccessKey Status=Inactive}, read back). Deactivating,
 * not deleting, keeps the key restorable if production breaks and keeps its history.
 */
public final class DeactivateKeyStep extends KeyStatusStep {

    private static final String AFTER = "It can be reactivated if a legitimate workload breaks. Temporary credentials "
            + "minted from it stay valid until revoked.";

    public DeactivateKeyStep(AccessKeyControl keys) {
        super(keys, AccessKeyControl.Status.INACTIVE);
    }

    @Override
    public StepKind kind() {
        return StepKind.DEACTIVATE_KEY;
    }

    @Override
    StepOutcome reached(boolean afterRestart) {
        return StepOutcome.success(afterRestart
                ? "The key is Inactive — confirmed by reading IAM after a restart. " + AFTER
                : "The key is now Inactive (read back from IAM). " + AFTER);
    }

    @Override
    String byHand(String user) {
        return "make the key inactive in the IAM console (user " + user + ", Security credentials).";
    }
}
