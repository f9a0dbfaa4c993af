package com.leakedkeybot.remediation.port;

import java.util.Optional;

/**
 * Inline policies of IAM users, roles and groups: written by revocation steps, put back or deleted by reverts, and
 * read back to prove what IAM holds.
 */
public interface InlinePolicies {

    enum Holder { USER, ROLE, GROUP }

    void put(Holder holder, String holderName, String policyName, String document);

    /** The document as IAM holds it, URL-decoded; empty when there is no such policy. */
    Optional<String> get(Holder holder, String holderName, String policyName);

    void delete(Holder holder, String holderName, String policyName);
}
