package com.leakedkeybot.slack.blocks;

import static com.leakedkeybot.slack.blocks.Blocks.context;
import static com.leakedkeybot.slack.blocks.Blocks.fields;
import static com.leakedkeybot.slack.blocks.Blocks.header;
import static com.leakedkeybot.slack.blocks.Blocks.section;
import static com.leakedkeybot.slack.blocks.Mrkdwn.code;
import static com.leakedkeybot.slack.blocks.Mrkdwn.escape;
import static com.leakedkeybot.slack.blocks.Mrkdwn.user;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.leakedkeybot.attribution.Attribution;
import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.KeyFacts;
import com.leakedkeybot.key.KeyKind;
import com.leakedkeybot.key.KeyReport;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The incident's own messages: the reporter's private answers, the thread's root, the key's facts, guidance, and the
 * timeline request. Steps ({@link StepMessages}), findings ({@link InvestigationMessages}) and the timeline
 * ({@link TimelineMessages}) have their own renderers beside it in this package.
 */
public final class IncidentMessages {

    private static final String SECRET_WARNING = ":warning: Your text contained what looks like a *secret access key*. "
            + "It was not stored and will not be repeated. Treat the key as compromised, and delete any other place "
            + "you pasted it. Never send the secret to this bot: the key id alone is enough.";
    private static final String USAGE = "Usage: `/leaked-key AKIA…` — the 20-character *access key id* of the leaked "
            + "key (never the secret). If you know since when it has been exposed, add it: `/leaked-key AKIA… since "
            + "2026-11-20 10:00` (times without an offset are *UTC*; `2026-11-20T10:00+01:00` and a day alone, "
            + "`2026-11-20`, work too). The bot tells the owner's usual activity apart from the attacker's by it.";

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
            case UNREADABLE_EXPOSURE_TIME -> "The bot could not read the time after `since`. Write it as "
                    + "`2026-11-20 10:00` (UTC), `2026-11-20T10:00Z` or `2026-11-20`; or leave `since …` out and the "
                    + "bot proposes one from CloudTrail.";
            case FUTURE_EXPOSURE_TIME -> "The time after `since` is in the future. Give the time the key was first "
                    + "exposed (UTC unless you add an offset), or leave `since …` out and the bot proposes one from "
                    + "CloudTrail.";
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
        List<String> fields = new ArrayList<>(List.of(
                "*Key*\n" + code(incident.keyId().value()),
                "*Kind*\n" + escape(kindLabel(incident.keyId().kind())),
                "*Reported by*\n" + user(incident.reporter()),
                "*Reported at*\n" + Blocks.MINUTES.format(incident.reportedAt())));
        if (incident.attribution().exposedSince() != null) {
            fields.add("*Exposed since*\n" + Blocks.MINUTES.format(incident.attribution().exposedSince())
                    + ", set by " + user(incident.attribution().exposureSetBy()));
        }
        blocks.add(fields(fields.toArray(String[]::new)));
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
                "*Created*\n" + (facts.createdAt() == null ? "unknown" : Blocks.MINUTES.format(facts.createdAt())),
                "*Last used*\n" + lastUseText(facts.lastUse())));
        if (!facts.lookupProblems().isEmpty()) {
            blocks.add(context(":grey_question: Not everything could be looked up: "
                    + escape(String.join("; ", facts.lookupProblems()))));
        }
        return message("Key facts for " + facts.keyId(), blocks);
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
            case FOREIGN_ACCOUNT -> ":no_entry: This key belongs to account " + accountNamed(facts)
                    + ", which is not among the accounts this bot may act in (`ACCOUNTS`; the bot runs in "
                    + code(String.valueOf(facts.ownAccount())) + "), so it did not look the key up there and offers "
                    + "no button. If the account is yours: add it to `ACCOUNTS` and deploy the responder role there "
                    + "(the member StackSet in the README), then report the key again. Otherwise tell that account's "
                    + "owners to deactivate the key now; if nobody here owns it, report it to AWS Trust & Safety.";
            case ACCOUNT_UNREACHABLE -> ":no_entry: This key belongs to account " + accountNamed(facts)
                    + ", but the bot could not assume its responder role " + code(String.valueOf(facts.responderRole()))
                    + ", so it cannot look the key up or act on it. Fix: deploy the member stack (the responder role "
                    + "StackSet in the README) to that account, or make the role's trust policy allow the bot's role "
                    + "(and the external id, if one is set) — then report the key again. Meanwhile have that "
                    + "account's owners deactivate the key in the IAM console.";
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
    public SlackMessage newKeyWaiting(Incident incident, String newKeyId, String secretArn, LocalDate fetchBy) {
        String user = code(incident.facts().userName());
        return message("Your new AWS access key " + newKeyId + " is ready", List.of(section(":key: Your IAM user "
                + user + " has a new access key, " + code(newKeyId) + ", because "
                + code(incident.keyId().value()) + " leaked (incident *" + incident.id() + "*). Its secret is in "
                + "AWS Secrets Manager as " + code(secretArn) + ": read it there *by " + fetchBy + " (UTC)* — it is "
                + "marked for deletion after that day — move your workloads to it, and tell the incident thread "
                + "when the old key is no longer used. Only IAM user " + user + " itself and the bot can read the "
                + "secret. Better still, move to a role.")));
    }

    public String unknownIncident() {
        return ":grey_question: This button belongs to an incident the bot does not know. Nothing was changed.";
    }

    /** A key reported while it has an open incident: the reporter is pointed at its thread. */
    /** @param report the report that joined, with the exposure time its reporter gave, if any */
    public String joinedOpenIncident(Incident existing, Incident report, Optional<String> threadLink) {
        String joined = ":link: " + code(existing.keyId().value()) + " already has an open incident, *"
                + existing.id() + "*" + threadLink.map(link -> ": <" + link + "|its thread>")
                .orElse(" (its thread is being opened)")
                + ". Your report was added to its record; no second investigation was started.";
        Attribution given = report.attribution();
        if (given.exposedSince() == null) {
            return joined;
        }
        Attribution kept = existing.attribution();
        boolean taken = given.exposedSince().equals(kept.exposedSince())
                && report.reporter().equals(kept.exposureSetBy());
        return joined + (taken ? " Your exposure time, " + Blocks.MINUTES.format(given.exposedSince())
                + ", is now the incident's: its sources and proposals follow it."
                : " It already has an exposure time, " + Blocks.MINUTES.format(kept.exposedSince()) + ", set by "
                + user(kept.exposureSetBy()) + ", so yours (" + Blocks.MINUTES.format(given.exposedSince())
                + ") was recorded but not taken. An approver can mark the sources in its thread.");
    }

    /** More work is waiting than the bot takes on: nothing was started, nothing is lost, the user tries again. */
    public String busy() {
        return ":hourglass: The bot is busy with other incidents right now and did not take this on. Nothing was "
                + "started or changed: try again in a minute.";
    }

    public String tooManyReports(Duration wait) {
        return ":hourglass: You have reported several keys in a row; report the next one in "
                + Math.max(1, (wait.toSeconds() + 59) / 60) + " minute(s). If many keys leaked at once, say so in the "
                + "incident channel so that one responder works through them.";
    }

    public String threadUnavailable(Incident incident, String problem) {
        return ":x: I could not post incident *" + incident.id() + "* in the incident channel (" + escape(problem)
                + "). Invite the bot to that channel, then report the key again.";
    }

    private static String accountText(KeyFacts facts) {
        String name = facts.accountName() == null ? "" : "*" + escape(facts.accountName()) + "*\n";
        String where = facts.memberAccount().isPresent() ? "\nhandled as " + code(facts.responderRole()) : "";
        return name + accountIdText(facts) + where;
    }

    private static String accountIdText(KeyFacts facts) {
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
            case FOREIGN_ACCOUNT -> "an account the bot may not act in";
            case ACCOUNT_UNREACHABLE -> "unknown: the account's responder role could not be assumed";
            case NOT_FOUND -> "no IAM user in this account";
            case TEMPORARY_CREDENTIAL -> "temporary credentials (STS)";
            case UNVERIFIED -> "could not be verified";
        };
    }

    private static String accountNamed(KeyFacts facts) {
        return code(facts.account().orElse("unknown"))
                + (facts.accountName() == null ? "" : " (" + escape(facts.accountName()) + ")");
    }

    private static String lastUseText(KeyFacts.LastUse lastUse) {
        if (lastUse == null) {
            return "unknown";
        }
        if (lastUse.never()) {
            return "never";
        }
        return Blocks.MINUTES.format(lastUse.at()) + "\n" + escape(lastUse.service()) + " in " + escape(lastUse.region());
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
