package com.leakedkeybot.remediation;

import java.util.Optional;

/** Inline policies of IAM users and roles: written by revocation steps, and read back to prove what IAM holds. */
public interface InlinePolicies {

    enum Holder { USER, ROLE }

    void put(Holder holder, String holderName, String policyName, String document);

    /** The document as IAM holds it, URL-decoded; empty when there is no such policy. */
    Optional<String> get(Holder holder, String holderName, String policyName);
}
