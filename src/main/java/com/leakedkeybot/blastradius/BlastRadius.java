package com.leakedkeybot.blastradius;

import java.util.List;
import java.util.Map;

/**
 * What a leaked key's owner can do, in the runbook's terms.
 *
 * @param level          ADMIN, WRITE, READ_ONLY or NONE
 * @param actionCounts   granted known actions per access level
 * @param writeActions   some granted actions that change state (at most ten), to show why the level is not lower
 * @param riskyGrants    the grants attackers use first
 * @param assumableRoles Resource values of the sts:AssumeRole grants; {@code *} means any role whose trust policy
 *                       lets this account in
 * @param scopedDenies   Deny statements with a condition or limited resources: reported, not assumed to apply
 * @param unknownActions allowed actions the access-level table does not know (counted as write)
 * @param quarantine     AWS's quarantine policy on the owner and what it leaves open
 * @param notes          limits of the analysis, one sentence each
 */
public record BlastRadius(Level level, Map<AccessLevel, Integer> actionCounts, List<String> writeActions,
                          List<RiskyGrant> riskyGrants,
                          List<String> assumableRoles, List<ScopedDeny> scopedDenies, List<String> unknownActions,
                          QuarantineStatus quarantine, List<String> notes) {

    public enum Level {
        /** Every action on every resource, by an Allow without condition, nothing denied. */
        ADMIN,
        /** Some action that changes state (Write, Permissions management or Tagging). */
        WRITE,
        /** Only List and Read actions. */
        READ_ONLY,
        /** Nothing. */
        NONE
    }

    public boolean canAssumeAnyRole() {
        return assumableRoles.contains("*");
    }
}
