package com.leakedkeybot.slack.blocks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leakedkeybot.attribution.Attribution;
import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.IncidentId;
import com.leakedkeybot.incident.KeyFacts;
import com.leakedkeybot.incident.KeyOwnership;
import com.leakedkeybot.incident.ThreadRef;
import com.leakedkeybot.key.AccessKeyId;
import com.leakedkeybot.key.KeyReport;
import com.leakedkeybot.sandbox.BlockKitLimits;
import com.leakedkeybot.sandbox.BlockKitSchema;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Rendering is compared as JSON against the expected messages in src/test/resources/messages/. */
class IncidentMessagesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Instant REPORTED = Instant.parse("2026-11-28T14:05:00Z");
    static final AccessKeyId KEY = new AccessKeyId("AKIAY34FZKBOKMUTVV7A");

    private final IncidentMessages messages = new IncidentMessages();

    static Incident incident(KeyOwnership ownership, boolean secretPasted) {
        KeyFacts facts = new KeyFacts(KEY, KEY.encodedAccountId(), "609629065308", "609629065308", null, null, ownership,
                ownership == KeyOwnership.IAM_USER ? "deploy-bot" : null, "Active",
                Instant.parse("2025-01-02T03:04:05Z"),
                new KeyFacts.LastUse(Instant.parse("2026-11-27T22:10:00Z"), "s3", "eu-west-1"), List.of());
        return Incident.reported(new IncidentId("LK-20261128-ABCDEF"), KEY, "U0REPORTER", REPORTED, secretPasted)
                .withThread(new ThreadRef("C0INCIDENT", "1700000000.000100"))
                .withFacts(facts);
    }

    /** A joining report's {@code since …}: the reporter hears whether the incident took it. */
    @Test
    void aJoiningReporterHearsWhetherTheirExposureTimeWasTaken() {
        Instant since = REPORTED.minusSeconds(3_600);
        Incident report = Incident.reported(new IncidentId("LK-20261128-XYZXYZ"), KEY, "U0OTHER", REPORTED, false,
                since);
        Incident open = incident(KeyOwnership.IAM_USER, false);

        String taken = messages.joinedOpenIncident(open.withAttribution(Attribution.NONE.exposed(since, "U0OTHER")),
                report, Optional.empty());
        String kept = messages.joinedOpenIncident(open.withAttribution(Attribution.NONE.exposed(
                since.minusSeconds(600), "U0REPORTER")), report, Optional.empty());

        assertTrue(taken.endsWith("Your exposure time, 2026-11-28 13:05 UTC, is now the incident's: its sources and "
                + "proposals follow it."), taken);
        assertTrue(kept.endsWith("It already has an exposure time, 2026-11-28 12:55 UTC, set by <@U0REPORTER>, so "
                + "yours (2026-11-28 13:05 UTC) was recorded but not taken. An approver can mark the sources in its "
                + "thread."), kept);
        assertTrue(messages.joinedOpenIncident(open, incident(KeyOwnership.IAM_USER, false), Optional.empty())
                .endsWith("no second investigation was started."), "no time given, nothing said of one");
    }

    @Test
    void rendersTheRootMessage() throws IOException {
        assertJson("root.json", messages.incidentRoot(incident(KeyOwnership.IAM_USER, false)));
    }

    @Test
    void warnsInTheRootMessageWhenTheSecretWasPasted() {
        String blocks = messages.incidentRoot(incident(KeyOwnership.IAM_USER, true)).blocksJson();
        assertTrue(blocks.contains("Treat the key as compromised"));
    }

    @Test
    void rendersTheKeyFacts() throws IOException {
        assertJson("key-facts.json", messages.keyFacts(incident(KeyOwnership.IAM_USER, false)));
    }

    @Test
    void rootKeysGetManualStepsAndNoButton() throws IOException {
        assertJson("guidance-root.json", messages.manualGuidance(incident(KeyOwnership.ROOT_USER, false)));
    }

    @Test
    void foreignKeysNameBothAccounts() {
        Incident incident = incident(KeyOwnership.FOREIGN_ACCOUNT, false);
        KeyFacts facts = incident.facts();
        Incident foreign = incident.withFacts(new KeyFacts(KEY, facts.decodedAccount(), "609629065308", "123456789012", null, null,
                KeyOwnership.FOREIGN_ACCOUNT, null, null, null, null, List.of()));
        String blocks = messages.manualGuidance(foreign).blocksJson();
        assertTrue(blocks.contains("`609629065308`") && blocks.contains("`123456789012`"), blocks);
        assertFalse(blocks.contains("\"actions\""));
    }

    /** A key of a member account, handled there as the responder role, with the account's name from Organizations. */
    static Incident memberIncident(KeyOwnership ownership) {
        KeyFacts facts = new KeyFacts(KEY, KEY.encodedAccountId(), "609629065308", "123456789012", "payments-prod",
                "arn:aws:iam::609629065308:role/LeakedKeyBotResponder", ownership,
                ownership == KeyOwnership.IAM_USER ? "deploy-bot" : null, ownership == KeyOwnership.IAM_USER
                ? "Active" : null, null, null, ownership == KeyOwnership.IAM_USER ? List.of()
                : List.of("sts:AssumeRole on arn:aws:iam::609629065308:role/LeakedKeyBotResponder: AccessDenied — no"));
        return incident(KeyOwnership.IAM_USER, false).withFacts(facts);
    }

    @Test
    void aMemberAccountsKeyFactsNameTheAccountAndTheRoleTheBotActsAs() throws IOException {
        assertJson("key-facts-member.json", messages.keyFacts(memberIncident(KeyOwnership.IAM_USER)));
    }

    @Test
    void aRoleThatCannotBeAssumedIsNamedWithTheFix() throws IOException {
        assertJson("guidance-account-unreachable.json",
                messages.manualGuidance(memberIncident(KeyOwnership.ACCOUNT_UNREACHABLE)));
    }

    @Test
    void theAcknowledgementNamesTheIncident() throws IOException {
        assertJson("ack.json", messages.acknowledged(incident(KeyOwnership.IAM_USER, true)));
    }

    @Test
    void usageNeverEchoesTheText() {
        KeyReport.Rejected rejected = (KeyReport.Rejected) KeyReport.of("<!channel> hello");
        SlackMessage usage = messages.rejected(rejected);
        assertFalse(usage.blocksJson().contains("channel>") || usage.text().contains("hello"));
        assertTrue(usage.blocksJson().contains("Usage: `/leaked-key AKIA…`"));
    }

    @Test
    void anUnreadableOrFutureExposureTimeIsExplainedWithTheFormsThatWorkAndNeverEchoed() {
        for (String since : List.of("since <!channel> soon", "since 2999-01-01")) {
            KeyReport.Rejected rejected = (KeyReport.Rejected) KeyReport.of("AKIAIOSFODNN7EXAMPLE " + since);
            String told = messages.rejected(rejected).blocksJson();
            assertFalse(told.contains("channel>") || told.contains("2999"), told);
            assertTrue(told.contains("`2026-11-20 10:00` (UTC)") || told.contains("in the future"), told);
            assertTrue(told.contains("times without an offset are *UTC*"), told);
        }
    }

    @Test
    void theRootMessageShowsTheExposureTimeTheReporterGave() {
        Incident incident = Incident.reported(new IncidentId("LK-20261128-ABCDEF"), KEY, "U0REPORTER", REPORTED,
                false, Instant.parse("2026-11-20T10:00:00Z"));
        String root = messages.incidentRoot(incident).blocksJson();
        assertTrue(root.contains("*Exposed since*\\n2026-11-20 10:00 UTC, set by <@U0REPORTER>"), root);
    }

    @Test
    void restoreAccessGuidanceLinksTheRotationStep() throws IOException {
        assertJson("restore-access.json", messages.restoreAccess(incident(KeyOwnership.IAM_USER, false),
                "https://acme.slack.com/archives/C0INCIDENT/p1700000000000500?thread_ts=1700000000.000100"));
    }

    @Test
    void restoreAccessGuidanceNamesTheRotationStepWhenThereIsNoLink() {
        String blocks = messages.restoreAccess(incident(KeyOwnership.IAM_USER, false), null).blocksJson();
        assertTrue(blocks.contains("the *Rotate key* step in this thread"), blocks);
    }

    @Test
    void anUnavailableTimelineEscapesWhatWasTyped() {
        String blocks = messages.timelineUnavailable("<!here>").blocksJson();
        assertFalse(blocks.contains("<!here>"), blocks);
    }

    @Test
    void accountDisagreementIsShown() {
        Incident incident = incident(KeyOwnership.IAM_USER, false);
        KeyFacts f = incident.facts();
        Incident disagreeing = incident.withFacts(new KeyFacts(KEY, Optional.of("111111111111"), "222222222222",
                "222222222222", null, null, f.ownership(), f.userName(), f.status(), f.createdAt(), f.lastUse(), List.of("x")));
        String blocks = messages.keyFacts(disagreeing).blocksJson();
        assertTrue(blocks.contains("the id decodes to `111111111111`"), blocks);
    }

    static void assertJson(String expectedResource, SlackMessage message) throws IOException {
        try (InputStream in = IncidentMessagesTest.class.getResourceAsStream("/messages/" + expectedResource)) {
            if (in == null) {
                throw new AssertionError("missing expected message " + expectedResource + "; rendered:\n"
                        + JSON.writerWithDefaultPrettyPrinter().writeValueAsString(asJson(message)));
            }
            assertEquals(JSON.readTree(in), asJson(message));
        }
        assertEquals(List.of(), BlockKitSchema.validate(message.blocks()), "Block Kit schema");
        assertEquals(List.of(), BlockKitLimits.check(message.blocks()), "Slack's limits");
    }

    private static JsonNode asJson(SlackMessage message) {
        var node = JSON.createObjectNode().put("text", message.text());
        node.set("blocks", message.blocks());
        return node;
    }
}
