package com.leakedkeybot.aws;

import com.leakedkeybot.remediation.port.PolicyVersions;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import static com.leakedkeybot.aws.IamUserRemoval.call;


/** Versions of customer managed policies ({@code iam:ListPolicyVersions}, {@code SetDefaultPolicyVersion}...). */
public final class IamPolicyVersions implements PolicyVersions {

    private final IamClient iam;

    public IamPolicyVersions(IamClient iam) {
        this.iam = iam;
    }

    @Override
    public Optional<Versions> versions(String policyArn) {
        Set<String> ids = new HashSet<>();
        AtomicReference<String> defaultId = new AtomicReference<>();
        try {
            iam.listPolicyVersionsPaginator(r -> r.policyArn(policyArn)).versions().forEach(v -> {
                ids.add(v.versionId());
                if (Boolean.TRUE.equals(v.isDefaultVersion())) {
                    defaultId.set(v.versionId());
                }
            });
        } catch (NoSuchEntityException gone) {
            return Optional.empty();
        } catch (SdkException e) {
            throw AwsFailures.of("iam:ListPolicyVersions", e);
        }
        return Optional.of(new Versions(defaultId.get(), ids));
    }

    @Override
    public void setDefault(String policyArn, String versionId) {
        call("iam:SetDefaultPolicyVersion",
                () -> iam.setDefaultPolicyVersion(r -> r.policyArn(policyArn).versionId(versionId)));
    }

    @Override
    public void delete(String policyArn, String versionId) {
        call("iam:DeletePolicyVersion",
                () -> iam.deletePolicyVersion(r -> r.policyArn(policyArn).versionId(versionId)));
    }
}
