package com.leakedkeybot.remediation;

import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.investigation.DerivedCredential;
import com.leakedkeybot.remediation.port.InlinePolicies;
import com.leakedkeybot.remediation.port.RoleDirectory;
import com.leakedkeybot.step.StepId;
import com.leakedkeybot.step.StepKind;
import com.leakedkeybot.step.StepOutcome;
import java.time.Instant;
import java.util.ArrayList;
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
     * One revocation per role of this account the key or its sessions assumed. Service-linked roles cannot be changed
     * by anyone, and roles of other accounts are not the bot's to change (a deny written by name would land on a
     * same-named role here): they get no step, only a note.
     */
    @Override
    public Proposals propose(Incident incident) {
        Set<String> assumed = incident.findings().derivedCredentials().stream().map(DerivedCredential::roleArn)
                .filter(Objects::nonNull).collect(Collectors.toCollection(TreeSet::new));
        String own = incident.facts().actingAccount();
        List<String> serviceLinked = assumed.stream().filter(RevokeRoleSessionsStep::serviceLinked).toList();
        List<String> elsewhere = assumed.stream().filter(arn -> !serviceLinked(arn) && !inAccount(arn, own)).toList();
        List<StepId> steps = assumed.stream().filter(arn -> !serviceLinked(arn) && inAccount(arn, own))
                .map(arn -> new StepId(StepKind.REVOKE_ROLE_SESSIONS, arn)).toList();
        List<Proposals.Note> notes = new ArrayList<>();
        if (!serviceLinked.isEmpty()) {
            notes.add(new Proposals.Note("Sessions of service-linked roles", "The key's sessions assumed "
                    + String.join(", ", serviceLinked) + ". Service-linked roles cannot be changed, so the bot cannot "
                    + "revoke these sessions; they expire on their own (at most 12 hours)."));
        }
        if (!elsewhere.isEmpty()) {
            notes.add(new Proposals.Note("Sessions of roles in other accounts", "The key's sessions assumed "
                    + String.join(", ", elsewhere) + ", outside the account the bot acts in ("
                    + (own == null ? "unknown" : own) + "). Revoke them in each role's own account: IAM console, the "
                    + "role, Revoke active sessions — or ask that account's owners to."));
        }
        return new Proposals(steps, notes);
    }

    private static boolean serviceLinked(String roleArn) {
        return roleArn.contains(":role/aws-service-role/");
    }

    /** {@code arn:aws:iam::<account>:role/…}; false when the bot's own account is unknown: nothing is assumed. */
    private static boolean inAccount(String roleArn, String account) {
        String[] parts = roleArn.split(":", 6);
        return account != null && parts.length == 6 && parts[4].equals(account);
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
        return new Revocation(roleArn, RevocationPolicies.roleSessions(roles.roleId(roleName(roleArn)), sessions,
                approved), sessions);
    }

    /** @param sessions the attacker's sessions denied, or null for the every-older-session fallback */
    private record Revocation(String roleArn, String document, Set<String> sessions) {

        String describe(String how) {
            String policy = "Inline policy " + RevocationPolicies.ROLE_POLICY + " is on role " + roleArn + " (" + how
                    + "). ";
            if (sessions != null) {
                return policy + "It denies everything to the attacker's sessions only (" + String.join(", ", sessions)
                        + ") issued before the approval; other users of the role, and later sessions that reuse one "
                        + "of these names, are not affected.";
            }
            return policy + "The attacker's session names are unknown, so it denies every session of the role issued "
                    + "before the approval. Warning: that includes every legitimate user and service of the role, who "
                    + "must start new sessions.";
        }
    }
}
