package com.leakedkeybot.aws;

import com.leakedkeybot.remediation.InlinePolicies;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;

/** Inline policies of users and roles ({@code iam:Put/GetUserPolicy}, {@code iam:Put/GetRolePolicy}). */
public final class IamInlinePolicies implements InlinePolicies {

    private final IamClient iam;

    public IamInlinePolicies(IamClient iam) {
        this.iam = iam;
    }

    @Override
    public void put(Holder holder, String holderName, String policyName, String document) {
        String action = holder == Holder.USER ? "iam:PutUserPolicy" : "iam:PutRolePolicy";
        try {
            if (holder == Holder.USER) {
                iam.putUserPolicy(r -> r.userName(holderName).policyName(policyName).policyDocument(document));
            } else {
                iam.putRolePolicy(r -> r.roleName(holderName).policyName(policyName).policyDocument(document));
            }
        } catch (SdkException e) {
            throw AwsFailures.of(action, e);
        }
    }

    @Override
    public Optional<String> get(Holder holder, String holderName, String policyName) {
        String action = holder == Holder.USER ? "iam:GetUserPolicy" : "iam:GetRolePolicy";
        try {
            String encoded = holder == Holder.USER
                    ? iam.getUserPolicy(r -> r.userName(holderName).policyName(policyName)).policyDocument()
                    : iam.getRolePolicy(r -> r.roleName(holderName).policyName(policyName)).policyDocument();
            // IAM returns documents URL-encoded (RFC 3986); moto returns them as stored. Decoding either is safe:
            // a policy document has no literal '%' followed by two hex digits that this could corrupt in our deny.
            return Optional.of(URLDecoder.decode(encoded, StandardCharsets.UTF_8));
        } catch (NoSuchEntityException absent) {
            return Optional.empty();
        } catch (SdkException e) {
            throw AwsFailures.of(action, e);
        }
    }
}
