package com.leakedkeybot.aws;

import com.leakedkeybot.key.AccessKeyId;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sts.StsClient;

/** Which account a key belongs to ({@code sts:GetAccessKeyInfo}) and which account the bot itself runs in. */
public final class KeyAccountLookup {

    private final StsClient sts;
    private final AtomicReference<String> ownAccount = new AtomicReference<>();

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

    /** Cached: the bot's account does not change while it runs. */
    public String ownAccount() {
        String known = ownAccount.get();
        if (known != null) {
            return known;
        }
        try {
            String account = sts.getCallerIdentity().account();
            ownAccount.set(account);
            return account;
        } catch (SdkException e) {
            throw AwsFailures.of("sts:GetCallerIdentity", e);
        }
    }
}
