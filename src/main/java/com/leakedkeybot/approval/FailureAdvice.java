package com.leakedkeybot.approval;

import com.leakedkeybot.remediation.port.AwsActionFailure;
import com.leakedkeybot.step.StepOutcome;
import java.util.Map;

/** Turns an AWS failure into an outcome that says what a responder should do next, in the service that failed. */
final class FailureAdvice {

    /** Where a person does by hand what the bot could not, by the failed action's service prefix. */
    private static final Map<String, String> CONSOLES = Map.of("iam", "IAM console", "ec2", "EC2 console",
            "s3", "S3 console", "lambda", "Lambda console", "secretsmanager", "Secrets Manager console");

    private FailureAdvice() {
    }

    static StepOutcome outcomeOf(AwsActionFailure failure) {
        String summary = "AWS answered with an error to " + failure.getMessage();
        String service = failure.action().contains(":") ? failure.action().substring(0, failure.action().indexOf(':'))
                : "";
        String console = CONSOLES.getOrDefault(service, "AWS console");
        boolean iam = service.equals("iam");
        return StepOutcome.failure(summary, switch (failure.kind()) {
            case ACCESS_DENIED -> accessDenied(failure, console);
            case NOT_FOUND -> (iam ? "The key or its user no longer exists." : "What this step acts on no longer "
                    + "exists.") + " Check CloudTrail for who deleted it; if the attacker did, treat it as persistence "
                    + "and review the account.";
            case THROTTLED -> "AWS kept throttling after retries. Wait a minute, then do this step in the " + console
                    + ".";
            case LIMIT_EXCEEDED -> (iam ? "An IAM limit was hit." : "An AWS limit was hit.") + " Remove an unused "
                    + "item first, then retry by hand.";
            case OTHER -> "Do this step in the " + console + " and tell the thread what you did.";
        });
    }

    private static String accessDenied(AwsActionFailure failure, String console) {
        // AWS says when an explicit deny refused a call; the bot's own denies are on purpose, not to be granted.
        if (failure.getMessage().contains("explicit deny")) {
            return "An explicit deny refuses it: the bot's policy keeps it off its own role, user and policy, "
                    + "principals tagged leaked-key-bot:protected and AWS log files (an SCP or boundary may deny it "
                    + "too). Do not lift the deny: do this step in the " + console + " now, as a person.";
        }
        return "The bot's role lacks " + failure.action() + " (or an SCP/boundary denies it). Grant it from the policy "
                + "in the README, or do this step in the " + console + " now: containment should not wait.";
    }
}
