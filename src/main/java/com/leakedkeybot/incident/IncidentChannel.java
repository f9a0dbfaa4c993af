package com.leakedkeybot.incident;

import com.leakedkeybot.blastradius.BlastRadius;
import com.leakedkeybot.investigation.InvestigationReport;
import com.leakedkeybot.investigation.NotableEvent;
import com.leakedkeybot.step.Refusal;
import com.leakedkeybot.step.StepId;
import com.leakedkeybot.step.StepState;
import java.time.LocalDate;

/** Where an incident is told to people: the chat thread. Implementations render; callers decide what to say. */
public interface IncidentChannel {

    /** Posts the root message of the incident, in the incident channel, and returns its thread. */
    ThreadRef openThread(Incident incident);

    /** Posts, in the thread, what the bot learnt about the key. */
    void postKeyFacts(Incident incident);

    /** Posts a step with its approval button; returns the message's timestamp. */
    String postStep(Incident incident, StepId step);

    /** Posts guidance for keys the bot cannot switch off itself (root, foreign, unknown, temporary). */
    void postManualGuidance(Incident incident);

    /** Posts what to do by hand about a policy change the bot cannot revert itself (no earlier version known). */
    void postRevertGuidance(Incident incident, PolicyRevert revert);

    /** Redraws a step's message from its current state (who approved, when, outcome). */
    void showStep(Incident incident, StepId step);

    /** Posts the runbook's "restore access" guidance: roles over new keys, and where the rotation step is. */
    void postRestoreAccess(Incident incident);

    /** Posts what the key's owner is allowed to do. */
    void postBlastRadius(Incident incident, BlastRadius radius);

    /** Posts a progress message for the CloudTrail scan; returns its timestamp for later updates. */
    String postScanProgress(Incident incident, ScanProgress progress);

    void updateScanProgress(Incident incident, String messageTs, ScanProgress progress);

    /** Posts the findings: a summary, then one reply per category of notable events. */
    void postInvestigation(Incident incident, InvestigationReport report);

    /** Posts an alarming finding the moment a running scan first sees it (e.g. logging turned off). */
    void postAlarmingFinding(Incident incident, NotableEvent finding);

    /** Posts what the watch of CloudTrail found since its last read: only events not reported before. */
    void postWatchedActivity(Incident incident, InvestigationReport report);

    /** Posts the watch's verdict on containment ({@link ContainmentCheck#announced()}): verified, or which calls got through. */
    void postContainmentCheck(Incident incident, ContainmentCheck check);

    /** Says that (part of) the investigation could not be done, and why. */
    void postInvestigationProblem(Incident incident, String what, String reason);

    /**
     * Tells a key's owner, in a direct message, where the secret of their new key waits (its ARN in Secrets
     * Manager) and by when to fetch it (UTC day). The secret itself never passes through here.
     */
    void tellKeyOwner(Incident incident, String ownerUserId, String newKeyId, String secretArn, LocalDate fetchBy);

    /** Posts the timeline of a closed incident: every finding and action with actor and time. */
    void postTimeline(Incident incident, Timeline timeline);

    /**
     * Posts where the keys' calls came from, the exposure time (or the bot's proposal, with a button to confirm
     * it), and a button per source to mark it the attacker's or the owner's; returns the message's timestamp.
     */
    String postSources(Incident incident);

    /** Redraws the sources message after a mark or a confirmation ({@code attribution().sourcesMessageTs()}). */
    void showSources(Incident incident);

    /** Redraws a step's message, without its button: it was withdrawn, its change no longer the attacker's. */
    void showWithdrawn(Incident incident, StepState withdrawn);

    /** Tells one person, privately, why their click on a source or on the exposure time did nothing. */
    void refuseAttribution(Incident incident, String user, AttributionRefusal refusal);

    /** Tells one person, privately, why their click did nothing. */
    void refuse(Incident incident, String user, Refusal refusal);
}
