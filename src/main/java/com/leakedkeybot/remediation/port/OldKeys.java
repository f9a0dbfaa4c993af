package com.leakedkeybot.remediation.port;

import com.leakedkeybot.key.AccessKeyId;
import java.time.Instant;
import java.util.Optional;

/** The leaked key at the end of its life: when it was last used, and deleting it. */
public interface OldKeys {

    /** Empty when IAM has never seen the key used. */
    Optional<Instant> lastUsed(AccessKeyId keyId);

    void delete(String userName, AccessKeyId keyId);

    boolean exists(String userName, AccessKeyId keyId);
}
