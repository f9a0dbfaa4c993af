package com.leakedkeybot.remediation;

import com.leakedkeybot.blastradius.BlastRadius;
import com.leakedkeybot.blastradius.QuarantinePolicies;
import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.remediation.port.AccessKeyControl;
import com.leakedkeybot.remediation.port.AwsActionFailure;
import com.leakedkeybot.remediation.port.UserQuarantine;
import com.leakedkeybot.step.StepId;
import com.leakedkeybot.step.StepKind;
import com.leakedkeybot.step.StepOutcome;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Detaches AWS's quarantine from the key's user once it only stands in the way: the leaked key is inactive and the
 * user's older sessions are revoked, so the quarantine's denies now hit the user's new key alone. Every managed
 * version found (V1, V2, V3) goes, because each denies the new key; which one AWS or the bot attached does not
 * matter. AWS's legacy inline policy is named, not deleted: it is AWS's, from before the managed ones.
 */
public final class LiftQuarantineStep implements RemediationStep {

    private static final Logger LOG = LoggerFactory.getLogger(LiftQuarantineStep.class);
    private static final StepId LIFT = StepId.of(StepKind.LIFT_QUARANTINE);

    private final UserQuarantine iam;
    private final AccessKeyControl keys;

    public LiftQuarantineStep(UserQuarantine iam, AccessKeyControl keys) {
        this.iam = iam;
        this.keys = keys;
    }

    @Override
    public StepKind kind() {
        return StepKind.LIFT_QUARANTINE;
    }

    /**
     * Proposed once the key was deactivated and the sessions revoked, in either order, and a quarantine is on the
     * user as IAM lists it now (AWS may attach one after the blast radius was read, or a person detach it); when IAM
     * cannot be read, as the incident knows it (the bot's quarantine, or the one the analysis found).
     */
    @Override
    public Proposals propose(Incident incident) {
        if (incident.succeeded(StepKind.DEACTIVATE_KEY).isEmpty()
                || incident.succeeded(StepKind.REVOKE_SESSIONS).isEmpty()) {
            return Proposals.NONE;
        }
        boolean quarantined;
        try {
            quarantined = !QuarantinesOnUser.read(iam, incident.facts().userName()).managedArns().isEmpty();
        } catch (AwsActionFailure failure) {
            LOG.warn("Could not read the quarantine on the user of incident {}: {}", incident.id(),
                    failure.getMessage());
            BlastRadius radius = incident.findings().blastRadius();
            quarantined = incident.succeeded(StepKind.QUARANTINE).isPresent()
                    || radius != null && radius.quarantine() != null && radius.quarantine().quarantined();
        }
        return quarantined ? Proposals.of(List.of(LIFT)) : Proposals.NONE;
    }

    @Override
    public StepOutcome execute(Incident incident, String target) {
        String user = incident.facts().userName();
        Optional<String> unsafe = whyNotYet(incident, user);
        if (unsafe.isPresent()) {
            return StepOutcome.failure("The quarantine was not lifted: " + unsafe.get(), "Contain the leaked key "
                    + "again (Deactivate key, Revoke sessions), then retry.");
        }
        QuarantinesOnUser before = QuarantinesOnUser.read(iam, user);
        if (before.managedArns().isEmpty()) {
            return StepOutcome.success("No AWS quarantine policy is attached to user " + user + "; nothing was "
                    + "changed." + legacy(before));
        }
        before.managedArns().forEach(arn -> iam.detach(user, arn));
        QuarantinesOnUser after = QuarantinesOnUser.read(iam, user);
        if (!after.managedArns().isEmpty()) {
            return StepOutcome.failure("IAM still lists " + String.join(", ", after.names()) + " on user " + user
                    + " after detaching.", "Detach it from the user in the IAM console.");
        }
        return StepOutcome.success("Detached " + String.join(", ", before.managedArns().stream()
                .map(QuarantinesOnUser::name).toList()) + " from user " + user + " (read back from IAM): the new "
                + "key is no longer limited by AWS's quarantine." + legacy(after));
    }

    @Override
    public StepOutcome reconcile(Incident incident, String target) {
        String user = incident.facts().userName();
        QuarantinesOnUser found = QuarantinesOnUser.read(iam, user);
        if (found.managedArns().isEmpty()) {
            return StepOutcome.success("No AWS quarantine policy is attached to user " + user + " — confirmed by "
                    + "reading IAM after a restart." + legacy(found));
        }
        return StepOutcome.failure("Outcome unknown — the bot restarted mid-action; IAM still lists "
                + String.join(", ", found.names()) + " on user " + user + ".", "Retry to lift the quarantine.");
    }

    /** Checked again at execution: a key switched back on, or a revocation removed, would be freed too. */
    private Optional<String> whyNotYet(Incident incident, String user) {
        try {
            if (keys.status(user, incident.keyId()) == AccessKeyControl.Status.ACTIVE) {
                return Optional.of("IAM shows the leaked key " + incident.keyId() + " Active again.");
            }
        } catch (AwsActionFailure failure) {
            if (failure.kind() != AwsActionFailure.Kind.NOT_FOUND) {
                throw failure;
            }
            // The leaked key is deleted: it can use nothing.
        }
        if (!iam.inlinePolicyNames(user).contains(RevocationPolicies.USER_POLICY)) {
            return Optional.of("the revocation policy " + RevocationPolicies.USER_POLICY + " is no longer on user "
                    + user + ", so sessions minted with the leaked key would be freed too.");
        }
        return Optional.empty();
    }

    private static String legacy(QuarantinesOnUser found) {
        return found.legacyInline() ? " AWS's legacy inline policy " + QuarantinePolicies.LEGACY_INLINE_NAME
                + " is still on the user and still limits it: the bot does not delete it; remove it in the IAM "
                + "console once the incident is over." : "";
    }
}
