package com.leakedkeybot.remediation.port;

import com.leakedkeybot.key.AccessKeyId;

/**
 * The root user's access keys of a member account, reached through a privileged root session ({@code sts:AssumeRoot}
 * with AWS's task policy for deleting root credentials) — possible only from the organization's management account or
 * a delegated administrator, with centralized root access enabled.
 */
public interface RootCredentials {

    /** @throws AwsActionFailure when the root session is refused, or the keys cannot be listed */
    boolean holds(String account, AccessKeyId keyId);

    /** Deletes the key: the root session's task policy has no way to deactivate it. */
    void delete(String account, AccessKeyId keyId);
}
