package com.leakedkeybot.slack.blocks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.KeyFacts;
import com.leakedkeybot.incident.PolicyRevert;
import com.leakedkeybot.investigation.AffectedResource;
import com.leakedkeybot.remediation.RevocationPolicies;
import com.leakedkeybot.step.Refusal;
import com.leakedkeybot.step.StepId;
import com.leakedkeybot.step.StepKind;
import com.leakedkeybot.step.StepState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import static com.leakedkeybot.slack.blocks.Blocks.actions;
import static com.leakedkeybot.slack.blocks.Blocks.button;
import static com.leakedkeybot.slack.blocks.Blocks.confirm;
import static com.leakedkeybot.slack.blocks.Blocks.context;
import static com.leakedkeybot.slack.blocks.Blocks.section;
import static com.leakedkeybot.slack.blocks.Mrkdwn.code;
import static com.leakedkeybot.slack.blocks.Mrkdwn.escape;
import static com.leakedkeybot.slack.blocks.Mrkdwn.user;


/**
 * The remediation steps in the thread: each step's message (what it will do and why, its button, who approved it,
 * the outcome), the private answer to a click that did nothing, and the guidance where a change gets no button.
 */
public final class StepMessages {

    /** Events shown on a step's message; a restore of a busy bucket has many. */
    private static final int EVIDENCE_SHOWN = 3;

    public SlackMessage step(Incident incident, StepId step) {
        StepState state = incident.step(step).orElseThrow();
        List<ObjectNode> blocks = new ArrayList<>();
        blocks.add(section(stepExplanation(incident, step)));
        evidence(incident, step).ifPresent(blocks::add);
        switch (state.status()) {
            case OFFERED -> {
                state.pendingApproval().ifPresent(first -> blocks.add(context(":raised_hand: Approved 1 of 2 by "
                        + user(first.by()) + " at " + Blocks.MINUTES.format(first.at()) + " — a second approver "
                        + "must click to run it (four eyes).")));
                blocks.add(stepButton(incident, step, step.kind().label()));
            }
            case RUNNING -> blocks.add(context(":hourglass_flowing_sand: " + approvalLine(state) + " — running…"));
            case RECONCILING -> {
                blocks.add(section(":grey_question: *Outcome unknown — re-checking AWS state.* The bot stopped while "
                        + "this step was running. It reads AWS to learn what happened instead of running the step again."));
                blocks.add(context(approvalLine(state)));
            }
            case SUCCEEDED -> {
                blocks.add(section(":white_check_mark: " + escape(state.outcome().summary())));
                blocks.add(context(approvalLine(state)));
            }
            case FAILED -> {
                blocks.add(section(":x: " + escape(state.outcome().summary())
                        + "\n*What to do next:* " + escape(state.outcome().nextStep())));
                blocks.add(context(approvalLine(state)));
                blocks.add(stepButton(incident, step, "Retry: " + step.kind().label()));
            }
        }
        return IncidentMessages.message(step.kind().label() + " — " + state.status().name().toLowerCase(), blocks);
    }

    /** A step offered and never run, withdrawn: its change is now marked or presumed the owner's. */
    public SlackMessage withdrawn(Incident incident, StepState state) {
        StepId step = state.id();
        List<ObjectNode> blocks = new ArrayList<>();
        blocks.add(section(":leftwards_arrow_with_hook: *Withdrawn:* " + escape(stepName(step)) + "\nThe source of "
                + "its change is now marked or presumed the owner's (see where the calls came from, above), so it is "
                + "no longer proposed. If that is wrong, mark the source the attacker's and it is offered again."));
        evidence(incident, step).ifPresent(blocks::add);
        return IncidentMessages.message(step.kind().label() + " — withdrawn", blocks);
    }

    /**
     * The CloudTrail events behind a clean-up, revert or restore: what the approver judges by. A restore shows its
     * first few events.
     */
    private static Optional<ObjectNode> evidence(Incident incident, StepId step) {
        List<AffectedResource> events = evidenceEvents(incident, step);
        if (events.isEmpty()) {
            return Optional.empty();
        }
        String shown = events.stream().limit(EVIDENCE_SHOWN).map(e -> evidenceLine(incident, e))
                .collect(Collectors.joining("\n"));
        String more = events.size() > EVIDENCE_SHOWN ? "\n… and " + (events.size() - EVIDENCE_SHOWN)
                + " more event(s)" : "";
        return Optional.of(context("*Evidence (CloudTrail):* " + shown + more));
    }

    private static List<AffectedResource> evidenceEvents(Incident incident, StepId step) {
        return switch (step.kind()) {
            case CLEAN_UP -> incident.findings().affectedResources().stream()
                    .filter(r -> r.action() == AffectedResource.Action.CREATED && r.target().equals(step.target()))
                    .limit(1).toList();
            case REVERT_POLICY -> incident.findings().policyReverts().stream()
                    .filter(r -> r.target().equals(step.target())).map(PolicyRevert::change).limit(1).toList();
            case RESTORE_OBJECTS -> incident.attackersObjectWrites(step.target());
            default -> List.of();
        };
    }

    /** Time, event, source address and user agent, the key and its chain back to the leaked key, region, event id. */
    private static String evidenceLine(Incident incident, AffectedResource event) {
        List<String> lineage = event.accessKeyId() == null ? List.of() : incident.findings().lineage(event.accessKeyId());
        String chain = lineage.isEmpty() ? "an unknown key" : code(event.accessKeyId()) + (lineage.size() < 2 ? ""
                : " (minted " + lineage.stream().map(Mrkdwn::code).collect(Collectors.joining(" → ")) + ")");
        return code(event.eventName()) + " at " + event.eventTime() + " from "
                + (event.sourceIp() == null ? "an unrecorded address" : code(event.sourceIp())) + " with "
                + (event.userAgent() == null ? "an unrecorded user agent" : code(Blocks.cut(event.userAgent(), 120)))
                + " by key " + chain + " in " + escape(event.region()) + ", event " + code(event.eventId());
    }

    public String refusal(Refusal refusal) {
        StepState state = refusal.current();
        String step = refusal.step().kind().label();
        return switch (refusal.reason()) {
            case NOT_AN_APPROVER -> ":no_entry: Only configured approvers can run *" + step + "*. Nothing was "
                    + "changed; ask an approver in this thread.";
            case ALREADY_RUNNING -> ":hourglass_flowing_sand: *" + step + "* is already running, approved by "
                    + user(state.approver()) + ". Nothing more was done.";
            case ALREADY_DONE -> ":white_check_mark: *" + step + "* was already carried out, approved by "
                    + user(state.approver()) + ". Nothing more was done.";
            case REPORTER_ON_DESTRUCTIVE_STEP -> ":busy_in_meeting: *" + step + "* deletes or overwrites "
                    + "something, and you reported this incident: another approver must run it (two-person rule). "
                    + "Nothing was changed.";
            case SECOND_APPROVER_NEEDED -> ":raised_hand: You already approved *" + step + "*. It needs a second, "
                    + "different approver (four eyes): ask a colleague in this thread. Nothing was changed.";
            case NOT_OFFERED -> ":grey_question: *" + step + "* is not available for this incident.";
            case INCIDENT_CLOSED -> ":lock: This incident is closed, so *" + step + "* no longer runs. Nothing was "
                    + "changed. If the key needs attention again, report it with a new `/leaked-key`.";
            case RECHECKING -> ":grey_question: *" + step + "* was running when the bot stopped, so its outcome is "
                    + "unknown. The bot is re-checking AWS state now instead of running it again; the step's message "
                    + "will show what AWS says.";
        };
    }

    private String stepExplanation(Incident incident, StepId step) {
        KeyFacts facts = incident.facts();
        return switch (step.kind()) {
            case DEACTIVATE_KEY -> "*Step: deactivate the key*\nMakes " + code(incident.keyId().value())
                    + " of IAM user " + code(facts.userName()) + " *inactive* (`iam:UpdateAccessKey`). "
                    + "Not a deletion: it can be reactivated if a legitimate workload breaks. Every tool using "
                    + "the key stops working.";
            case REACTIVATE_KEY -> "*Undo: reactivate the key*\nMakes " + code(incident.keyId().value())
                    + " of IAM user " + code(facts.userName()) + " *active* again (`iam:UpdateAccessKey`), for a "
                    + "legitimate workload that broke and cannot wait for the rotation. The attacker regains it too: "
                    + "deactivate again as soon as the workload has a new key.";
            case REVOKE_SESSIONS -> "*Step: revoke the key's temporary credentials*\nDeactivating a key does not "
                    + "end the sessions minted with it (up to 36 hours). Puts the inline policy `"
                    + RevocationPolicies.USER_POLICY + "` on IAM user " + code(facts.userName()) + ": deny "
                    + "everything to credentials issued before the approval (`aws:TokenIssueTime`), and to its "
                    + "federated-user sessions. Its new long-term key keeps working.";
            case QUARANTINE -> "*Step: quarantine the user*\nAttaches AWS's `AWSCompromisedKeyQuarantineV3` to IAM "
                    + "user " + code(facts.userName()) + " (`iam:AttachUserPolicy`), as AWS does itself when it finds "
                    + "a key in public; an earlier quarantine (V1, V2, the legacy inline policy) is recognised. It "
                    + "denies the usual first moves (new keys, users, instances) but *not* e.g. reading secrets or "
                    + "writing S3 objects: it is not containment.";
            case ROTATE_KEY -> "*Step: rotate the key*\nThe bot creates a new access key for IAM user "
                    + code(facts.userName()) + " with its own credentials (the quarantine stops the user doing it), "
                    + "stores its secret in AWS Secrets Manager, and tells the owner privately where it is (IAM user "
                    + "tag `slack-user-id`) and by when to fetch it. The secret never appears in Slack; only the user "
                    + "and the bot may read it. While the leaked key is active, IAM's policy simulator must say the "
                    + "user cannot read the secret, or the rotation waits for the deactivation. IAM allows two keys "
                    + "per user: the bot checks first.";
            case LIFT_QUARANTINE -> "*Step: lift AWS's quarantine*\nThe leaked key is inactive and the user's "
                    + "older sessions are revoked, so AWS's quarantine now only stands in the way of IAM user "
                    + code(facts.userName()) + "'s other credentials, its new key included (it denies e.g. "
                    + "`ec2:RunInstances`, `s3:GetObject`, `lambda:UpdateFunctionCode`). Detaches every "
                    + "`AWSCompromisedKeyQuarantine` version on the user (`iam:DetachUserPolicy`) after checking "
                    + "again that the key is inactive and the revocation policy in place. It re-enables credentials: "
                    + "two approvers.";
            case DELETE_OLD_KEY -> "*Step: delete the old key*\nA new key exists, and IAM shows "
                    + code(incident.keyId().value()) + " inactive and unused since its deactivation. Deletes it "
                    + "(`iam:DeleteAccessKey`) — this cannot be undone, so another approver than the reporter must "
                    + "run it. The bot checks the key's last use again first.";
            case DELETE_ROOT_KEY -> "*Step: delete the root user's access key*\nThis *deletes* "
                    + code(incident.keyId().value()) + " of the root user of account "
                    + code(String.valueOf(incident.facts().actingAccount())) + ": the bot opens a root session "
                    + "there (`sts:AssumeRoot` with AWS's task policy `IAMDeleteRootUserCredentials`, which needs "
                    + "centralized root access and the organization's management or delegated administrator account) "
                    + "and calls `iam:DeleteAccessKey`. AWS offers no way to *deactivate* a root key through that path, "
                    + "so it cannot be undone: two approvers, neither of them the reporter. Without centralized root "
                    + "access the step fails and the console steps above remain the way.";
            case CLEAN_UP -> "*Clean-up:* " + escape(cleanUpLine(step.target())) + "\nCloudTrail shows the leaked key "
                    + "(or a credential minted from it) created this. Removes exactly this resource"
                    + " — for a user, with its keys, console password, policies and group memberships; for a role, "
                    + "with its policies and instance-profile links. Cannot be undone: another approver than the "
                    + "reporter must run it.";
            case ANALYSE_PERMISSIONS -> "*Analyse what the key can do, again*\nIAM could not be read when the "
                    + "investigation began, so the bot does not know whether the key can write or is an admin. "
                    + "Containment and rotation are offered anyway. Once the bot can read IAM, this reads every policy "
                    + "of IAM user " + code(facts.userName()) + " again and posts the blast radius. Reads only.";
            case CLOSE_INCIDENT -> "*Close the incident*\nWhen the account is back to its legitimate state, an "
                    + "approver closes the incident: the bot posts its timeline here (every finding and action, with "
                    + "who and when, and the time to containment) and keeps it retrievable with `/leaked-key timeline "
                    + incident.id() + "`. Steps not carried out by then are listed, and no step runs after closing.";
            case REVOKE_ROLE_SESSIONS -> "*Step: revoke sessions of role* " + code(step.target()) + "\nThe key "
                    + "(or its sessions) assumed this role; a policy on the user does not reach those sessions. Puts "
                    + "the inline policy `" + RevocationPolicies.ROLE_POLICY + "` on the role: a deny scoped to the "
                    + "attacker's session names where CloudTrail shows them, else — :warning: — a deny of *every* "
                    + "session of the role issued before the approval, which ends legitimate users' sessions too.";
            case RESTORE_OBJECTS -> "*Step: restore objects in S3 bucket* " + code(step.target()) + "\nCloudTrail's "
                    + "data events show the leaked key (or a credential minted from it) overwrote or deleted "
                    + objectList(incident.attackersObjectKeys(step.target())) + ". For each, the bot makes "
                    + "its newest version from before the attacker current again — a copy of it, so the history keeps "
                    + "every version — and hides an object the attacker created behind a delete marker (reversible). "
                    + "An object someone changed after the attacker is left alone and listed for review. It replaces "
                    + "what the objects hold now: another approver than the reporter must run it.";
            case REVERT_POLICY -> "*Revert:* " + incident.findings().policyReverts().stream()
                    .filter(r -> r.target().equals(step.target())).findFirst().map(StepMessages::revertLine)
                    .orElse(escape(cleanUpLine(step.target()))) + "\nCloudTrail shows the leaked key (or a credential "
                    + "minted from it) changed this. The bot first reads it from IAM: if it no longer holds what the "
                    + "attacker left, nothing is changed. Overwrites or deletes a policy: another approver than the "
                    + "reporter must run it.";
        };
    }

    /** A few object keys as code, and how many more. */
    private static String objectList(List<String> keys) {
        int shown = Math.min(5, keys.size());
        String names = String.join(", ", keys.subList(0, shown).stream().map(Mrkdwn::code).toList());
        return keys.size() + " object(s): " + names + (keys.size() > shown ? " and " + (keys.size() - shown) + " more" : "");
    }

    /** Why a policy change gets no button, and what to do about it by hand. */
    public SlackMessage revertGuidance(PolicyRevert revert) {
        AffectedResource change = revert.change();
        String text;
        if (revert.attackerDocument() == null) {
            text = ":grey_question: *No revert offered for " + escape(change.describe()) + ".* CloudTrail did not "
                    + "return the attacker's event when the bot read the policy's history again, so it cannot check "
                    + "what a revert would replace. Review it by hand in the IAM console.";
        } else if (change.kind() == AffectedResource.Kind.IAM_ROLE_TRUST_POLICY) {
            List<String> principals = revert.trustedPrincipals();
            text = ":warning: *The attacker changed the trust policy of role " + code(change.identifier())
                    + " — no button.* CloudTrail's " + revert.searchedDays() + " days hold no earlier trust policy "
                    + "for it, so the bot cannot tell what to put back. The attacker's document lets in: "
                    + (principals.isEmpty() ? "no principal the bot could read"
                    : principals.stream().map(Mrkdwn::code).collect(Collectors.joining(", "))) + ".\nBy hand: in "
                    + "the IAM console, open the role's *Trust relationships*, remove every principal you do not "
                    + "know, and revoke the role's sessions if the attacker assumed it.";
        } else {
            text = ":warning: *The attacker made version " + code(change.identifier()) + " of policy "
                    + code(change.parent()) + " the default — no button.* CloudTrail's " + revert.searchedDays()
                    + " days do not show which version was the default before.\nBy hand: in the IAM console, open "
                    + "the policy's *Policy versions*, set the right earlier version as the default, then delete "
                    + code(change.identifier()) + ".";
        }
        return IncidentMessages.message("Policy change to review by hand: " + change.describe(), List.of(section(text)));
    }

    /** What a revert's button does, e.g. "restore the inline policy X of role Y to the document set by …". */
    private static String revertLine(PolicyRevert revert) {
        AffectedResource change = revert.change();
        PolicyRevert.Earlier earlier = revert.earlier();
        String document = change.kind() == AffectedResource.Kind.IAM_ROLE_TRUST_POLICY
                ? "the trust policy of role " + code(change.identifier())
                : "the inline policy " + code(change.identifier()) + " of " + change.kind().parentLabel() + " "
                + code(change.parent());
        return switch (change.kind()) {
            case IAM_POLICY_VERSION -> revert.plan() == PolicyRevert.Plan.RESTORE
                    ? "make version " + code(earlier.versionId()) + " of policy " + code(change.parent())
                    + " the default again (made the default by " + setBy(earlier) + ") and delete the attacker's "
                    + "version " + code(change.identifier()) + "."
                    : "delete version " + code(change.identifier()) + " of policy " + code(change.parent())
                    + ", which the attacker created (not made the default).";
            default -> revert.plan() == PolicyRevert.Plan.RESTORE
                    ? "restore " + document + " to the document set by " + setBy(earlier) + "."
                    : "delete " + document + (earlier == null ? " (no earlier version in CloudTrail's "
                    + revert.searchedDays() + " days; its current content is the attacker's)."
                    : " (deleted by " + setBy(earlier) + ", before the attacker set it again).");
        };
    }

    private static String setBy(PolicyRevert.Earlier earlier) {
        return (earlier.setBy() == null ? "an AWS service" : code(earlier.setBy())) + " at "
                + Blocks.MINUTES.format(earlier.setAt());
    }

    /** A clean-up target ({@code KIND|region|parent|id}) in words, e.g. "access key AKIA… of user bob". */
    private static String cleanUpLine(String target) {
        String[] parts = target.split("\\|", 4);
        AffectedResource.Kind kind = AffectedResource.Kind.valueOf(parts[0]);
        String of = parts[2].isEmpty() ? "" : " of " + (kind.parentLabel() == null ? "" : kind.parentLabel() + " ")
                + parts[2];
        return kind.label() + " " + parts[3] + of + " (" + parts[1] + ")";
    }

    private static ObjectNode stepButton(Incident incident, StepId step, String label) {
        String name = step.kind().label();
        boolean closing = step.kind() == StepKind.CLOSE_INCIDENT;
        String consequence = switch (step.kind()) {
            case CLOSE_INCIDENT -> "Closes incident " + incident.id() + " and posts its timeline; no step runs after "
                    + "this.";
            case ANALYSE_PERMISSIONS -> "Reads the owner's IAM policies again for incident " + incident.id()
                    + "; changes nothing.";
            default -> "This changes AWS now, in the name of the bot, for incident " + incident.id() + "."
                    + evidenceEvents(incident, step).stream().findFirst().map(e -> " Because of " + code(e.eventName())
                    + " at " + e.eventTime() + (e.sourceIp() == null ? "" : " from " + code(e.sourceIp())) + ".")
                    .orElse("");
        };
        ObjectNode confirm = confirm(name + "?", consequence, "Yes, " + name.toLowerCase(), "Cancel");
        return actions("step-" + step.kind().actionId(), button(label, StepButtons.actionId(step.kind()),
                StepButtons.value(incident.id(), step),
                closing || step.kind() == StepKind.ANALYSE_PERMISSIONS ? "primary" : "danger", confirm));
    }

    /** A step as a review names it: its label, and for a clean-up the resource in words. */
    static String stepName(StepId step) {
        if (step.singleton()) {
            return step.kind().label();
        }
        // A clean-up's and a revert's target is a resource id (kind|region|parent|name): named as people read it.
        boolean resource = step.kind() == StepKind.CLEAN_UP || step.kind() == StepKind.REVERT_POLICY;
        return step.kind().label() + " " + (resource ? cleanUpLine(step.target()) : step.target());
    }

    private static String approvalLine(StepState state) {
        return "Approved by " + state.firstApprovalOfRun().map(first -> user(first.by()) + " and ").orElse("")
                + user(state.approver()) + " at " + Blocks.MINUTES.format(state.approvedAt())
                + (state.finishedAt() == null ? "" : " · finished " + Blocks.MINUTES.format(state.finishedAt()));
    }
}
