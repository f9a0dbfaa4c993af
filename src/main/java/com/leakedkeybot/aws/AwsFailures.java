package com.leakedkeybot.aws;

import com.leakedkeybot.remediation.port.AwsActionFailure;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sts.model.StsException;

/** Translates SDK exceptions into the domain's failure kinds; AWS's message is kept, request details are not. */
final class AwsFailures {

    private AwsFailures() {
    }

    static AwsActionFailure of(String action, SdkException e) {
        if (e instanceof StsException && !action.startsWith("sts:")) {
            // A member account's role could not be assumed before the call was even made: that is what to fix.
            return of("sts:AssumeRole into the member account's responder role (needed for " + action + ")", e);
        }
        if (e instanceof AwsServiceException service && service.awsErrorDetails() != null) {
            String code = String.valueOf(service.awsErrorDetails().errorCode());
            String message = String.valueOf(service.awsErrorDetails().errorMessage());
            return new AwsActionFailure(kindOf(code, service), action, code + " — " + message);
        }
        return new AwsActionFailure(AwsActionFailure.Kind.OTHER, action, e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : " — " + e.getMessage()));
    }

    private static AwsActionFailure.Kind kindOf(String code, AwsServiceException e) {
        if (e.isThrottlingException()) {
            return AwsActionFailure.Kind.THROTTLED;
        }
        return switch (code) {
            case "AccessDenied", "AccessDeniedException", "UnauthorizedOperation" -> AwsActionFailure.Kind.ACCESS_DENIED;
            case "NoSuchEntity" -> AwsActionFailure.Kind.NOT_FOUND;
            case "LimitExceeded" -> AwsActionFailure.Kind.LIMIT_EXCEEDED;
            default -> AwsActionFailure.Kind.OTHER;
        };
    }
}
