package com.leakedkeybot.remediation;

import com.leakedkeybot.incident.Incident;

/** One executable runbook step. Called at most once per incident, after approval. */
public interface RemediationStep {

    StepKind kind();

    /**
     * Carries the step out and reads the result back from AWS.
     *
     * @throws AwsActionFailure when AWS refuses or fails; the caller turns it into a failed outcome
     */
    StepOutcome execute(Incident incident);
}
