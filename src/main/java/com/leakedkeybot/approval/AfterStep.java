package com.leakedkeybot.approval;

import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.step.StepId;

/** What follows a step that succeeded (its undo, the runbook's next step); the runbook decides. */
@FunctionalInterface
public interface AfterStep {

    void succeeded(Incident incident, StepId step);
}
