package com.leakedkeybot.remediation.port;

import java.util.Optional;
import java.util.Set;

/** The versions of a customer managed policy, for undoing a version the attacker created. */
public interface PolicyVersions {

    /** @param ids every version the policy has; {@code defaultId} is the one in force */
    record Versions(String defaultId, Set<String> ids) {

        public Versions {
            ids = Set.copyOf(ids);
        }
    }

    /** Empty when the policy no longer exists. */
    Optional<Versions> versions(String policyArn);

    void setDefault(String policyArn, String versionId);

    void delete(String policyArn, String versionId);
}
