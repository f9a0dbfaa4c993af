package com.leakedkeybot.aws;

import com.leakedkeybot.incident.KeyFacts;
import com.leakedkeybot.key.AccessKeyId;
import java.time.Instant;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKeyLastUsed;
import software.amazon.awssdk.services.iam.model.GetAccessKeyLastUsedResponse;

/**
 * Who owns a key and when it was last used: one {@code iam:GetAccessKeyLastUsed} call, whatever the account's size.
 * Only works for keys of the account the bot runs in.
 */
public final class KeyOwnerLookup {

    /** What IAM names the owner of a root user's key; checked against the user list, since "root" is a legal user name. */
    static final String ROOT_OWNER = "root";

    private final IamClient iam;

    public KeyOwnerLookup(IamClient iam) {
        this.iam = iam;
    }

    public Owner ownerOf(AccessKeyId keyId) {
        try {
            GetAccessKeyLastUsedResponse response = iam.getAccessKeyLastUsed(r -> r.accessKeyId(keyId.value()));
            return new Owner(response.userName(), lastUse(response.accessKeyLastUsed()));
        } catch (SdkException e) {
            throw AwsFailures.of("iam:GetAccessKeyLastUsed", e);
        }
    }

    /** @param userName null or {@value #ROOT_OWNER} may mean the root user */
    public record Owner(String userName, KeyFacts.LastUse lastUse) {
    }

    private static KeyFacts.LastUse lastUse(AccessKeyLastUsed used) {
        if (used == null || used.lastUsedDate() == null) {
            return new KeyFacts.LastUse(null, null, null);
        }
        Instant at = used.lastUsedDate();
        return new KeyFacts.LastUse(at, used.serviceName(), used.region());
    }
}
