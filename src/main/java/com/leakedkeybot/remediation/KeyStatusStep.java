package com.leakedkeybot.remediation;

import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.remediation.port.AccessKeyControl;
import com.leakedkeybot.step.StepOutcome;

/**
 * Switching the leaked key to one status, and proving it by reading IAM back: what deactivation and its undo share.
 * Only the wording differs between the two.
 */
abstract sealed class KeyStatusStep implements RemediationStep permits DeactivateKeyStep, ReactivateKeyStep {

    private final AccessKeyControl keys;
    private final AccessKeyControl.Status wanted;

    KeyStatusStep(AccessKeyControl keys, AccessKeyControl.Status wanted) {
        this.keys = keys;
        this.wanted = wanted;
    }

    /** What the key having the wanted status means, read back at once or after a restart. */
    abstract StepOutcome reached(boolean afterRestart);

    /** What to do when IAM still shows the other status: by hand, or a retry after an interrupted attempt. */
    abstract String byHand(String user);

    @Override
    public final StepOutcome execute(Incident incident, String target) {
        String user = incident.facts().userName();
        AccessKeyControl.Status now = keys.switchTo(user, incident.keyId(), wanted);
        if (now != wanted) {
            return StepOutcome.failure("IAM still reports the key as " + now + " after the update.", byHand(user));
        }
        return reached(false);
    }

    @Override
    public final StepOutcome reconcile(Incident incident, String target) {
        String user = incident.facts().userName();
        AccessKeyControl.Status now = keys.status(user, incident.keyId());
        if (now == wanted) {
            return reached(true);
        }
        return StepOutcome.failure("Outcome unknown — the bot restarted mid-action; IAM shows the key still "
                + (now == AccessKeyControl.Status.ACTIVE ? "Active" : "Inactive") + ".",
                "The interrupted attempt did not take effect. Retry, or " + byHand(user));
    }
}
