package com.leakedkeybot.slack.blocks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.leakedkeybot.blastradius.AccessLevel;
import com.leakedkeybot.blastradius.BlastRadius;
import com.leakedkeybot.blastradius.QuarantineStatus;
import com.leakedkeybot.blastradius.RiskyGrant;
import com.leakedkeybot.incident.ScanProgress;
import com.leakedkeybot.investigation.AffectedResource;
import com.leakedkeybot.investigation.CategorySummary;
import com.leakedkeybot.investigation.DerivedCredential;
import com.leakedkeybot.investigation.EventCategory;
import com.leakedkeybot.investigation.InvestigationReport;
import com.leakedkeybot.investigation.KeyActivity;
import com.leakedkeybot.investigation.NotableEvent;
import com.leakedkeybot.investigation.RegionFailure;
import com.leakedkeybot.sandbox.BlockKitLimits;
import com.leakedkeybot.sandbox.BlockKitSchema;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Investigation messages stay valid Block Kit whatever the volume, and escape what AWS or attackers wrote. */
class InvestigationMessagesTest {

    private static final Instant T = Instant.parse("2026-11-28T10:00:00Z");
    private static final String HOSTILE = "<!channel> <http://evil.example|click> & ";

    private final InvestigationMessages messages = new InvestigationMessages();

    private static void assertValid(SlackMessage message) {
        assertEquals(List.of(), BlockKitLimits.check(message.blocks()));
        assertEquals(List.of(), BlockKitSchema.validate(message.blocks()));
        assertFalse(message.blocksJson().contains("<!channel>"), "unescaped mention");
        assertFalse(message.blocksJson().contains("<http://evil"), "unescaped link");
    }

    private static NotableEvent event(int i) {
        return new NotableEvent(EventCategory.PERSISTENCE, "CreateUser", "iam", true, false, null, 3, T, T.plusSeconds(60),
                List.of("us-east-1"), List.of("AKIAEXAMPLEKEY000001"), List.of("203.0.113." + (i % 250)),
                List.of(), List.of(new AffectedResource(AffectedResource.Kind.IAM_USER, HOSTILE + "x".repeat(300) + i,
                null, AffectedResource.Action.CREATED, "us-east-1", "CreateUser", "id" + i, T, "AKIAEXAMPLEKEY000001",
                null, null)), false);
    }

    @Test
    void aCategoryWithThousandsOfKindsOfEventFitsOneMessage() {
        List<NotableEvent> notable = IntStream.range(0, 2_000).mapToObj(InvestigationMessagesTest::event).toList();
        SlackMessage message = messages.category(new CategorySummary(EventCategory.PERSISTENCE, 100_000, 0, notable, 500));
        assertValid(message);
        assertTrue(message.blocksJson().contains("…and 2485 more kinds of event"), message.blocksJson());
    }

    @Test
    void theSummaryOfAHugeReportIsValid() {
        List<KeyActivity> keys = IntStream.range(0, 150).mapToObj(i -> new KeyActivity("ASIAEXAMPLEKEY" + String.format("%06d", i),
                null, 1_000, T, T.plusSeconds(5), List.of("198.51.100.1"), List.of(HOSTILE), List.of("us-east-1", "eu-west-1"),
                List.of(), false)).toList();
        List<CategorySummary> categories = new ArrayList<>();
        for (EventCategory category : EventCategory.values()) {
            categories.add(new CategorySummary(category, 9_999, 12, List.of(event(1)), 0));
        }
        List<DerivedCredential> minted = IntStream.range(0, 100).mapToObj(i -> new DerivedCredential(
                "ASIAMINTED" + String.format("%010d", i), "AKIAEXAMPLEKEY000001", "AssumeRole",
                "arn:aws:iam::123456789012:role/" + HOSTILE, "s" + i, null, null, null, T, "us-east-1")).toList();
        List<RegionFailure> failures = IntStream.range(0, 30).mapToObj(i -> new RegionFailure("r-" + i, HOSTILE + "denied")).toList();
        InvestigationReport report = new InvestigationReport(List.of("AKIAEXAMPLEKEY000001"), T.minusSeconds(86_400), T,
                100_000, keys, categories, List.of(), 0, minted, List.of("us-east-1"), failures,
                List.of("LookupEvents covers management events only."), List.of(), 0);

        SlackMessage summary = messages.summary(report);

        assertValid(summary);
        assertTrue(summary.blocksJson().contains("100,000 CloudTrail events"));
        assertTrue(summary.blocksJson().contains("…and 142 more"), "keys beyond the list are counted");
    }

    @Test
    void blastRadiusNamesLevelGrantsQuarantineAndWhatItLeavesOpen() {
        BlastRadius radius = new BlastRadius(BlastRadius.Level.WRITE, Map.of(AccessLevel.WRITE, 12), List.of("s3:PutObject"),
                List.of(new RiskyGrant("iam:PassRole", "can hand a role to a service", List.of("iam:PassRole"), 1, List.of("*"))),
                List.of("arn:aws:iam::123456789012:role/deploy"), List.of(), List.of(),
                new QuarantineStatus(List.of("AWSCompromisedKeyQuarantineV3"), List.of("secretsmanager:GetSecretValue", "s3:PutObject")),
                List.of());

        SlackMessage message = messages.blastRadius(radius, "deploy-bot");

        assertValid(message);
        String json = message.blocksJson();
        assertTrue(json.contains("*Write*"), json);
        assertTrue(json.contains("*iam:PassRole*"), json);
        assertTrue(json.contains("`arn:aws:iam::123456789012:role/deploy`"), json);
        assertTrue(json.contains("`AWSCompromisedKeyQuarantineV3` attached"), json);
        assertTrue(json.contains("`secretsmanager:GetSecretValue`"), json);
        assertTrue(json.contains("contain first"), json);
    }

    @Test
    void progressSaysHowFarTheScanIs() {
        assertEquals(":mag: Reading CloudTrail: 7/17 regions, 1,204 events so far…",
                messages.progress(new ScanProgress(7, 17, 1_204, false)).text());
        assertEquals(":white_check_mark: CloudTrail scan finished: 17 regions, 100,000 events.",
                messages.progress(new ScanProgress(17, 17, 100_000, true)).text());
    }
}
