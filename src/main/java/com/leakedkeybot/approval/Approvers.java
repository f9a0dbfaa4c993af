package com.leakedkeybot.approval;

import com.leakedkeybot.step.StepKind;
import java.util.Set;

/**
 * The people allowed to approve remediation steps (chat user ids, from configuration), and the two-person rule.
 *
 * @param twoPersonRule whether the incident's reporter is kept from executing destructive steps: a person who
 *                      reports a key (possibly their own, possibly under pressure) never deletes or overwrites
 *                      anything alone; a second approver must
 */
public record Approvers(Set<String> userIds, boolean twoPersonRule) {

    public Approvers {
        userIds = Set.copyOf(userIds);
    }

    public boolean mayApprove(String userId) {
        return userIds.contains(userId);
    }

    /** Whether this approver may execute a step of this kind in an incident reported by {@code reporter}. */
    public boolean mayExecute(StepKind kind, String userId, String reporter) {
        return !(twoPersonRule && kind.destructive() && userId.equals(reporter));
    }
}
