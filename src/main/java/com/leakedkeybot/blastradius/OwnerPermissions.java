package com.leakedkeybot.blastradius;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything IAM says about what a key's owner (an IAM user) may do.
 *
 * @param attachedPolicies    managed policies attached to the user, default version
 * @param inlinePolicies      the user's inline policies
 * @param groups              the user's groups with their policies
 * @param permissionsBoundary the user's permissions boundary, or null
 */
public record OwnerPermissions(String userName, List<PolicyDocument> attachedPolicies,
                               List<PolicyDocument> inlinePolicies, List<GroupPermissions> groups,
                               PolicyDocument permissionsBoundary) {

    /** One of the user's groups. */
    public record GroupPermissions(String groupName, List<PolicyDocument> attachedPolicies,
                                   List<PolicyDocument> inlinePolicies) {
    }

    /** Every identity policy that applies to the user: its own and its groups'. */
    public List<PolicyDocument> identityPolicies() {
        List<PolicyDocument> all = new ArrayList<>(attachedPolicies);
        all.addAll(inlinePolicies);
        groups.forEach(group -> {
            all.addAll(group.attachedPolicies());
            all.addAll(group.inlinePolicies());
        });
        return all;
    }
}
