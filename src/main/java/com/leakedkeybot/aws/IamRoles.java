package com.leakedkeybot.aws;

import com.leakedkeybot.remediation.port.RoleDirectory;
import com.leakedkeybot.remediation.port.TrustPolicies;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;

/**
 * Roles ({@code iam:GetRole}): their unique id, for denies scoped to their sessions, and their trust policy
 * ({@code iam:UpdateAssumeRolePolicy}), for reverting an attacker's change to it.
 */
public final class IamRoles implements RoleDirectory, TrustPolicies {

    private final IamClient iam;

    public IamRoles(IamClient iam) {
        this.iam = iam;
    }

    @Override
    public String roleId(String roleName) {
        try {
            return iam.getRole(r -> r.roleName(roleName)).role().roleId();
        } catch (SdkException e) {
            throw AwsFailures.of("iam:GetRole", e);
        }
    }

    @Override
    public Optional<String> trustPolicy(String roleName) {
        try {
            return Optional.of(IamInlinePolicies.decoded(
                    iam.getRole(r -> r.roleName(roleName)).role().assumeRolePolicyDocument()));
        } catch (NoSuchEntityException gone) {
            return Optional.empty();
        } catch (SdkException e) {
            throw AwsFailures.of("iam:GetRole", e);
        }
    }

    @Override
    public void updateTrustPolicy(String roleName, String document) {
        try {
            iam.updateAssumeRolePolicy(r -> r.roleName(roleName).policyDocument(document));
        } catch (SdkException e) {
            throw AwsFailures.of("iam:UpdateAssumeRolePolicy", e);
        }
    }
}
