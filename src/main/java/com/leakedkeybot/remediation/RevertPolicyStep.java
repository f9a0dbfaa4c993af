package com.leakedkeybot.remediation;

import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.PolicyRevert;
import com.leakedkeybot.investigation.AffectedResource;
import com.leakedkeybot.remediation.port.InlinePolicies;
import com.leakedkeybot.remediation.port.PolicyVersions;
import com.leakedkeybot.remediation.port.TrustPolicies;
import com.leakedkeybot.step.StepKind;
import com.leakedkeybot.step.StepOutcome;
import java.util.Optional;

/**
 * Runbook step 5 for what the attacker changed rather than created: puts back, or deletes, one policy document as
 * decided when the trail was read ({@link PolicyRevert}). It first reads the document from IAM: if it is no longer
 * the attacker's, someone changed it since, and nothing is changed. Destructive (it overwrites or deletes a policy):
 * two-person rule. One step per document; its target names the change as the clean-up does.
 */
public final class RevertPolicyStep implements RemediationStep {

    private static final String CHANGED_SINCE = "Nothing was changed. Compare it with the attacker's document (in the "
            + "incident's CloudTrail findings) and with what it should be, and fix it by hand if needed.";

    private final InlinePolicies inline;
    private final TrustPolicies trust;
    private final PolicyVersions versions;

    public RevertPolicyStep(InlinePolicies inline, TrustPolicies trust, PolicyVersions versions) {
        this.inline = inline;
        this.trust = trust;
        this.versions = versions;
    }

    /**
     * A button for every revert of a change from a source marked or presumed the attacker's that has one; the runbook
     * posts guidance for the others.
     */
    @Override
    public Proposals propose(Incident incident) {
        return Proposals.of(incident.findings().policyReverts().stream()
                .filter(r -> r.plan() != PolicyRevert.Plan.MANUAL && incident.presume(r.change()).attacker())
                .map(PolicyRevert::step).toList());
    }

    @Override
    public StepKind kind() {
        return StepKind.REVERT_POLICY;
    }

    @Override
    public StepOutcome execute(Incident incident, String target) {
        Optional<PolicyRevert> found = find(incident, target);
        if (found.isEmpty()) {
            return StepOutcome.notAmongFindings("This is not among the policy changes the attacker's sources made: the "
                    + "investigated keys did not make it, or its source is marked or presumed the owner's.");
        }
        PolicyRevert revert = found.get();
        return revert.change().kind() == AffectedResource.Kind.IAM_POLICY_VERSION ? executeVersion(revert)
                : executeDocument(revert);
    }

    @Override
    public StepOutcome reconcile(Incident incident, String target) {
        Optional<PolicyRevert> found = find(incident, target);
        boolean done = found.map(r -> r.change().kind() == AffectedResource.Kind.IAM_POLICY_VERSION
                ? versionReverted(r, versions.versions(r.change().parent()))
                : documentReverted(r, read(r))).orElse(false);
        if (done) {
            return StepOutcome.success(found.get().change().kind().label() + " " + found.get().change().identifier()
                    + " is reverted — confirmed by reading IAM after a restart.");
        }
        return StepOutcome.failure("Outcome unknown — the bot restarted mid-action; IAM does not show the change "
                + "reverted.", "Retry: the bot checks again that the attacker's document is still there first.");
    }

    private StepOutcome executeDocument(PolicyRevert revert) {
        Optional<String> current = read(revert);
        if (documentReverted(revert, current)) {
            return StepOutcome.success(what(revert) + " already holds what the revert would leave; nothing was "
                    + "changed.");
        }
        if (current.isEmpty() || !RevocationPolicies.same(revert.attackerDocument(), current.get())) {
            return StepOutcome.failure(what(revert) + (current.isEmpty() ? " no longer exists" : " no longer holds "
                    + "the attacker's document") + ": it was changed after the attacker's change.", CHANGED_SINCE);
        }
        write(revert);
        if (!documentReverted(revert, read(revert))) {
            return StepOutcome.failure("IAM does not show " + what(revert) + " reverted after the write.",
                    "Check it in the IAM console and tell the thread.");
        }
        return StepOutcome.success(revert.plan() == PolicyRevert.Plan.DELETE
                ? what(revert) + " is deleted (IAM no longer shows it)."
                : what(revert) + " holds the earlier document again (read back from IAM).");
    }

    private StepOutcome executeVersion(PolicyRevert revert) {
        String policy = revert.change().parent();
        String attackers = revert.change().identifier();
        Optional<PolicyVersions.Versions> now = versions.versions(policy);
        if (versionReverted(revert, now)) {
            return StepOutcome.success("Policy " + policy + " already shows the revert; nothing was changed.");
        }
        String defaultNow = now.map(PolicyVersions.Versions::defaultId).orElse(null);
        // As the attacker left it: their version is there, and the default is theirs (or already the earlier one)
        // for a restore, or anything but theirs for a version they did not make the default.
        boolean asLeft = now.isPresent() && now.get().ids().contains(attackers)
                && (revert.plan() == PolicyRevert.Plan.RESTORE
                ? attackers.equals(defaultNow) || revert.earlierDefault().equals(defaultNow)
                : !attackers.equals(defaultNow));
        if (!asLeft) {
            return StepOutcome.failure("Policy " + policy + " has changed since the attacker created version "
                    + attackers + " (" + (now.isEmpty() ? "the policy is gone" : "default now " + defaultNow) + ").",
                    CHANGED_SINCE);
        }
        if (attackers.equals(defaultNow)) {
            if (!now.get().ids().contains(revert.earlierDefault())) {
                return StepOutcome.failure("Version " + revert.earlierDefault() + " of policy " + policy
                        + " no longer exists, so it cannot be made the default again.", CHANGED_SINCE);
            }
            versions.setDefault(policy, revert.earlierDefault());
        }
        versions.delete(policy, attackers);
        if (!versionReverted(revert, versions.versions(policy))) {
            return StepOutcome.failure("IAM does not show policy " + policy + " reverted after the change.",
                    "Check its versions in the IAM console and tell the thread.");
        }
        return StepOutcome.success("Version " + attackers + " of policy " + policy + " is deleted"
                + (revert.earlierDefault() == null ? "" : "; the default is " + revert.earlierDefault() + " again")
                + " (read back from IAM).");
    }

    /** Whether IAM shows what the revert leaves: the earlier document, or no policy. */
    private static boolean documentReverted(PolicyRevert revert, Optional<String> current) {
        if (revert.plan() == PolicyRevert.Plan.DELETE) {
            return current.isEmpty();
        }
        return current.isPresent() && RevocationPolicies.same(revert.earlier().document(), current.get());
    }

    private static boolean versionReverted(PolicyRevert revert, Optional<PolicyVersions.Versions> now) {
        return now.isPresent() && !now.get().ids().contains(revert.change().identifier())
                && (revert.earlierDefault() == null || revert.earlierDefault().equals(now.get().defaultId()));
    }

    private Optional<String> read(PolicyRevert revert) {
        AffectedResource change = revert.change();
        return holder(change).map(h -> inline.get(h, change.parent(), change.identifier()))
                .orElseGet(() -> trust.trustPolicy(change.identifier()));
    }

    private void write(PolicyRevert revert) {
        AffectedResource change = revert.change();
        Optional<InlinePolicies.Holder> holder = holder(change);
        if (holder.isEmpty()) {
            trust.updateTrustPolicy(change.identifier(), revert.earlier().document());
        } else if (revert.plan() == PolicyRevert.Plan.DELETE) {
            inline.delete(holder.get(), change.parent(), change.identifier());
        } else {
            inline.put(holder.get(), change.parent(), change.identifier(), revert.earlier().document());
        }
    }

    /** The inline policy's holder; empty for a trust policy. */
    private static Optional<InlinePolicies.Holder> holder(AffectedResource change) {
        return switch (change.kind()) {
            case IAM_USER_INLINE_POLICY -> Optional.of(InlinePolicies.Holder.USER);
            case IAM_ROLE_INLINE_POLICY -> Optional.of(InlinePolicies.Holder.ROLE);
            case IAM_GROUP_INLINE_POLICY -> Optional.of(InlinePolicies.Holder.GROUP);
            default -> Optional.empty();
        };
    }

    private static String what(PolicyRevert revert) {
        AffectedResource change = revert.change();
        return change.kind() == AffectedResource.Kind.IAM_ROLE_TRUST_POLICY
                ? "The trust policy of role " + change.identifier()
                : "Inline policy " + change.identifier() + " of " + change.kind().parentLabel() + " " + change.parent();
    }

    private static Optional<PolicyRevert> find(Incident incident, String target) {
        return incident.findings().policyReverts().stream()
                .filter(r -> r.plan() != PolicyRevert.Plan.MANUAL && r.target().equals(target)
                        && incident.presume(r.change()).attacker()).findFirst();
    }
}
