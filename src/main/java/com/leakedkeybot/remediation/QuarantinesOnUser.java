package com.leakedkeybot.remediation;

import com.leakedkeybot.blastradius.QuarantinePolicies;
import com.leakedkeybot.remediation.port.UserQuarantine;
import java.util.ArrayList;
import java.util.List;

/**
 * AWS's quarantine policies IAM lists on a user: the managed ones (V1, V2, V3), sorted, and whether the legacy inline
 * one is there.
 */
record QuarantinesOnUser(List<String> managedArns, boolean legacyInline) {

    QuarantinesOnUser {
        managedArns = List.copyOf(managedArns);
    }

    static QuarantinesOnUser read(UserQuarantine iam, String user) {
        return new QuarantinesOnUser(iam.attachedPolicyArns(user).stream()
                .filter(arn -> arn.startsWith(QuarantinePolicies.MANAGED_ARN_PREFIX)).sorted().toList(),
                iam.inlinePolicyNames(user).contains(QuarantinePolicies.LEGACY_INLINE_NAME));
    }

    boolean any() {
        return !managedArns.isEmpty() || legacyInline;
    }

    /** For the thread: {@code AWSCompromisedKeyQuarantineV2, AWSExposedCredentialPolicy_DO_NOT_REMOVE (inline)}. */
    List<String> names() {
        List<String> names = new ArrayList<>(managedArns.stream().map(QuarantinesOnUser::name).toList());
        if (legacyInline) {
            names.add(QuarantinePolicies.LEGACY_INLINE_NAME + " (inline)");
        }
        return names;
    }

    static String name(String arn) {
        return arn.substring(arn.lastIndexOf('/') + 1);
    }
}
