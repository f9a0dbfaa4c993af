package com.leakedkeybot.remediation;

import com.leakedkeybot.blastradius.QuarantinePolicies;
import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.remediation.port.UserQuarantine;
import com.leakedkeybot.step.StepKind;
import com.leakedkeybot.step.StepOutcome;
import java.util.List;

/**
 * Attaches AWS's newest quarantine policy to the key's user, the way AWS does on its own when it finds a key in
 * public: recognises V1, V2, V3 and the legacy inline policy already there, and says what the quarantine leaves open,
 * because quarantine is not containment.
 */
public final class QuarantineStep implements RemediationStep {

    public static final String V3 = QuarantinePolicies.MANAGED_ARN_PREFIX + "V3";
    private static final String V3_NAME = QuarantinesOnUser.name(V3);

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
        if (before.contains(V3_NAME)) {
            return StepOutcome.success(V3_NAME + " was already attached to user " + user + " (found: "
                    + String.join(", ", before) + "); nothing was changed. " + leftOpen());
        }
        iam.attach(user, V3);
        if (!recognised(user).contains(V3_NAME)) {
            return StepOutcome.failure("IAM does not list " + V3_NAME + " on user " + user + " after attaching it.",
                    "Attach " + V3 + " to the user in the IAM console.");
        }
        return StepOutcome.success("Attached " + V3_NAME + " to user " + user + " (read back from IAM)"
                + (before.isEmpty() ? "" : "; already there: " + String.join(", ", before)) + ". " + leftOpen());
    }

    @Override
    public StepOutcome reconcile(Incident incident, String target) {
        String user = incident.facts().userName();
        if (recognised(user).contains(V3_NAME)) {
            return StepOutcome.success(V3_NAME + " is attached to user " + user + " — confirmed by reading IAM "
                    + "after a restart. " + leftOpen());
        }
        return StepOutcome.failure("Outcome unknown — the bot restarted mid-action; IAM does not list " + V3_NAME
                + " on user " + user + ".", "Retry to attach the quarantine policy.");
    }

    /** The quarantine policies on the user: managed ones by name, and AWS's legacy inline one. */
    private List<String> recognised(String user) {
        return QuarantinesOnUser.read(iam, user).names();
    }

    private String leftOpen() {
        return "It does not block, among others: " + String.join(", ", leftOpenByV3) + " — revoke the sessions and "
                + "deactivate the key to contain it.";
    }
}
