package com.leakedkeybot.approval;

import java.util.Set;

/** The people allowed to approve remediation steps (chat user ids, from configuration). */
public record Approvers(Set<String> userIds) {

    public Approvers {
        userIds = Set.copyOf(userIds);
    }

    public boolean mayApprove(String userId) {
        return userIds.contains(userId);
    }
}
