package com.leakedkeybot.remediation.port;

import com.leakedkeybot.key.AccessKeyId;

/** Switches an IAM user's access key on or off. Never deletes. */
public interface AccessKeyControl {

    enum Status { ACTIVE, INACTIVE }

    void setStatus(String userName, AccessKeyId keyId, Status status);

    /** Reads the key's status back, to report what IAM holds rather than what was asked. */
    Status status(String userName, AccessKeyId keyId);

    /** Switches the key and returns the status IAM holds afterwards, which is what a step reports. */
    default Status switchTo(String userName, AccessKeyId keyId, Status status) {
        setStatus(userName, keyId, status);
        return status(userName, keyId);
    }
}
