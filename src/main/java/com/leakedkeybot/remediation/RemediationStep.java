package com.leakedkeybot.remediation;

import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.remediation.port.AwsActionFailure;
import com.leakedkeybot.step.StepId;
import com.leakedkeybot.step.StepKind;
import com.leakedkeybot.step.StepOutcome;
import java.util.List;

/**
 * One executable runbook step. The {@link com.leakedkeybot.runbook.Runbook} decides when a kind of step is offered;
 * the step says what it proposes at that moment, carries itself out once approved, and reads AWS back after a
 * restart.
 *
 * <p>{@code target} is what the step acts on ({@link StepId#target()}): "" for singletons.
 */
public interface RemediationStep {

    StepKind kind();

    /**
     * The steps of this kind the incident calls for now, from its facts and findings, with notes on what the bot
     * cannot act on. A singleton proposes itself.
     */
    default Proposals propose(Incident incident) {
        return Proposals.of(List.of(StepId.of(kind())));
    }

    /**
     * Carries the step out and reads the result back from AWS. Called at most once per approval.
     *
     * @throws AwsActionFailure when AWS refuses or fails; the caller turns it into a failed outcome
     */
    StepOutcome execute(Incident incident, String target);

    /**
     * Finds out, by reading AWS only, what an execution interrupted by a process death achieved: a success when AWS
     * shows the step done; otherwise a failure saying the outcome was unknown and what AWS shows, so a person can
     * retry.
     *
     * @throws AwsActionFailure when AWS cannot be read
     */
    StepOutcome reconcile(Incident incident, String target);
}
