package com.leakedkeybot.remediation;

import com.leakedkeybot.remediation.port.InlinePolicies;

/** Writes an inline policy and proves, by reading it back, that IAM holds exactly that document. */
final class PolicyWrite {

    private final InlinePolicies policies;

    PolicyWrite(InlinePolicies policies) {
        this.policies = policies;
    }

    /** @return whether IAM now holds {@code document} under that name */
    boolean apply(InlinePolicies.Holder holder, String holderName, String policyName, String document) {
        policies.put(holder, holderName, policyName, document);
        return holds(holder, holderName, policyName, document);
    }

    boolean holds(InlinePolicies.Holder holder, String holderName, String policyName, String document) {
        return policies.get(holder, holderName, policyName)
                .map(actual -> RevocationPolicies.same(document, actual))
                .orElse(false);
    }
}
