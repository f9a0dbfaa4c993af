package com.leakedkeybot.aws;

import com.leakedkeybot.incident.Decision;
import com.leakedkeybot.remediation.port.PolicySimulation;
import java.util.List;
import java.util.stream.Stream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.EvaluationResult;
import software.amazon.awssdk.services.iam.model.PolicyEvaluationDecisionType;
import software.amazon.awssdk.services.iam.model.ResourceSpecificResult;

/**
 * {@code iam:SimulatePrincipalPolicy} for an IAM user, found by name ({@code iam:GetUser}: the simulation needs the
 * user's ARN, path included). Every page of results is read.
 */
public final class IamPolicySimulation implements PolicySimulation {

    private final IamClient iam;

    public IamPolicySimulation(IamClient iam) {
        this.iam = iam;
    }

    @Override
    public Decision decide(String userName, String action, String resourceArn) {
        String userArn;
        try {
            userArn = iam.getUser(r -> r.userName(userName)).user().arn();
        } catch (SdkException e) {
            throw AwsFailures.of("iam:GetUser", e);
        }
        List<EvaluationResult> results;
        try {
            results = iam.simulatePrincipalPolicyPaginator(r -> r.policySourceArn(userArn).actionNames(action)
                    .resourceArns(resourceArn)).evaluationResults().stream().toList();
        } catch (SdkException e) {
            throw AwsFailures.of("iam:SimulatePrincipalPolicy", e);
        }
        if (results.stream().flatMap(IamPolicySimulation::decisions)
                .anyMatch(PolicyEvaluationDecisionType.ALLOWED::equals)) {
            return Decision.ALLOWED;
        }
        // With resources named, the simulator lists missing context per resource rather than on the result.
        boolean missingContext = results.stream().anyMatch(result -> !result.missingContextValues().isEmpty()
                || result.resourceSpecificResults().stream().anyMatch(r -> !r.missingContextValues().isEmpty()));
        return missingContext ? Decision.DEPENDS_ON_CONTEXT : Decision.DENIED;
    }

    private static Stream<PolicyEvaluationDecisionType> decisions(EvaluationResult result) {
        return Stream.concat(Stream.of(result.evalDecision()),
                result.resourceSpecificResults().stream().map(ResourceSpecificResult::evalResourceDecision));
    }
}
