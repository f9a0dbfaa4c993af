package com.leakedkeybot.aws;

import com.leakedkeybot.remediation.port.AwsActionFailure;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.iam.model.IamException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;


class AwsFailuresTest {

    private static IamException iamError(int status, String code, String message) {
        return (IamException) IamException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build()).build();
    }

    @Test
    void classifiesTheErrorsAStepMustExplain() {
        assertEquals(AwsActionFailure.Kind.ACCESS_DENIED,
                AwsFailures.of("iam:UpdateAccessKey", iamError(403, "AccessDenied", "not allowed")).kind());
        assertEquals(AwsActionFailure.Kind.NOT_FOUND,
                AwsFailures.of("iam:UpdateAccessKey", iamError(404, "NoSuchEntity", "gone")).kind());
        assertEquals(AwsActionFailure.Kind.THROTTLED,
                AwsFailures.of("iam:UpdateAccessKey", iamError(400, "Throttling", "Rate exceeded")).kind());
        assertEquals(AwsActionFailure.Kind.LIMIT_EXCEEDED,
                AwsFailures.of("iam:CreateAccessKey", iamError(409, "LimitExceeded", "two keys")).kind());
        assertEquals(AwsActionFailure.Kind.OTHER,
                AwsFailures.of("iam:UpdateAccessKey", iamError(500, "ServiceFailure", "oops")).kind());
    }

    @Test
    void keepsAwsCodeAndMessageAndNamesTheAction() {
        AwsActionFailure failure = AwsFailures.of("iam:UpdateAccessKey", iamError(403, "AccessDenied", "User x is not authorized"));
        assertEquals("iam:UpdateAccessKey", failure.action());
        assertEquals("iam:UpdateAccessKey: AccessDenied — User x is not authorized", failure.getMessage());
    }

    @Test
    void clientSideFailuresAreOther() {
        AwsActionFailure failure = AwsFailures.of("sts:GetAccessKeyInfo", SdkClientException.create("Unable to connect"));
        assertEquals(AwsActionFailure.Kind.OTHER, failure.kind());
        assertTrue(failure.getMessage().contains("Unable to connect"));
    }
}
