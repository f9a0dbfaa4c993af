package com.leakedkeybot.remediation;

import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.remediation.port.AccessKeyControl;
import com.leakedkeybot.remediation.port.AwsActionFailure;
import com.leakedkeybot.remediation.port.OldKeys;
import com.leakedkeybot.step.StepId;
import com.leakedkeybot.step.StepKind;
import com.leakedkeybot.step.StepOutcome;
import com.leakedkeybot.step.StepState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of the rotation: deletes the leaked key, but only once a new key exists, the leaked one is inactive, and
 * IAM shows it unused since it was deactivated — a use after that means something still depends on it (or the
 * attacker tried it) and deleting would lose the evidence. Destructive: the two-person rule applies.
 */
public final class DeleteOldKeyStep implements RemediationStep {

    private static final Logger LOG = LoggerFactory.getLogger(DeleteOldKeyStep.class);
    private static final StepId DELETE = StepId.of(StepKind.DELETE_OLD_KEY);

    private final AccessKeyControl status;
    private final OldKeys keys;

    public DeleteOldKeyStep(AccessKeyControl status, OldKeys keys) {
        this.status = status;
        this.keys = keys;
    }

    @Override
    public StepKind kind() {
        return StepKind.DELETE_OLD_KEY;
    }

    /** Proposed only once the leaked key can go: after both the rotation and the deactivation. */
    @Override
    public Proposals propose(Incident incident) {
        try {
            return whyNotRetirable(incident).isEmpty() ? Proposals.of(List.of(DELETE)) : Proposals.NONE;
        } catch (AwsActionFailure failure) {
            LOG.warn("Could not check whether the old key of incident {} can go: {}", incident.id(),
                    failure.getMessage());
            return Proposals.NONE;
        }
    }

    @Override
    public StepOutcome execute(Incident incident, String target) {
        Optional<String> notYet = whyNotRetirable(incident);
        if (notYet.isPresent()) {
            return StepOutcome.failure("The old key was not deleted: " + notYet.get(),
                    "Find what still uses the key (CloudTrail, by access key id) before deleting it.");
        }
        String user = incident.facts().userName();
        keys.delete(user, incident.keyId());
        if (keys.exists(user, incident.keyId())) {
            return StepOutcome.failure("IAM still lists the key after the deletion.",
                    "Delete the key by hand in the IAM console (user " + user + ", Security credentials).");
        }
        return StepOutcome.success("The leaked key " + incident.keyId() + " is deleted (IAM no longer lists it).");
    }

    @Override
    public StepOutcome reconcile(Incident incident, String target) {
        if (!keys.exists(incident.facts().userName(), incident.keyId())) {
            return StepOutcome.success("The leaked key is deleted — confirmed by reading IAM after a restart.");
        }
        return StepOutcome.failure("Outcome unknown — the bot restarted mid-action; IAM still lists the key.",
                "Retry to delete the old key.");
    }

    private Optional<String> whyNotRetirable(Incident incident) {
        Optional<StepState> deactivated = incident.succeeded(StepKind.DEACTIVATE_KEY);
        if (incident.succeeded(StepKind.ROTATE_KEY).isEmpty()) {
            return Optional.of("no new key was created yet (rotate first).");
        }
        if (deactivated.isEmpty()) {
            return Optional.of("the key was not deactivated by the bot.");
        }
        String user = incident.facts().userName();
        if (status.status(user, incident.keyId()) != AccessKeyControl.Status.INACTIVE) {
            return Optional.of("IAM shows the key Active.");
        }
        Instant since = deactivated.get().approvedAt();
        Optional<Instant> used = keys.lastUsed(incident.keyId());
        if (used.isPresent() && !used.get().isBefore(since)) {
            return Optional.of("IAM shows it used at " + used.get() + ", after its deactivation at " + since + ".");
        }
        return Optional.empty();
    }
}
