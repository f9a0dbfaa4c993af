package com.leakedkeybot.approval;

import com.leakedkeybot.step.StepKind;
import java.util.Set;

/**
 * The people allowed to approve remediation steps (chat user ids, from configuration), and the two-person rule.
 *
 * @param twoPersonRule four eyes: a step that deletes, reverts, restores, mints or re-enables credentials runs only
 *                      once two distinct approvers have approved it; and the incident's reporter (possibly reporting
 *                      their own key, possibly under pressure) never runs a destructive step. Containment stays one
 *                      click: speed matters there.
 */
public record Approvers(Set<String> userIds, boolean twoPersonRule) {

    public Approvers {
        userIds = Set.copyOf(userIds);
    }

    public boolean mayApprove(String userId) {
        return userIds.contains(userId);
    }

    /** Whether a step of this kind waits for a second, distinct approver. */
    public boolean needTwo(StepKind kind) {
        return twoPersonRule && kind.fourEyes();
    }

    /** Whether this approver may execute a step of this kind in an incident reported by {@code reporter}. */
    public boolean mayExecute(StepKind kind, String userId, String reporter) {
        return !(twoPersonRule && kind.destructive() && userId.equals(reporter));
    }
}
