package com.leakedkeybot.remediation;

import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.investigation.DerivedCredential;
import com.leakedkeybot.remediation.port.InlinePolicies;
import com.leakedkeybot.remediation.port.RoleDirectory;
import com.leakedkeybot.step.StepId;
import com.leakedkeybot.step.StepKind;
import com.leakedkeybot.step.StepOutcome;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Runbook step 3 on a role the key (or its sessions) assumed: a policy on the user does not reach role sessions.
 * Where the investigation knows the attacker's session names, only those sessions are denied ({@code aws:userid} =
 * {@code <role id>:<session>}); otherwise every session older than the approval is, like the console's "revoke active
 * sessions" — which hits every legitimate user of the role too. Destructive for that reason: the two-person rule applies.
 * The target is the role's ARN.
 */
public final class RevokeRoleSessionsStep implements RemediationStep {

    private final PolicyWrite write;
    private final RoleDirectory roles;

    public RevokeRoleSessionsStep(InlinePolicies policies, RoleDirectory roles) {
        this.write = new PolicyWrite(policies);
        this.roles = roles;
    }

    /**
     * One revocation per role the key or its sessions assumed. Service-linked roles cannot be changed by anyone: they
     * get no step, only a note.
     */
    @Override
    public Proposals propose(Incident incident) {
        Set<String> assumed = incident.findings().derivedCredentials().stream().map(DerivedCredential::roleArn)
                .filter(Objects::nonNull).collect(Collectors.toCollection(TreeSet::new));
        List<String> serviceLinked = assumed.stream().filter(RevokeRoleSessionsStep::serviceLinked).toList();
        List<StepId> steps = assumed.stream().filter(arn -> !serviceLinked(arn))
                .map(arn -> new StepId(StepKind.REVOKE_ROLE_SESSIONS, arn)).toList();
        if (serviceLinked.isEmpty()) {
            return Proposals.of(steps);
        }
        return new Proposals(steps, List.of(new Proposals.Note("Sessions of service-linked roles", "The key's "
                + "sessions assumed " + String.join(", ", serviceLinked) + ". Service-linked roles cannot be changed, "
                + "so the bot cannot revoke these sessions; they expire on their own (at most 12 hours).")));
    }

    private static boolean serviceLinked(String roleArn) {
        return roleArn.contains(":role/aws-service-role/");
    }

    public static String roleName(String roleArn) {
        return roleArn.substring(roleArn.lastIndexOf('/') + 1);
    }

    @Override
    public StepKind kind() {
        return StepKind.REVOKE_ROLE_SESSIONS;
    }

    @Override
    public StepOutcome execute(Incident incident, String roleArn) {
        Revocation revocation = revocation(incident, roleArn);
        if (!write.apply(InlinePolicies.Holder.ROLE, roleName(roleArn), RevocationPolicies.ROLE_POLICY,
                revocation.document())) {
            return StepOutcome.failure("IAM does not show the revocation policy as written on role " + roleArn + ".",
                    "Check the role's inline policy " + RevocationPolicies.ROLE_POLICY + " in the IAM console, or use "
                            + "the console's Revoke active sessions.");
        }
        return StepOutcome.success(revocation.describe("read back from IAM"));
    }

    @Override
    public StepOutcome reconcile(Incident incident, String roleArn) {
        Revocation revocation = revocation(incident, roleArn);
        if (write.holds(InlinePolicies.Holder.ROLE, roleName(roleArn), RevocationPolicies.ROLE_POLICY,
                revocation.document())) {
            return StepOutcome.success(revocation.describe("confirmed by reading IAM after a restart"));
        }
        return StepOutcome.failure("Outcome unknown — the bot restarted mid-action; IAM does not hold the revocation "
                + "policy on role " + roleArn + ".", "Retry to revoke the role's sessions now.");
    }

    private Revocation revocation(Incident incident, String roleArn) {
        Set<String> sessions = incident.findings().derivedCredentials().stream()
                .filter(c -> roleArn.equals(c.roleArn()))
                .map(DerivedCredential::sessionName)
                .filter(Objects::nonNull)
                .collect(Collectors.toCollection(TreeSet::new));
        Instant approved = incident.step(new StepId(StepKind.REVOKE_ROLE_SESSIONS, roleArn)).orElseThrow().approvedAt();
        if (sessions.isEmpty()) {
            return new Revocation(roleArn, RevocationPolicies.roleOlderSessions(approved), null);
        }
        return new Revocation(roleArn, RevocationPolicies.roleSessions(roles.roleId(roleName(roleArn)), sessions),
                sessions);
    }

    /** @param sessions the attacker's sessions denied, or null for the every-older-session fallback */
    private record Revocation(String roleArn, String document, Set<String> sessions) {

        String describe(String how) {
            String policy = "Inline policy " + RevocationPolicies.ROLE_POLICY + " is on role " + roleArn + " (" + how
                    + "). ";
            if (sessions != null) {
                return policy + "It denies everything to the attacker's sessions only (" + String.join(", ", sessions)
                        + "); other users of the role are not affected.";
            }
            return policy + "The attacker's session names are unknown, so it denies every session of the role issued "
                    + "before the approval. Warning: that includes every legitimate user and service of the role, who "
                    + "must start new sessions.";
        }
    }
}
