package com.leakedkeybot.remediation;

/** Turns an AWS failure into an outcome that says what a responder should do next. */
final class FailureAdvice {

    private FailureAdvice() {
    }

    static StepOutcome outcomeOf(AwsActionFailure failure) {
        String summary = "AWS answered with an error to " + failure.getMessage();
        return StepOutcome.failure(summary, switch (failure.kind()) {
            case ACCESS_DENIED -> "The bot's role lacks " + failure.action()
                    + " (or an SCP/boundary denies it). Grant it from the policy in the README, or do this step in the "
                    + "IAM console now: containment should not wait.";
            case NOT_FOUND -> "The key or its user no longer exists. Check CloudTrail for who deleted it; if the "
                    + "attacker did, treat it as persistence and review the account.";
            case THROTTLED -> "IAM kept throttling after retries. Wait a minute, then do this step in the IAM console.";
            case LIMIT_EXCEEDED -> "An IAM limit was hit. Remove an unused item first, then retry by hand.";
            case OTHER -> "Do this step in the IAM console and tell the thread what you did.";
        });
    }
}
