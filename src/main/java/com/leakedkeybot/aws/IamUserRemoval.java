package com.leakedkeybot.aws;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;

/**
 * Removes an IAM user the attacker created, or parts of a user: IAM refuses DeleteUser while keys, a login profile,
 * policies or group memberships remain, so those go first.
 */
final class IamUserRemoval {

    private final IamClient iam;

    IamUserRemoval(IamClient iam) {
        this.iam = iam;
    }

    void deleteUser(String user) {
        call("iam:ListAccessKeys", () -> iam.listAccessKeysPaginator(r -> r.userName(user)).accessKeyMetadata()
                .forEach(k -> deleteAccessKey(user, k.accessKeyId())));
        deleteLoginProfile(user);
        call("iam:ListAttachedUserPolicies", () -> iam.listAttachedUserPoliciesPaginator(r -> r.userName(user))
                .attachedPolicies().forEach(p -> detachPolicy(user, p.policyArn())));
        call("iam:ListUserPolicies", () -> iam.listUserPoliciesPaginator(r -> r.userName(user)).policyNames()
                .forEach(name -> call("iam:DeleteUserPolicy",
                        () -> iam.deleteUserPolicy(r -> r.userName(user).policyName(name)))));
        call("iam:ListGroupsForUser", () -> iam.listGroupsForUserPaginator(r -> r.userName(user)).groups()
                .forEach(g -> call("iam:RemoveUserFromGroup",
                        () -> iam.removeUserFromGroup(r -> r.userName(user).groupName(g.groupName())))));
        call("iam:DeleteUser", () -> iam.deleteUser(r -> r.userName(user)));
    }

    void deleteAccessKey(String user, String keyId) {
        call("iam:DeleteAccessKey", () -> iam.deleteAccessKey(r -> r.userName(user).accessKeyId(keyId)));
    }

    /** Absent is fine: most users have no console password. */
    void deleteLoginProfile(String user) {
        try {
            iam.deleteLoginProfile(r -> r.userName(user));
        } catch (NoSuchEntityException none) {
            // nothing to remove
        } catch (SdkException e) {
            throw AwsFailures.of("iam:DeleteLoginProfile", e);
        }
    }

    void detachPolicy(String user, String policyArn) {
        call("iam:DetachUserPolicy", () -> iam.detachUserPolicy(r -> r.userName(user).policyArn(policyArn)));
    }

    boolean userExists(String user) {
        return found("iam:GetUser", () -> iam.getUser(r -> r.userName(user)));
    }

    boolean accessKeyExists(String user, String keyId) {
        try {
            return iam.listAccessKeysPaginator(r -> r.userName(user)).accessKeyMetadata().stream()
                    .anyMatch(k -> k.accessKeyId().equals(keyId));
        } catch (NoSuchEntityException gone) {
            return false;
        } catch (SdkException e) {
            throw AwsFailures.of("iam:ListAccessKeys", e);
        }
    }

    boolean loginProfileExists(String user) {
        return found("iam:GetLoginProfile", () -> iam.getLoginProfile(r -> r.userName(user)));
    }

    boolean policyAttached(String user, String policyArn) {
        try {
            return iam.listAttachedUserPoliciesPaginator(r -> r.userName(user)).attachedPolicies().stream()
                    .anyMatch(p -> p.policyArn().equals(policyArn));
        } catch (NoSuchEntityException gone) {
            return false;
        } catch (SdkException e) {
            throw AwsFailures.of("iam:ListAttachedUserPolicies", e);
        }
    }

    /** Runs an IAM call, translating its failure under the action's name. */
    static void call(String action, Runnable call) {
        try {
            call.run();
        } catch (SdkException e) {
            throw AwsFailures.of(action, e);
        }
    }

    /** Whether a Get… call finds the entity. */
    static boolean found(String action, Runnable get) {
        try {
            get.run();
            return true;
        } catch (NoSuchEntityException gone) {
            return false;
        } catch (SdkException e) {
            throw AwsFailures.of(action, e);
        }
    }
}
