package com.leakedkeybot.aws;

import static com.leakedkeybot.aws.IamUserRemoval.call;
import static com.leakedkeybot.aws.IamUserRemoval.found;

import software.amazon.awssdk.services.iam.IamClient;

/**
 * Deletes a role the attacker created (IAM requires its policies and instance profiles gone first), or detaches a
 * policy the attacker attached to a role.
 */
final class RoleRemoval {

    private final IamClient iam;

    RoleRemoval(IamClient iam) {
        this.iam = iam;
    }

    void deleteRole(String role) {
        call("iam:ListAttachedRolePolicies", () -> iam.listAttachedRolePoliciesPaginator(r -> r.roleName(role))
                .attachedPolicies().forEach(p -> call("iam:DetachRolePolicy",
                        () -> iam.detachRolePolicy(r -> r.roleName(role).policyArn(p.policyArn())))));
        call("iam:ListRolePolicies", () -> iam.listRolePoliciesPaginator(r -> r.roleName(role)).policyNames()
                .forEach(name -> call("iam:DeleteRolePolicy",
                        () -> iam.deleteRolePolicy(r -> r.roleName(role).policyName(name)))));
        call("iam:ListInstanceProfilesForRole", () -> iam.listInstanceProfilesForRolePaginator(r -> r.roleName(role))
                .instanceProfiles().forEach(p -> call("iam:RemoveRoleFromInstanceProfile",
                        () -> iam.removeRoleFromInstanceProfile(r -> r.roleName(role)
                                .instanceProfileName(p.instanceProfileName())))));
        call("iam:DeleteRole", () -> iam.deleteRole(r -> r.roleName(role)));
    }

    void detachPolicy(String role, String policyArn) {
        call("iam:DetachRolePolicy", () -> iam.detachRolePolicy(r -> r.roleName(role).policyArn(policyArn)));
    }

    boolean policyAttached(String role, String policyArn) {
        return IamUserRemoval.listed("iam:ListAttachedRolePolicies", () -> iam.listAttachedRolePoliciesPaginator(
                r -> r.roleName(role)).attachedPolicies().stream().anyMatch(p -> p.policyArn().equals(policyArn)));
    }

    boolean exists(String role) {
        return found("iam:GetRole", () -> iam.getRole(r -> r.roleName(role)));
    }
}
