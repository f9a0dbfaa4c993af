package com.leakedkeybot.remediation;

import com.leakedkeybot.investigation.CloudTrailInvestigation;
import com.leakedkeybot.step.StepKind;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Everything that reads or changes one AWS account for an incident — every runbook step, the blast radius, the
 * CloudTrail scan and the policy history — bound to that account's credentials. An incident of a member account is
 * handled by that account's responder only, so no call of it can land in another account.
 */
public record Responder(Map<StepKind, RemediationStep> steps, CloudTrailInvestigation trail,
                        PolicyRevertPlanner reverts) {

    public Responder(List<RemediationStep> steps, CloudTrailInvestigation trail, PolicyRevertPlanner reverts) {
        this(steps.stream().collect(Collectors.toUnmodifiableMap(RemediationStep::kind, Function.identity())), trail,
                reverts);
    }

    public RemediationStep step(StepKind kind) {
        return steps.get(kind);
    }

    public AnalysePermissionsStep permissions() {
        return (AnalysePermissionsStep) steps.get(StepKind.ANALYSE_PERMISSIONS);
    }
}
