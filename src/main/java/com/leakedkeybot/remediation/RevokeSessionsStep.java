package com.leakedkeybot.remediation;

import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.remediation.port.InlinePolicies;
import com.leakedkeybot.step.StepKind;
import com.leakedkeybot.step.StepOutcome;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Runbook step 3 on the key's user: ends the temporary credentials minted with the key, which deactivating it does
 * not. The deny is dated at the approval, so executing and re-checking build the same document.
 */
public final class RevokeSessionsStep implements RemediationStep {

    private static final String FORMS = "It applies two forms: (1) every temporary credential the user obtained "
            + "before %s (its session tokens) is denied everything — its new long-term key keeps "
            + "working; (2) its federated-user sessions (GetFederationToken) are denied outright, new ones included, "
            + "because one public report says they escape the first form. sts:GetSessionToken itself cannot be "
            + "blocked by any policy: only the deactivated key stops new session tokens. Remove the policy once the "
            + "incident is closed if the user needs federation tokens. Sessions of roles the key assumed are not "
            + "affected by a policy on the user: they are revoked on each role (Revoke role sessions).";

    private final PolicyWrite write;

    public RevokeSessionsStep(InlinePolicies policies) {
        this.write = new PolicyWrite(policies);
    }

    @Override
    public StepKind kind() {
        return StepKind.REVOKE_SESSIONS;
    }

    @Override
    public StepOutcome execute(Incident incident, String target) {
        String user = incident.facts().userName();
        Instant approved = incident.step(StepKind.REVOKE_SESSIONS).orElseThrow().approvedAt();
        if (!write.apply(InlinePolicies.Holder.USER, user, RevocationPolicies.USER_POLICY,
                RevocationPolicies.user(approved))) {
            return StepOutcome.failure("IAM does not show the revocation policy as written on user " + user + ".",
                    "Open the user in the IAM console and check the inline policy " + RevocationPolicies.USER_POLICY
                            + "; add the deny by hand if it is missing.");
        }
        return revoked(user, approved, "read back from IAM");
    }

    @Override
    public StepOutcome reconcile(Incident incident, String target) {
        String user = incident.facts().userName();
        Instant approved = incident.step(StepKind.REVOKE_SESSIONS).orElseThrow().approvedAt();
        if (write.holds(InlinePolicies.Holder.USER, user, RevocationPolicies.USER_POLICY,
                RevocationPolicies.user(approved))) {
            return revoked(user, approved, "confirmed by reading IAM after a restart");
        }
        return StepOutcome.failure("Outcome unknown — the bot restarted mid-action; IAM does not hold the revocation "
                + "policy on user " + user + ".", "Retry to revoke the sessions now.");
    }

    private static StepOutcome revoked(String user, Instant approved, String how) {
        return StepOutcome.success("Inline policy " + RevocationPolicies.USER_POLICY + " is on user " + user + " ("
                + how + "). " + String.format(FORMS, approved.truncatedTo(ChronoUnit.SECONDS)));
    }
}
