package com.leakedkeybot.approval;

import com.leakedkeybot.remediation.port.AwsActionFailure;
import com.leakedkeybot.step.StepOutcome;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;


class FailureAdviceTest {

    private static StepOutcome advice(AwsActionFailure.Kind kind, String action) {
        return FailureAdvice.outcomeOf(new AwsActionFailure(kind, action, "AWS's own words"));
    }

    @Test
    void theAdviceSendsPeopleToTheConsoleOfTheServiceThatFailed() {
        assertTrue(advice(AwsActionFailure.Kind.ACCESS_DENIED, "iam:UpdateAccessKey").nextStep()
                .endsWith("do this step in the IAM console now: containment should not wait."));
        assertEquals("Do this step in the EC2 console and tell the thread what you did.",
                advice(AwsActionFailure.Kind.OTHER, "ec2:TerminateInstances").nextStep());
        assertTrue(advice(AwsActionFailure.Kind.THROTTLED, "s3:CopyObject").nextStep().endsWith("in the S3 console."));
        assertTrue(advice(AwsActionFailure.Kind.OTHER, "dynamodb:PutItem").nextStep().contains("AWS console"));
    }

    @Test
    void anExplicitDenyIsNotToBeGrantedButDoneByHand() {
        String denied = FailureAdvice.outcomeOf(new AwsActionFailure(AwsActionFailure.Kind.ACCESS_DENIED,
                "iam:UpdateAccessKey", "AccessDenied — User: arn:aws:sts::123456789012:assumed-role/LeakedKeyBot/bot "
                + "is not authorized to perform: iam:UpdateAccessKey on resource: user break-glass with an explicit "
                + "deny in an identity-based policy")).nextStep();
        assertTrue(denied.contains("leaked-key-bot:protected") && denied.endsWith("Do not lift the deny: do this step "
                + "in the IAM console now, as a person."), denied);
        assertTrue(advice(AwsActionFailure.Kind.ACCESS_DENIED, "iam:UpdateAccessKey").nextStep()
                .startsWith("The bot's role lacks iam:UpdateAccessKey"), "no Allow: grant it");
    }

    @Test
    void onlyIamFailuresTalkAboutKeysAndIamLimits() {
        assertTrue(advice(AwsActionFailure.Kind.NOT_FOUND, "iam:DeleteAccessKey").nextStep()
                .startsWith("The key or its user no longer exists."));
        String gone = advice(AwsActionFailure.Kind.NOT_FOUND, "lambda:DeleteFunction").nextStep();
        assertFalse(gone.contains("key"), gone);
        assertTrue(advice(AwsActionFailure.Kind.LIMIT_EXCEEDED, "s3:PutObject").nextStep().startsWith("An AWS limit"));
        assertEquals("AWS answered with an error to iam:PutUserPolicy: AWS's own words",
                advice(AwsActionFailure.Kind.OTHER, "iam:PutUserPolicy").summary());
    }
}
