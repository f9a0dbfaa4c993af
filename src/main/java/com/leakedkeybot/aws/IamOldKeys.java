package com.leakedkeybot.aws;

import com.leakedkeybot.key.AccessKeyId;
import com.leakedkeybot.remediation.port.OldKeys;
import java.time.Instant;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKeyLastUsed;

/** The leaked key's last use ({@code iam:GetAccessKeyLastUsed}) and its deletion ({@code iam:DeleteAccessKey}). */
public final class IamOldKeys implements OldKeys {

    private final IamClient iam;
    private final IamAccessKeys listing;

    public IamOldKeys(IamClient iam, IamAccessKeys listing) {
        this.iam = iam;
        this.listing = listing;
    }

    @Override
    public Optional<Instant> lastUsed(AccessKeyId keyId) {
        try {
            AccessKeyLastUsed used = iam.getAccessKeyLastUsed(r -> r.accessKeyId(keyId.value())).accessKeyLastUsed();
            return Optional.ofNullable(used == null ? null : used.lastUsedDate());
        } catch (SdkException e) {
            throw AwsFailures.of("iam:GetAccessKeyLastUsed", e);
        }
    }

    @Override
    public void delete(String userName, AccessKeyId keyId) {
        try {
            iam.deleteAccessKey(r -> r.userName(userName).accessKeyId(keyId.value()));
        } catch (SdkException e) {
            throw AwsFailures.of("iam:DeleteAccessKey", e);
        }
    }

    @Override
    public boolean exists(String userName, AccessKeyId keyId) {
        return listing.describe(userName, keyId).isPresent();
    }
}
