package com.leakedkeybot.blastradius;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which known actions an identity can perform, from its identity policies and optional permissions boundary:
 * allowed by some identity policy, allowed by the boundary (if any), and not removed by an explicit Deny that
 * applies to every resource without a condition. Denies with a condition or limited to some resources are listed
 * in {@link #scopedDenies()} and not assumed to apply. Allows are taken at their word, conditions included
 * (worst case). Resource-based policies, SCPs and session policies are not evaluated.
 */
final class EffectivePermissions {

    private final List<PolicyStatement> allows;
    private final List<PolicyStatement> boundaryAllows;
    private final List<PolicyStatement> denies;
    private final List<ScopedDeny> scopedDenies;
    private final boolean bounded;
    private final Set<String> allowed = new LinkedHashSet<>();
    private final Set<String> unknownAllowed = new LinkedHashSet<>();

    EffectivePermissions(List<PolicyDocument> identityPolicies, PolicyDocument boundary, AccessLevels levels) {
        this.bounded = boundary != null;
        this.allows = statements(identityPolicies, PolicyStatement.Effect.ALLOW);
        this.boundaryAllows = bounded ? statements(List.of(boundary), PolicyStatement.Effect.ALLOW) : List.of();
        List<PolicyDocument> withBoundary = new ArrayList<>(identityPolicies);
        if (bounded) {
            withBoundary.add(boundary);
        }
        this.denies = new ArrayList<>();
        this.scopedDenies = new ArrayList<>();
        for (PolicyDocument policy : withBoundary) {
            for (PolicyStatement statement : policy.statements()) {
                if (statement.effect() != PolicyStatement.Effect.DENY) {
                    continue;
                }
                if (!statement.conditional() && statement.allResources()) {
                    denies.add(statement);
                } else {
                    scopedDenies.add(ScopedDeny.of(policy.name(), statement));
                }
            }
        }
        levels.actions().stream().filter(this::permits).forEach(allowed::add);
        // Actions allowed by name (or by a pattern matching nothing known) that the table does not know.
        for (PolicyStatement statement : allows) {
            if (statement.notAction()) {
                continue;
            }
            for (ActionPattern pattern : statement.actions()) {
                if (levels.levelOf(pattern.text()).isEmpty() && levels.matching(pattern).isEmpty()
                        && permitsUnknown(pattern.text())) {
                    unknownAllowed.add(pattern.text());
                }
            }
        }
    }

    /** Known actions the identity can perform, in the table's order. */
    Set<String> allowed() {
        return allowed;
    }

    /** Allowed actions the access-level table does not know; their level cannot be told. */
    Set<String> unknownAllowed() {
        return unknownAllowed;
    }

    List<ScopedDeny> scopedDenies() {
        return scopedDenies;
    }

    boolean permits(String action) {
        return any(allows, action) && (!bounded || any(boundaryAllows, action)) && !any(denies, action);
    }

    /** True when an unconditional Allow of every action on every resource stands, boundary included. */
    boolean grantsEverything() {
        Predicate<PolicyStatement> star = s -> !s.notAction() && !s.conditional() && s.allResources()
                && s.actions().stream().anyMatch(a -> a.text().equals("*") || a.text().equals("*:*"));
        return allows.stream().anyMatch(star) && (!bounded || boundaryAllows.stream().anyMatch(star));
    }

    /** The Resource values of the Allow statements covering the action, as people read them. */
    List<String> resourcesFor(String action) {
        Set<String> resources = new LinkedHashSet<>();
        allows.stream().filter(s -> s.covers(action)).forEach(s -> resources.addAll(s.resourcesForPeople()));
        return List.copyOf(resources);
    }

    private boolean permitsUnknown(String action) {
        // The pattern text itself stands for the unknown action: boundary and denies are matched against it.
        return (!bounded || any(boundaryAllows, action)) && !any(denies, action);
    }

    private static boolean any(List<PolicyStatement> statements, String action) {
        for (PolicyStatement statement : statements) {
            if (statement.covers(action)) {
                return true;
            }
        }
        return false;
    }

    private static List<PolicyStatement> statements(List<PolicyDocument> policies, PolicyStatement.Effect effect) {
        return policies.stream().flatMap(p -> p.statements().stream()).filter(s -> s.effect() == effect).toList();
    }
}
