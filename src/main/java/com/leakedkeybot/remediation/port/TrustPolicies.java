package com.leakedkeybot.remediation.port;

import java.util.Optional;

/** Roles' trust policies (who may assume them), read and written by the revert of an attacker's change. */
public interface TrustPolicies {

    /** The role's trust policy, URL-decoded; empty when the role no longer exists. */
    Optional<String> trustPolicy(String roleName);

    void updateTrustPolicy(String roleName, String document);
}
