package com.leakedkeybot.aws;

import com.leakedkeybot.remediation.RoleDirectory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iam.IamClient;

/** A role's unique id ({@code iam:GetRole}), for denies scoped to its sessions. */
public final class IamRoles implements RoleDirectory {

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
}
