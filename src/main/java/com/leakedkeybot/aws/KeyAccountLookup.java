package com.leakedkeybot.aws;

import com.leakedkeybot.key.AccessKeyId;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/**
 * Which account a key belongs to ({@code sts:GetAccessKeyInfo}) and who the bot itself is
 * ({@code sts:GetCallerIdentity}).
 */
public final class KeyAccountLookup {

    private final StsClient sts;
    private final AtomicReference<BotPrincipal> self = new AtomicReference<>();

    public KeyAccountLookup(StsClient sts) {
        this.sts = sts;
    }

    public String accountOf(AccessKeyId keyId) {
        try {
            return sts.getAccessKeyInfo(r -> r.accessKeyId(keyId.value())).account();
        } catch (SdkException e) {
            throw AwsFailures.of("sts:GetAccessKeyInfo", e);
        }
    }

    public String ownAccount() {
        return self().account();
    }

    /** Cached: the bot's identity does not change while it runs. */
    public BotPrincipal self() {
        BotPrincipal known = self.get();
        if (known != null) {
            return known;
        }
        try {
            GetCallerIdentityResponse caller = sts.getCallerIdentity();
            BotPrincipal principal = BotPrincipal.ofCaller(caller.account(), caller.arn());
            self.set(principal);
            return principal;
        } catch (SdkException e) {
            throw AwsFailures.of("sts:GetCallerIdentity", e);
        }
    }
}
