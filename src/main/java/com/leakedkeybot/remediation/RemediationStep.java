package com.leakedkeybot.remediation;

import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.step.StepId;
import com.leakedkeybot.step.StepKind;
import com.leakedkeybot.step.StepOutcome;
import java.util.List;

/**
 * One executable runbook step. Called at most once per approval.
 *
 * <p>{@code target} is what the step acts on ({@link StepId#target()}): "" for singletons.
 */
public interface RemediationStep {

    StepKind kind();

    /**
     * Carries the step out and reads the result back from AWS.
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

    /** Steps to offer once this one has succeeded, e.g. its undo. */
    default List<StepId> followUps(Incident incident, String target) {
        return List.of();
    }
}
