package com.leakedkeybot.aws;

import com.leakedkeybot.remediation.port.InlinePolicies;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;

/** Inline policies of users, roles and groups ({@code iam:Put/Get/Delete(User|Role|Group)Policy}). */
public final class IamInlinePolicies implements InlinePolicies {

    private final IamClient iam;

    public IamInlinePolicies(IamClient iam) {
        this.iam = iam;
    }

    @Override
    public void put(Holder holder, String holderName, String policyName, String document) {
        try {
            switch (holder) {
                case USER -> iam.putUserPolicy(r -> r.userName(holderName).policyName(policyName)
                        .policyDocument(document));
                case ROLE -> iam.putRolePolicy(r -> r.roleName(holderName).policyName(policyName)
                        .policyDocument(document));
                case GROUP -> iam.putGroupPolicy(r -> r.groupName(holderName).policyName(policyName)
                        .policyDocument(document));
            }
        } catch (SdkException e) {
            throw AwsFailures.of(action("Put", holder), e);
        }
    }

    @Override
    public Optional<String> get(Holder holder, String holderName, String policyName) {
        try {
            String encoded = switch (holder) {
                case USER -> iam.getUserPolicy(r -> r.userName(holderName).policyName(policyName)).policyDocument();
                case ROLE -> iam.getRolePolicy(r -> r.roleName(holderName).policyName(policyName)).policyDocument();
                case GROUP -> iam.getGroupPolicy(r -> r.groupName(holderName).policyName(policyName))
                        .policyDocument();
            };
            return Optional.of(decoded(encoded));
        } catch (NoSuchEntityException absent) {
            return Optional.empty();
        } catch (SdkException e) {
            throw AwsFailures.of(action("Get", holder), e);
        }
    }

    @Override
    public void delete(Holder holder, String holderName, String policyName) {
        try {
            switch (holder) {
                case USER -> iam.deleteUserPolicy(r -> r.userName(holderName).policyName(policyName));
                case ROLE -> iam.deleteRolePolicy(r -> r.roleName(holderName).policyName(policyName));
                case GROUP -> iam.deleteGroupPolicy(r -> r.groupName(holderName).policyName(policyName));
            }
        } catch (SdkException e) {
            throw AwsFailures.of(action("Delete", holder), e);
        }
    }

    /**
     * IAM returns policy documents URL-encoded (RFC 3986, so a space is {@code %20} and a literal {@code +} arrives
     * as {@code %2B}); moto returns them as stored. A '+' is therefore kept as it is rather than read as a space.
     */
    static String decoded(String document) {
        return URLDecoder.decode(document.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String action(String verb, Holder holder) {
        return "iam:" + verb + switch (holder) {
            case USER -> "UserPolicy";
            case ROLE -> "RolePolicy";
            case GROUP -> "GroupPolicy";
        };
    }
}
