package com.leakedkeybot.aws;

import com.leakedkeybot.remediation.port.UserQuarantine;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;

/**
 * The user's policies as IAM lists them, {@code iam:AttachUserPolicy} for the quarantine policy and
 * {@code iam:DetachUserPolicy} to lift it.
 */
public final class IamUserQuarantine implements UserQuarantine {

    private final IamClient iam;

    public IamUserQuarantine(IamClient iam) {
        this.iam = iam;
    }

    @Override
    public List<String> attachedPolicyArns(String userName) {
        try {
            return iam.listAttachedUserPoliciesPaginator(r -> r.userName(userName)).attachedPolicies().stream()
                    .map(AttachedPolicy::policyArn).toList();
        } catch (SdkException e) {
            throw AwsFailures.of("iam:ListAttachedUserPolicies", e);
        }
    }

    @Override
    public List<String> inlinePolicyNames(String userName) {
        try {
            return iam.listUserPoliciesPaginator(r -> r.userName(userName)).policyNames().stream().toList();
        } catch (SdkException e) {
            throw AwsFailures.of("iam:ListUserPolicies", e);
        }
    }

    @Override
    public void attach(String userName, String policyArn) {
        try {
            iam.attachUserPolicy(r -> r.userName(userName).policyArn(policyArn));
        } catch (SdkException e) {
            throw AwsFailures.of("iam:AttachUserPolicy", e);
        }
    }

    @Override
    public void detach(String userName, String policyArn) {
        try {
            iam.detachUserPolicy(r -> r.userName(userName).policyArn(policyArn));
        } catch (SdkException e) {
            throw AwsFailures.of("iam:DetachUserPolicy", e);
        }
    }
}
