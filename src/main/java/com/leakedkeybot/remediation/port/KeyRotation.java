package com.leakedkeybot.remediation.port;

import java.time.Instant;
import java.util.List;

/** An IAM user's access keys as the rotation sees them, and creating a new one with the bot's own credentials. */
public interface KeyRotation {

    record Key(String accessKeyId, boolean active, Instant createdAt) {
    }

    /** A key just created. Its secret exists only here, on its way to the vault: never printed, logged or stored. */
    record NewKey(String accessKeyId, String secretAccessKey) {
        @Override
        public String toString() {
            return "NewKey[" + accessKeyId + ", secret withheld]";
        }
    }

    List<Key> keys(String userName);

    NewKey create(String userName);

    /** The IAM user's Slack user id from its {@code slack-user-id} tag, or null when it has none. */
    String slackUserOf(String userName);
}
