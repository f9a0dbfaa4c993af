package com.leakedkeybot.slack.blocks;

import static com.leakedkeybot.slack.blocks.Blocks.actions;
import static com.leakedkeybot.slack.blocks.Blocks.button;
import static com.leakedkeybot.slack.blocks.Blocks.confirm;
import static com.leakedkeybot.slack.blocks.Blocks.context;
import static com.leakedkeybot.slack.blocks.Blocks.fields;
import static com.leakedkeybot.slack.blocks.Blocks.header;
import static com.leakedkeybot.slack.blocks.Blocks.section;
import static com.leakedkeybot.slack.blocks.Mrkdwn.code;
import static com.leakedkeybot.slack.blocks.Mrkdwn.escape;
import static com.leakedkeybot.slack.blocks.Mrkdwn.user;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.KeyFacts;
import com.leakedkeybot.investigation.AffectedResource;
import com.leakedkeybot.key.KeyKind;
import com.leakedkeybot.key.KeyReport;
import com.leakedkeybot.remediation.PolicyRevert;
import com.leakedkeybot.remediation.Refusal;
import com.leakedkeybot.remediation.RestoreObjectsStep;
import com.leakedkeybot.remediation.RevocationPolicies;
import com.leakedkeybot.remediation.StepId;
import com.leakedkeybot.remediation.StepKind;
import com.leakedkeybot.remediation.StepState;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Every message the bot shows in Slack is rendered here, from domain values to Block Kit JSON. */
public final class IncidentMessages {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final String SECRET_WARNING = ":warning: Your text contained what looks like a *secret access key*. "
            + "It was not stored and will not be repeated. Treat the key as compromised, and delete any other place "
            + "you pasted it. Never send the secret to this bot: the key id alone is enough.";
    private static final String USAGE = "Usage: `/leaked-key AKIA…` — the 20-character *access key id* of the leaked "
            + "key, and nothing else (never the secret).";

    // ---- replies to the reporter (ephemeral) ----

    public SlackMessage acknowledged(Incident incident) {
        List<ObjectNode> blocks = new ArrayList<>();
        blocks.add(section(":rotating_light: Incident *" + incident.id() + "* opened for key "
                + code(incident.keyId().value()) + ". Follow it in the incident thread; steps run only after an "
                + "approver clicks."));
        if (incident.secretPastedInReport()) {
            blocks.add(section(SECRET_WARNING));
        }
        return message("Incident " + incident.id() + " opened for " + incident.keyId(), blocks);
    }

    public SlackMessage rejected(KeyReport.Rejected rejected) {
        String why = switch (rejected.reason()) {
            case EMPTY -> "Tell me which key leaked.";
            case TOO_LONG -> "That text is far longer than an access key id.";
            case MALFORMED -> "That is not an access key id: ids are 20 characters, capital letters and digits, "
                    + "starting with `AKIA` (long-term) or `ASIA` (temporary).";
            case SEVERAL_IDS -> "One key per incident, please: report each key with its own `/leaked-key`.";
            case UNSUPPORTED_KIND -> "Keys starting with `" + rejected.kind().prefix() + "` are "
                    + rejected.kind().description() + ". This bot handles `AKIA` (long-term) and `ASIA` "
                    + "(temporary) keys; handle this credential with its service's own revocation.";
        };
        List<ObjectNode> blocks = new ArrayList<>();
        blocks.add(section(why + "\n" + USAGE));
        if (rejected.secretPasted()) {
            blocks.add(section(SECRET_WARNING));
        }
        return message(why, blocks);
    }

    // ---- the incident thread ----

    public SlackMessage incidentRoot(Incident incident) {
        List<ObjectNode> blocks = new ArrayList<>();
        blocks.add(header(":key: Leaked AWS access key — " + incident.id()));
        blocks.add(fields(
                "*Key*\n" + code(incident.keyId().value()),
                "*Kind*\n" + escape(kindLabel(incident.keyId().kind())),
                "*Reported by*\n" + user(incident.reporter()),
                "*Reported at*\n" + TIME.format(incident.reportedAt())));
        if (incident.secretPastedInReport()) {
            blocks.add(section(":warning: The report contained what looks like the *secret* of this key. It was "
                    + "not stored or repeated. Treat the key as compromised."));
        }
        blocks.add(context("Findings and remediation steps follow in this thread. Every change needs an approver's click."));
        return message("Leaked AWS access key " + incident.keyId() + " — incident " + incident.id(), blocks);
    }

    public SlackMessage keyFacts(Incident incident) {
        KeyFacts facts = incident.facts();
        List<ObjectNode> blocks = new ArrayList<>();
        blocks.add(section("*What the bot knows about* " + code(facts.keyId().value())));
        blocks.add(fields(
                "*Account*\n" + accountText(facts),
                "*Owner*\n" + ownerText(facts),
                "*Status*\n" + (facts.status() == null ? "unknown" : escape(facts.status())),
                "*Created*\n" + (facts.createdAt() == null ? "unknown" : TIME.format(facts.createdAt())),
                "*Last used*\n" + lastUseText(facts.lastUse())));
        if (!facts.lookupProblems().isEmpty()) {
            blocks.add(context(":grey_question: Not everything could be looked up: "
                    + escape(String.join("; ", facts.lookupProblems()))));
        }
        return message("Key facts for " + facts.keyId(), blocks);
    }

    public SlackMessage step(Incident incident, StepId step) {
        StepState state = incident.step(step).orElseThrow();
        List<ObjectNode> blocks = new ArrayList<>();
        blocks.add(section(stepExplanation(incident, step)));
        switch (state.status()) {
            case OFFERED -> blocks.add(stepButton(incident, step, step.kind().label()));
            case RUNNING -> blocks.add(context(":hourglass_flowing_sand: Approved by " + user(state.approver())
                    + " at " + TIME.format(state.approvedAt()) + " — running…"));
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
        return message(step.kind().label() + " — " + state.status().name().toLowerCase(), blocks);
    }

    public SlackMessage manualGuidance(Incident incident) {
        KeyFacts facts = incident.facts();
        String text = switch (facts.ownership()) {
            case ROOT_USER -> ":warning: This is a key of the account's *root user*. IAM's user APIs cannot switch it "
                    + "off, so the bot offers no button. Someone with the root e-mail and password must:\n"
                    + "1. Sign in to the AWS console as the root user.\n"
                    + "2. Open *Security credentials* (account menu → Security credentials).\n"
                    + "3. Under *Access keys*, choose *Actions → Deactivate* for " + code(facts.keyId().value())
                    + " (deactivate, do not delete yet).\n"
                    + "4. Sessions minted from root keys survive this: contain them with a Service Control Policy "
                    + "from the organization's management account that denies everything to the root principal "
                    + "(`aws:PrincipalArn` = " + code("arn:aws:iam::" + facts.account().orElse("ACCOUNT-ID") + ":root")
                    + ").\n"
                    + "5. Prefer no root access keys at all once the incident is over.";
            case FOREIGN_ACCOUNT -> ":globe_with_meridians: This key belongs to account "
                    + code(facts.account().orElse("unknown")) + ", not to the account the bot manages ("
                    + code(String.valueOf(facts.ownAccount())) + "). The bot cannot act on it. Tell that "
                    + "account's owners; if nobody here owns it, report it to AWS Trust & Safety.";
            case NOT_FOUND -> ":mag: No IAM user in this account owns this key. It may have been deleted already, "
                    + "or belong to another account (old key ids do not encode their account). Check the "
                    + "account id and CloudTrail before closing.";
            case TEMPORARY_CREDENTIAL -> ":hourglass: `ASIA` keys are temporary STS credentials: they cannot be "
                    + "deactivated and expire on their own (15 minutes to 36 hours). Find the principal that minted "
                    + "it (CloudTrail `GetSessionToken`/`AssumeRole` events) and revoke that principal's sessions.";
            case UNVERIFIED -> ":grey_question: The bot could not verify who owns this key, so it offers no button. "
                    + "Give the bot the permissions in the README, or deactivate the key in the IAM console.";
            case IAM_USER -> throw new IllegalArgumentException("IAM user keys get a step, not guidance");
        };
        return message("What to do with " + facts.keyId(), List.of(section(text)));
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
            case NOT_OFFERED -> ":grey_question: *" + step + "* is not available for this incident.";
            case INCIDENT_CLOSED -> ":lock: This incident is closed, so *" + step + "* no longer runs. Nothing was "
                    + "changed. If the key needs attention again, report it with a new `/leaked-key`.";
            case RECHECKING -> ":grey_question: *" + step + "* was running when the bot stopped, so its outcome is "
                    + "unknown. The bot is re-checking AWS state now instead of running it again; the step's message "
                    + "will show what AWS says.";
        };
    }

    /**
     * Runbook step 4, restore access: steer the owner's workloads to temporary credentials, and point at the rotation
     * step for what must keep a long-term key.
     *
     * @param rotationLink a link to the rotation step's message, or null when it could not be had
     */
    public SlackMessage restoreAccess(Incident incident, String rotationLink) {
        KeyFacts facts = incident.facts();
        String rotation = rotationLink == null ? "the *Rotate key* step in this thread"
                : "the <" + rotationLink + "|*Rotate key* step>";
        String lastUse = facts.lastUse() == null || facts.lastUse().never() ? ""
                : "\nThe key was last used with " + code(facts.lastUse().service()) + " in "
                + code(facts.lastUse().region()) + ": start there to find the workloads that need new credentials.";
        return message("Restoring access for " + facts.userName(), List.of(section("*Restore access without a new "
                + "long-term key where you can*\nA long-term key can leak again; temporary credentials expire on "
                + "their own. Give what used " + code(incident.keyId().value()) + " a role instead:\n"
                + "• code on AWS: an instance profile (EC2), task role (ECS), execution role (Lambda) or IRSA / Pod "
                + "Identity (EKS);\n"
                + "• people: IAM Identity Center or SAML/OIDC federation, with MFA;\n"
                + "• machines outside AWS: IAM Roles Anywhere, or OIDC from the CI system (GitHub Actions, GitLab).\n"
                + "Where a long-term key is still needed for IAM user " + code(facts.userName()) + ", use " + rotation
                + ": the bot creates it and only the owner receives it, privately." + lastUse)));
    }

    // ---- /leaked-key timeline (ephemeral) ----

    public String timelineUsage() {
        return "Usage: `/leaked-key timeline LK-yyyyMMdd-XXXXXXXX` — the incident id from its thread.";
    }

    public String timelineComing(String incidentId) {
        return ":spiral_note_pad: Looking up the timeline of *" + escape(incidentId) + "*…";
    }

    public SlackMessage timelineUnavailable(String incidentId) {
        // One answer for "no such incident" and "not yours to read": the difference would tell who has incidents.
        String text = ":grey_question: No timeline of *" + escape(incidentId) + "* for you: the bot knows no such "
                + "incident (closed ones are kept for the retention period), or you are neither an approver nor its "
                + "reporter.";
        return message("No timeline of " + incidentId, List.of(section(text)));
    }

    /** The direct message to a key's owner: where the new key's secret is, never the secret. */
    public SlackMessage newKeyWaiting(Incident incident, String newKeyId, String secretArn) {
        return message("Your new AWS access key " + newKeyId + " is ready", List.of(section(":key: Your IAM user "
                + code(incident.facts().userName()) + " has a new access key, " + code(newKeyId) + ", because "
                + code(incident.keyId().value()) + " leaked (incident *" + incident.id() + "*). Its secret is in "
                + "AWS Secrets Manager as " + code(secretArn) + ": read it there, move your workloads to it, and "
                + "tell the incident thread when the old key is no longer used. Better still, move to a role.")));
    }

    public String unknownIncident() {
        return ":grey_question: This button belongs to an incident the bot does not know. Nothing was changed.";
    }

    public String threadUnavailable(Incident incident, String problem) {
        return ":x: I could not post incident *" + incident.id() + "* in the incident channel (" + escape(problem)
                + "). Invite the bot to that channel, then report the key again.";
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
                    + "tag `slack-user-id`). The secret never appears in Slack. IAM allows two keys per user: the "
                    + "bot checks first.";
            case DELETE_OLD_KEY -> "*Step: delete the old key*\nA new key exists, and IAM shows "
                    + code(incident.keyId().value()) + " inactive and unused since its deactivation. Deletes it "
                    + "(`iam:DeleteAccessKey`) — this cannot be undone, so another approver than the reporter must "
                    + "run it. The bot checks the key's last use again first.";
            case CLEAN_UP -> "*Clean-up:* " + escape(cleanUpLine(step.target())) + "\nCloudTrail shows the leaked key "
                    + "(or a credential minted from it) created this. Removes exactly this resource"
                    + " — for a user, with its keys, console password, policies and group memberships; for a role, "
                    + "with its policies and instance-profile links. Cannot be undone: another approver than the "
                    + "reporter must run it.";
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
                    + objectList(RestoreObjectsStep.objectKeys(incident, step.target())) + ". For each, the bot makes "
                    + "its newest version from before the attacker current again — a copy of it, so the history keeps "
                    + "every version — and hides an object the attacker created behind a delete marker (reversible). "
                    + "An object someone changed after the attacker is left alone and listed for review. It replaces "
                    + "what the objects hold now: another approver than the reporter must run it.";
            case REVERT_POLICY -> "*Revert:* " + incident.findings().policyReverts().stream()
                    .filter(r -> r.target().equals(step.target())).findFirst().map(IncidentMessages::revertLine)
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
        return message("Policy change to review by hand: " + change.describe(), List.of(section(text)));
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
                + TIME.format(earlier.setAt());
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
        String consequence = closing ? "Closes incident " + incident.id() + " and posts its timeline; no step runs "
                + "after this." : "This changes AWS now, in the name of the bot, for incident " + incident.id() + ".";
        ObjectNode confirm = confirm(name + "?", consequence, "Yes, " + name.toLowerCase(), "Cancel");
        return actions("step-" + step.kind().actionId(), button(label, StepButtons.actionId(step.kind()),
                StepButtons.value(incident.id(), step), closing ? "primary" : "danger", confirm));
    }

    /** A step as a review names it: its label, and for a clean-up the resource in words. */
    static String stepName(StepId step) {
        if (step.singleton()) {
            return step.kind().label();
        }
        return step.kind().label() + " " + (step.kind() == StepKind.CLEAN_UP ? cleanUpLine(step.target()) : step.target());
    }

    private static String approvalLine(StepState state) {
        return "Approved by " + user(state.approver()) + " at " + TIME.format(state.approvedAt())
                + (state.finishedAt() == null ? "" : " · finished " + TIME.format(state.finishedAt()));
    }

    private static String accountText(KeyFacts facts) {
        String decoded = facts.decodedAccount().map(a -> code(a) + " (decoded from the key id)")
                .orElse("not decodable from this key id (old format)");
        if (facts.confirmedAccount() == null) {
            return decoded + "\nnot confirmed by STS";
        }
        String confirmed = code(facts.confirmedAccount()) + " (confirmed by STS)";
        if (facts.decodedDisagreesWithSts()) {
            return confirmed + "\n:warning: the id decodes to " + decoded;
        }
        return facts.decodedAccount().isPresent() ? confirmed + "\nmatches the key id" : confirmed + "\n" + decoded;
    }

    private static String ownerText(KeyFacts facts) {
        return switch (facts.ownership()) {
            case IAM_USER -> "IAM user " + code(facts.userName());
            case ROOT_USER -> ":warning: the account's *root user*";
            case FOREIGN_ACCOUNT -> "another account";
            case NOT_FOUND -> "no IAM user in this account";
            case TEMPORARY_CREDENTIAL -> "temporary credentials (STS)";
            case UNVERIFIED -> "could not be verified";
        };
    }

    private static String lastUseText(KeyFacts.LastUse lastUse) {
        if (lastUse == null) {
            return "unknown";
        }
        if (lastUse.never()) {
            return "never";
        }
        return TIME.format(lastUse.at()) + "\n" + escape(lastUse.service()) + " in " + escape(lastUse.region());
    }

    private static String kindLabel(KeyKind kind) {
        return kind == KeyKind.LONG_TERM ? "long-term (AKIA)" : "temporary (ASIA)";
    }

    static SlackMessage message(String text, List<ObjectNode> blocks) {
        ArrayNode array = Blocks.JSON.createArrayNode();
        blocks.stream().limit(Blocks.MAX_BLOCKS).forEach(array::add);
        return new SlackMessage(Blocks.cut(text, 3000), array);
    }
}
