package com.leakedkeybot.blastradius;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Works out a key owner's {@link BlastRadius} from its policies. */
public final class BlastRadiusAnalysis {

    private static final int NAMED_ACTIONS = 10;
    // The grants attackers reach for first, most dangerous first.
    private static final List<Risk> RISKS = List.of(
            new Risk("IAM writes", "can create users, access keys and policies: lasting access and escalation", true,
                    "iam:*").except("iam:PassRole"),
            new Risk("sts:AssumeRole", "can take on other roles' permissions", false, "sts:AssumeRole"),
            new Risk("iam:PassRole", "can hand a role to a service it starts, gaining that role's permissions", false, "iam:PassRole"),
            new Risk("ec2:RunInstances", "can launch instances (cost, mining, running with a passed role)", false, "ec2:RunInstances"),
            new Risk("lambda:CreateFunction", "can run code in Lambda with a passed role", false, "lambda:CreateFunction"),
            new Risk("lambda:UpdateFunctionCode", "can backdoor existing functions", false, "lambda:UpdateFunctionCode"),
            new Risk("secretsmanager:GetSecretValue", "can read secrets", false,
                    "secretsmanager:GetSecretValue", "secretsmanager:BatchGetSecretValue"),
            new Risk("ssm:GetParameter*", "can read SecureString parameters", false, "ssm:GetParameter*"),
            new Risk("s3:GetObject", "can read S3 data", false, "s3:GetObject"),
            new Risk("S3 writes", "can change or delete S3 data and bucket settings", true, "s3:*"),
            new Risk("kms:Decrypt", "can decrypt data encrypted under KMS keys", false, "kms:Decrypt"),
            new Risk("Organizations writes", "can change the organization, e.g. leave it and its guardrails", true, "organizations:*"),
            new Risk("CloudTrail writes", "can stop or change audit logging", true, "cloudtrail:*"));

    private final AccessLevels levels;
    private final QuarantinePolicies quarantine;

    public BlastRadiusAnalysis(AccessLevels levels, QuarantinePolicies quarantine) {
        this.levels = levels;
        this.quarantine = quarantine;
    }

    public static BlastRadiusAnalysis standard() {
        AccessLevels levels = AccessLevels.standard();
        return new BlastRadiusAnalysis(levels, QuarantinePolicies.standard(levels));
    }

    public BlastRadius analyse(OwnerPermissions owner) {
        EffectivePermissions effective =
                new EffectivePermissions(owner.identityPolicies(), owner.permissionsBoundary(), levels);
        Map<AccessLevel, Integer> counts = new EnumMap<>(AccessLevel.class);
        for (AccessLevel level : AccessLevel.values()) {
            counts.put(level, 0);
        }
        effective.allowed().forEach(action -> levels.levelOf(action).ifPresent(level -> counts.merge(level, 1, Integer::sum)));
        List<String> writes = effective.allowed().stream()
                .filter(action -> levels.levelOf(action).map(AccessLevel::changesState).orElse(false))
                .limit(NAMED_ACTIONS).toList();
        return new BlastRadius(level(effective, counts), counts, writes, riskyGrants(effective), assumableRoles(effective),
                effective.scopedDenies(), List.copyOf(effective.unknownAllowed()), quarantine.statusOf(owner),
                notes(owner, effective));
    }

    private BlastRadius.Level level(EffectivePermissions effective, Map<AccessLevel, Integer> counts) {
        if (effective.grantsEverything() && effective.allowed().size() == levels.actions().size()) {
            return BlastRadius.Level.ADMIN;
        }
        boolean writes = counts.entrySet().stream().anyMatch(e -> e.getKey().changesState() && e.getValue() > 0);
        if (writes || !effective.unknownAllowed().isEmpty()) {
            return BlastRadius.Level.WRITE;
        }
        return effective.allowed().isEmpty() ? BlastRadius.Level.NONE : BlastRadius.Level.READ_ONLY;
    }

    private List<RiskyGrant> riskyGrants(EffectivePermissions effective) {
        List<RiskyGrant> grants = new ArrayList<>();
        for (Risk risk : RISKS) {
            List<String> covered = risk.patterns().stream().flatMap(p -> levels.matching(p).stream())
                    .filter(a -> risk.excluded().stream().noneMatch(x -> x.matches(a)))
                    .filter(effective::permits)
                    .filter(a -> !risk.writesOnly() || levels.levelOf(a).map(AccessLevel::changesState).orElse(false))
                    .distinct().toList();
            if (covered.isEmpty()) {
                continue;
            }
            Set<String> resources = new LinkedHashSet<>();
            covered.forEach(action -> resources.addAll(effective.resourcesFor(action)));
            grants.add(new RiskyGrant(risk.grant(), risk.why(), covered.subList(0, Math.min(NAMED_ACTIONS, covered.size())),
                    covered.size(), List.copyOf(resources)));
        }
        return grants;
    }

    private static List<String> assumableRoles(EffectivePermissions effective) {
        return effective.permits("sts:AssumeRole") ? effective.resourcesFor("sts:AssumeRole").stream()
                .map(r -> r.startsWith("everything except ") ? "*" : r).distinct().toList() : List.of();
    }

    private static List<String> notes(OwnerPermissions owner, EffectivePermissions effective) {
        List<String> notes = new ArrayList<>();
        notes.add("Resource policies (bucket, key, secret policies), SCPs and session policies are not evaluated;"
                + " Allow conditions are assumed to be met.");
        if (owner.permissionsBoundary() != null) {
            notes.add("Permissions boundary " + owner.permissionsBoundary().name() + " caps the identity policies.");
        }
        if (!effective.scopedDenies().isEmpty()) {
            notes.add(effective.scopedDenies().size() + " Deny statement(s) with a condition or limited resources"
                    + " are not assumed to apply.");
        }
        if (!effective.unknownAllowed().isEmpty()) {
            notes.add("Allowed but not in the access-level table, so counted as write: "
                    + String.join(", ", effective.unknownAllowed()) + ".");
        }
        return notes;
    }

    private record Risk(String grant, String why, boolean writesOnly, List<ActionPattern> patterns,
                        List<ActionPattern> excluded) {
        Risk(String grant, String why, boolean writesOnly, String... patterns) {
            this(grant, why, writesOnly, Arrays.stream(patterns).map(ActionPattern::of).toList(), List.of());
        }

        /** The same risk without actions that have a risk of their own. */
        Risk except(String... patterns) {
            return new Risk(grant, why, writesOnly, this.patterns, Arrays.stream(patterns).map(ActionPattern::of).toList());
        }
    }
}
