package com.leakedkeybot.aws;

import java.util.function.Function;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/** Deletes a Lambda function the attacker created, in the region CloudTrail saw it in. */
final class FunctionRemoval {

    private final Function<String, LambdaClient> lambdaInRegion;

    FunctionRemoval(Function<String, LambdaClient> lambdaInRegion) {
        this.lambdaInRegion = lambdaInRegion;
    }

    void delete(String region, String functionName) {
        try {
            lambdaInRegion.apply(region).deleteFunction(r -> r.functionName(functionName));
        } catch (SdkException e) {
            throw AwsFailures.of("lambda:DeleteFunction", e);
        }
    }

    boolean exists(String region, String functionName) {
        try {
            lambdaInRegion.apply(region).getFunction(r -> r.functionName(functionName));
            return true;
        } catch (ResourceNotFoundException gone) {
            return false;
        } catch (SdkException e) {
            throw AwsFailures.of("lambda:GetFunction", e);
        }
    }
}
