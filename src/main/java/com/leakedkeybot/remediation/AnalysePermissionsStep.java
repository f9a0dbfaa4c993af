package com.leakedkeybot.remediation;

import com.leakedkeybot.audit.AuditEntry;
import com.leakedkeybot.blastradius.BlastRadius;
import com.leakedkeybot.blastradius.BlastRadiusAnalysis;
import com.leakedkeybot.blastradius.OwnerPermissionsSource;
import com.leakedkeybot.blastradius.PermissionsLookupException;
import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.IncidentChannel;
import com.leakedkeybot.incident.IncidentStore;
import com.leakedkeybot.step.StepKind;
import com.leakedkeybot.step.StepOutcome;
import java.time.Clock;

/**
 * The runbook's "determine what the key can reach": every policy that grants the key's owner permissions, analysed
 * into a blast radius, kept with the incident and posted in the thread. The investigation runs it first; when IAM
 * could not be read, it is offered as a step, so that the analysis can be run again once it can. Reads IAM only.
 */
public final class AnalysePermissionsStep implements RemediationStep {

    private final OwnerPermissionsSource permissions;
    private final BlastRadiusAnalysis analysis;
    private final IncidentStore store;
    private final IncidentChannel channel;
    private final Clock clock;

    public AnalysePermissionsStep(OwnerPermissionsSource permissions, BlastRadiusAnalysis analysis,
                                  IncidentStore store, IncidentChannel channel, Clock clock) {
        this.permissions = permissions;
        this.analysis = analysis;
        this.store = store;
        this.channel = channel;
        this.clock = clock;
    }

    /**
     * Analyses the owner's permissions, records the blast radius and posts it.
     *
     * @return the incident with its blast radius
     * @throws PermissionsLookupException when IAM cannot be read
     */
    public Incident analyse(Incident incident) throws PermissionsLookupException {
        BlastRadius radius = analysis.analyse(permissions.collect(incident.facts().userName()));
        Incident updated = store.update(incident.id(), i -> i.withFindings(i.findings().withBlastRadius(radius))
                .audited(new AuditEntry(clock.instant(), AuditEntry.BOT, "analysed the blast radius",
                        "reach: " + radius.level())));
        channel.postBlastRadius(updated, radius);
        return updated;
    }

    @Override
    public StepKind kind() {
        return StepKind.ANALYSE_PERMISSIONS;
    }

    @Override
    public StepOutcome execute(Incident incident, String target) {
        try {
            BlastRadius radius = analyse(incident).findings().blastRadius();
            return StepOutcome.success("What the key can do: " + radius.level().name().toLowerCase().replace('_', ' ')
                    + " (the analysis is posted in the thread).");
        } catch (PermissionsLookupException e) {
            return StepOutcome.failure("IAM could not be read: " + e.getMessage(), "Give the bot the IAM read "
                    + "permissions of its policy (README, AWS permissions), then retry.");
        }
    }

    /** Nothing was changed in AWS: the analysis is done when the incident holds its result. */
    @Override
    public StepOutcome reconcile(Incident incident, String target) {
        if (incident.findings().blastRadius() != null) {
            return StepOutcome.success("The analysis was recorded before the restart (it is in the thread).");
        }
        return StepOutcome.failure("The bot restarted before the analysis was recorded.", "Retry.");
    }
}
