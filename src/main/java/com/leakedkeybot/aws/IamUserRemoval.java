package com.leakedkeybot.aws;

import java.util.function.BooleanSupplier;
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
                .forEach(g -> removeFromGroup(user, g.groupName())));
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

    void removeFromGroup(String user, String group) {
        call("iam:RemoveUserFromGroup", () -> iam.removeUserFromGroup(r -> r.userName(user).groupName(group)));
    }

    boolean inGroup(String user, String group) {
        return listed("iam:ListGroupsForUser", () -> iam.listGroupsForUserPaginator(r -> r.userName(user)).groups()
                .stream().anyMatch(g -> g.groupName().equals(group)));
    }

    boolean userExists(String user) {
        return found("iam:GetUser", () -> iam.getUser(r -> r.userName(user)));
    }

    boolean accessKeyExists(String user, String keyId) {
        return listed("iam:ListAccessKeys", () -> iam.listAccessKeysPaginator(r -> r.userName(user))
                .accessKeyMetadata().stream().anyMatch(k -> k.accessKeyId().equals(keyId)));
    }

    boolean loginProfileExists(String user) {
        return found("iam:GetLoginProfile", () -> iam.getLoginProfile(r -> r.userName(user)));
    }

    boolean policyAttached(String user, String policyArn) {
        return listed("iam:ListAttachedUserPolicies", () -> iam.listAttachedUserPoliciesPaginator(r -> r.userName(user))
                .attachedPolicies().stream().anyMatch(p -> p.policyArn().equals(policyArn)));
    }

    /** Runs an IAM call, translating its failure under the action's name. */
    static void call(String action, Runnable call) {
        try {
            call.run();
        } catch (SdkException e) {
            throw AwsFailures.of(action, e);
        }
    }

    /** Whether a List… call of an entity's parts finds the part; false when the entity itself is gone. */
    static boolean listed(String action, BooleanSupplier list) {
        try {
            return list.getAsBoolean();
        } catch (NoSuchEntityException gone) {
            return false;
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
