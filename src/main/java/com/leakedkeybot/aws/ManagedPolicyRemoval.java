package com.leakedkeybot.aws;

import static com.leakedkeybot.aws.IamUserRemoval.call;
import static com.leakedkeybot.aws.IamUserRemoval.found;

import software.amazon.awssdk.services.iam.IamClient;

/**
 * Removes what the attacker did with managed policies: a policy they attached to a group, or a policy they created
 * (IAM requires it detached everywhere and its other versions deleted first).
 */
final class ManagedPolicyRemoval {

    private final IamClient iam;

    ManagedPolicyRemoval(IamClient iam) {
        this.iam = iam;
    }

    void deletePolicy(String policyArn) {
        call("iam:ListEntitiesForPolicy", () -> iam.listEntitiesForPolicyPaginator(r -> r.policyArn(policyArn))
                .forEach(page -> {
                    page.policyUsers().forEach(u -> call("iam:DetachUserPolicy",
                            () -> iam.detachUserPolicy(r -> r.userName(u.userName()).policyArn(policyArn))));
                    page.policyGroups().forEach(g -> detachFromGroup(g.groupName(), policyArn));
                    page.policyRoles().forEach(role -> call("iam:DetachRolePolicy",
                            () -> iam.detachRolePolicy(r -> r.roleName(role.roleName()).policyArn(policyArn))));
                }));
        call("iam:ListPolicyVersions", () -> iam.listPolicyVersionsPaginator(r -> r.policyArn(policyArn)).versions()
                .stream().filter(v -> !Boolean.TRUE.equals(v.isDefaultVersion()))
                .forEach(v -> call("iam:DeletePolicyVersion",
                        () -> iam.deletePolicyVersion(r -> r.policyArn(policyArn).versionId(v.versionId())))));
        call("iam:DeletePolicy", () -> iam.deletePolicy(r -> r.policyArn(policyArn)));
    }

    boolean policyExists(String policyArn) {
        return found("iam:GetPolicy", () -> iam.getPolicy(r -> r.policyArn(policyArn)));
    }

    void detachFromGroup(String group, String policyArn) {
        call("iam:DetachGroupPolicy", () -> iam.detachGroupPolicy(r -> r.groupName(group).policyArn(policyArn)));
    }

    boolean attachedToGroup(String group, String policyArn) {
        return IamUserRemoval.listed("iam:ListAttachedGroupPolicies",
                () -> iam.listAttachedGroupPoliciesPaginator(r -> r.groupName(group)).attachedPolicies().stream()
                        .anyMatch(p -> p.policyArn().equals(policyArn)));
    }
}
