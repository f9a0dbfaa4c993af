package com.leakedkeybot.aws;

import com.leakedkeybot.key.AccessKeyId;
import com.leakedkeybot.remediation.port.AccessKeyControl;
import com.leakedkeybot.remediation.port.AwsActionFailure;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;
import software.amazon.awssdk.services.iam.model.StatusType;

/** An IAM user's access keys: where the key is deactivated ({@code iam:UpdateAccessKey}) and its status read back. */
public final class IamAccessKeys implements AccessKeyControl {

    private final IamClient iam;

    public IamAccessKeys(IamClient iam) {
        this.iam = iam;
    }

    @Override
    public void setStatus(String userName, AccessKeyId keyId, Status status) {
        try {
            // UserName is always passed: without it IAM acts on the caller's own keys.
            iam.updateAccessKey(r -> r.userName(userName).accessKeyId(keyId.value())
                    .status(status == Status.ACTIVE ? StatusType.ACTIVE : StatusType.INACTIVE));
        } catch (SdkException e) {
            throw AwsFailures.of("iam:UpdateAccessKey", e);
        }
    }

    @Override
    public Status status(String userName, AccessKeyId keyId) {
        AccessKeyMetadata key = describe(userName, keyId).orElseThrow(() -> new AwsActionFailure(
                AwsActionFailure.Kind.NOT_FOUND, "iam:ListAccessKeys",
                "key " + keyId + " is not listed for user " + userName));
        return key.status() == StatusType.ACTIVE ? Status.ACTIVE : Status.INACTIVE;
    }

    /** The key's metadata (status, creation date) as listed for its user. */
    public Optional<AccessKeyMetadata> describe(String userName, AccessKeyId keyId) {
        try {
            return iam.listAccessKeysPaginator(r -> r.userName(userName)).accessKeyMetadata().stream()
                    .filter(k -> keyId.value().equals(k.accessKeyId()))
                    .findFirst();
        } catch (SdkException e) {
            throw AwsFailures.of("iam:ListAccessKeys", e);
        }
    }
}
