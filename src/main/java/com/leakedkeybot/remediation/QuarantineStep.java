package com.leakedkeybot.remediation;

import com.leakedkeybot.blastradius.QuarantinePolicies;
import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.remediation.port.UserQuarantine;
import com.leakedkeybot.step.StepKind;
import com.leakedkeybot.step.StepOutcome;
import java.util.ArrayList;
import java.util.List;

/**
 * Attaches AWS's newest quarantine policy to the key's user, the way AWS does on its own when it finds a key in
 * public: recognises V1, V2, V3 and the legacy inline policy already there, and says what the quarantine leaves open,
 * because quarantine is not containment.
 */
public final class QuarantineStep implements RemediationStep {

    public static final String V3 = QuarantinePolicies.MANAGED_ARN_PREFIX + "V3";

    private final UserQuarantine iam;
    private final List<String> leftOpenByV3;

    public QuarantineStep(UserQuarantine iam, QuarantinePolicies quarantine) {
        this.iam = iam;
        this.leftOpenByV3 = quarantine.leftOpen(List.of(quarantine.document("AWSCompromisedKeyQuarantineV3")
                .orElseThrow()));
    }

    @Override
    public StepKind kind() {
        return StepKind.QUARANTINE;
    }

    @Override
    public StepOutcome execute(Incident incident, String target) {
        String user = incident.facts().userName();
        List<String> before = recognised(user);
        if (before.contains(name(V3))) {
            return StepOutcome.success(name(V3) + " was already attached to user " + user + " (found: "
                    + String.join(", ", before) + "); nothing was changed. " + leftOpen());
        }
        iam.attach(user, V3);
        if (!recognised(user).contains(name(V3))) {
            return StepOutcome.failure("IAM does not list " + name(V3) + " on user " + user + " after attaching it.",
                    "Attach " + V3 + " to the user in the IAM console.");
        }
        return StepOutcome.success("Attached " + name(V3) + " to user " + user + " (read back from IAM)"
                + (before.isEmpty() ? "" : "; already there: " + String.join(", ", before)) + ". " + leftOpen());
    }

    @Override
    public StepOutcome reconcile(Incident incident, String target) {
        String user = incident.facts().userName();
        if (recognised(user).contains(name(V3))) {
            return StepOutcome.success(name(V3) + " is attached to user " + user + " — confirmed by reading IAM "
                    + "after a restart. " + leftOpen());
        }
        return StepOutcome.failure("Outcome unknown — the bot restarted mid-action; IAM does not list " + name(V3)
                + " on user " + user + ".", "Retry to attach the quarantine policy.");
    }

    /** The quarantine policies on the user: managed ones by name, and AWS's legacy inline one. */
    private List<String> recognised(String user) {
        List<String> found = new ArrayList<>(iam.attachedPolicyArns(user).stream()
                .filter(arn -> arn.startsWith(QuarantinePolicies.MANAGED_ARN_PREFIX)).map(QuarantineStep::name)
                .sorted().toList());
        if (iam.inlinePolicyNames(user).contains(QuarantinePolicies.LEGACY_INLINE_NAME)) {
            found.add(QuarantinePolicies.LEGACY_INLINE_NAME + " (inline)");
        }
        return found;
    }

    private String leftOpen() {
        return "It does not block, among others: " + String.join(", ", leftOpenByV3) + " — revoke the sessions and "
                + "deactivate the key to contain it.";
    }

    private static String name(String arn) {
        return arn.substring(arn.lastIndexOf('/') + 1);
    }
}
