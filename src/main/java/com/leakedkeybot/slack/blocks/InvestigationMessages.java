package com.leakedkeybot.slack.blocks;

import static com.leakedkeybot.slack.blocks.Blocks.context;
import static com.leakedkeybot.slack.blocks.Blocks.fields;
import static com.leakedkeybot.slack.blocks.Blocks.section;
import static com.leakedkeybot.slack.blocks.Mrkdwn.code;
import static com.leakedkeybot.slack.blocks.Mrkdwn.escape;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.leakedkeybot.blastradius.BlastRadius;
import com.leakedkeybot.blastradius.RiskyGrant;
import com.leakedkeybot.incident.ScanProgress;
import com.leakedkeybot.investigation.CategorySummary;
import com.leakedkeybot.investigation.DerivedCredential;
import com.leakedkeybot.investigation.EventCategory;
import com.leakedkeybot.investigation.InvestigationReport;
import com.leakedkeybot.investigation.KeyActivity;
import com.leakedkeybot.investigation.NotableEvent;
import com.leakedkeybot.investigation.RegionFailure;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The investigation's messages: blast radius, scan progress, summary and one reply per category. Each list is cut to
 * what fits a message (and a phone screen), saying how much was left out, so any volume of events stays valid.
 */
public final class InvestigationMessages {

    /** Lines per category reply; the rest is counted, not listed. */
    static final int EVENTS_PER_CATEGORY = 15;
    private static final int LIST_ITEMS = 8;

    public SlackMessage blastRadius(BlastRadius radius, String userName) {
        List<ObjectNode> blocks = new ArrayList<>();
        blocks.add(section("*What the key can do* (policies of IAM user " + code(userName) + ")\n"
                + levelLine(radius.level())));
        if (!radius.riskyGrants().isEmpty()) {
            blocks.add(section("*Riskiest grants*\n" + bullets(radius.riskyGrants(), InvestigationMessages::grantLine)));
        }
        if (!radius.assumableRoles().isEmpty()) {
            blocks.add(section("*Roles it may assume*\n" + bullets(radius.assumableRoles(),
                    role -> role.equals("*") ? "any role whose trust policy allows this account" : code(role))));
        }
        blocks.add(section(quarantineLine(radius)));
        blocks.add(context(recommendation(radius.level())));
        if (!radius.notes().isEmpty()) {
            blocks.add(context(escape(String.join(" ", radius.notes()))));
        }
        return IncidentMessages.message("Blast radius: " + radius.level(), blocks);
    }

    public SlackMessage progress(ScanProgress progress) {
        String text;
        if (progress.finished()) {
            text = ":white_check_mark: CloudTrail scan finished: " + progress.regionsDone() + " regions, "
                    + String.format("%,d", progress.events()) + " events.";
        } else if (progress.regionsTotal() == 0) {
            text = ":mag: Reading CloudTrail in every enabled region…";
        } else {
            text = ":mag: Reading CloudTrail: " + progress.regionsDone() + "/" + progress.regionsTotal()
                    + " regions, " + String.format("%,d", progress.events()) + " events so far…";
        }
        return IncidentMessages.message(text, List.of(section(text)));
    }

    public SlackMessage summary(InvestigationReport report) {
        List<ObjectNode> blocks = new ArrayList<>();
        blocks.add(section("*What the key did* — " + String.format("%,d", report.totalEvents()) + " CloudTrail events, "
                + Blocks.MINUTES.format(report.from()) + " to " + Blocks.MINUTES.format(report.to())));
        List<String> counts = new ArrayList<>();
        for (CategorySummary category : report.categories()) {
            counts.add(countField(category));
        }
        for (int i = 0; i < counts.size(); i += Blocks.FIELDS) {
            blocks.add(fields(counts.subList(i, Math.min(counts.size(), i + Blocks.FIELDS)).toArray(String[]::new)));
        }
        if (counts.isEmpty()) {
            blocks.add(section("No events of this key in the scanned window."));
        }
        blocks.add(section("*Keys involved*\n" + bullets(report.keys(), InvestigationMessages::keyLine)));
        if (!report.derivedCredentials().isEmpty()) {
            blocks.add(section("*Keys it minted or created* (they survive deactivation of the key)\n"
                    + bullets(report.derivedCredentials(), InvestigationMessages::derivedLine)));
        }
        if (!report.sourceIps().isEmpty()) {
            blocks.add(section("*Source IPs*\n" + bullets(new ArrayList<>(report.sourceIps()), Mrkdwn::code)));
        }
        blocks.add(context(coverage(report)));
        return IncidentMessages.message("Investigation summary: " + report.totalEvents() + " events", blocks);
    }

    public SlackMessage category(CategorySummary category) {
        List<String> lines = new ArrayList<>();
        for (NotableEvent event : category.notable().subList(0, Math.min(EVENTS_PER_CATEGORY, category.notable().size()))) {
            lines.add("• " + escape(event.summary()) + " (" + Blocks.MINUTES.format(event.firstSeen())
                    + (event.count() > 1 ? " – " + Blocks.MINUTES.format(event.lastSeen()) : "") + ")");
        }
        int hidden = category.notable().size() - lines.size() + category.moreGroups();
        List<ObjectNode> blocks = new ArrayList<>();
        blocks.add(section((category.category().alarming() ? ":red_circle: " : "") + "*" + escape(category.label())
                + "* — " + String.format("%,d", category.count()) + " events"));
        // One section per few lines, so that long AWS names cannot push a section past its 3,000 characters.
        for (int i = 0; i < lines.size(); i += 5) {
            blocks.add(section(String.join("\n", lines.subList(i, Math.min(lines.size(), i + 5)))));
        }
        if (hidden > 0) {
            blocks.add(context("…and " + hidden + " more kinds of event in this category."));
        }
        return IncidentMessages.message(category.label() + ": " + category.count() + " events", blocks);
    }

    /** One alarming kind of event, posted the moment the scan first sees it succeed, before the scan has finished. */
    public SlackMessage alarming(NotableEvent event) {
        String text = ":rotating_light: *" + escape(event.category().label()) + "* seen while the scan runs: "
                + escape(event.summary()) + " (" + Blocks.MINUTES.format(event.firstSeen()) + ")";
        return IncidentMessages.message(event.category().label() + ": " + event.action(),
                List.of(section(text), context("The full findings follow when every region has been read.")));
    }

    public SlackMessage problem(String what, String reason) {
        String text = ":warning: *" + escape(what) + "* could not be established: " + escape(reason);
        return IncidentMessages.message(what + " could not be established", List.of(section(text)));
    }

    /** A category's count as a field: its label (marked when alarming), events, and how many were denied. */
    static String countField(CategorySummary category) {
        return (category.category().alarming() ? ":red_circle: *" : "*") + escape(category.label()) + "*\n"
                + String.format("%,d", category.count())
                + (category.deniedCount() > 0 ? " (" + String.format("%,d", category.deniedCount()) + " denied)" : "");
    }

    /** Categories worth a reply of their own: everything with notable events. */
    public static boolean worthAReply(CategorySummary category) {
        return !category.notable().isEmpty() && category.category() != EventCategory.OTHER;
    }

    private static String levelLine(BlastRadius.Level level) {
        return switch (level) {
            case ADMIN -> ":rotating_light: *Admin* — it can do anything in the account.";
            case WRITE -> ":warning: *Write* — it can change resources or permissions.";
            case READ_ONLY -> ":eyes: *Read-only* — it can list and read, not change.";
            case NONE -> ":white_circle: *No permissions* found on the owner.";
        };
    }

    private static String recommendation(BlastRadius.Level level) {
        return switch (level) {
            case ADMIN, WRITE -> "Runbook: *contain first* — deactivate the key and revoke its sessions now, then "
                    + "check the integrity of what it could change and restore.";
            case READ_ONLY -> "Runbook: if it only reads data that is public anyway, *rotate* (new key, move apps, "
                    + "then deactivate the old one); otherwise contain first.";
            case NONE -> "Runbook: deactivate the key; it grants nothing today, but policies can be attached later.";
        };
    }

    private static String quarantineLine(BlastRadius radius) {
        if (!radius.quarantine().quarantined()) {
            return "*AWS quarantine:* none attached.";
        }
        String open = radius.quarantine().leftOpen().isEmpty() ? ""
                : "\nIt does *not* block, among others: " + String.join(", ",
                radius.quarantine().leftOpen().stream().limit(LIST_ITEMS).map(Mrkdwn::code).toList())
                + ". Quarantine is not containment.";
        return "*AWS quarantine:* " + String.join(", ", radius.quarantine().policies().stream().map(Mrkdwn::code).toList())
                + " attached." + open;
    }

    private static String grantLine(RiskyGrant grant) {
        return "*" + escape(grant.grant()) + "* — " + escape(grant.why());
    }

    private static String keyLine(KeyActivity key) {
        DerivedCredential origin = key.origin();
        String seen = key.firstSeen() == null ? "no events"
                : String.format("%,d", key.eventCount()) + " events, " + Blocks.MINUTES.format(key.firstSeen()) + " – "
                + Blocks.MINUTES.format(key.lastSeen()) + ", regions " + escape(String.join(", ", key.regions()));
        return code(key.accessKeyId()) + (origin == null ? "" : " (via " + escape(origin.mintedBy()) + ")") + ": " + seen;
    }

    private static String derivedLine(DerivedCredential derived) {
        // A created access key lives until someone deletes it; a session until its expiry at the latest.
        String life = derived.validUntil().equals(Instant.MAX) ? "valid until deleted"
                : "valid until " + Blocks.MINUTES.format(derived.validUntil()) + " at the latest";
        return escape(derived.describe()) + ", " + life;
    }

    private static String coverage(InvestigationReport report) {
        List<String> lines = new ArrayList<>(report.coverageNotes());
        lines.add(report.scannedRegions().size() + " regions read completely.");
        for (RegionFailure failure : report.failedRegions()) {
            lines.add("Not read: " + failure.region() + " (" + failure.reason() + ").");
        }
        return escape(String.join(" ", lines));
    }

    private static <T> String bullets(List<T> items, Function<T, String> line) {
        List<String> lines = new ArrayList<>();
        for (T item : items.subList(0, Math.min(LIST_ITEMS, items.size()))) {
            lines.add("• " + line.apply(item));
        }
        if (items.size() > LIST_ITEMS) {
            lines.add("• …and " + (items.size() - LIST_ITEMS) + " more");
        }
        return String.join("\n", lines);
    }
}
