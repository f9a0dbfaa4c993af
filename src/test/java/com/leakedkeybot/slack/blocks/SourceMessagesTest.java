package com.leakedkeybot.slack.blocks;

import com.leakedkeybot.attribution.Attribution;
import com.leakedkeybot.attribution.SourceMark;
import com.leakedkeybot.attribution.Verdict;
import com.leakedkeybot.incident.AttributionRefusal;
import com.leakedkeybot.incident.Findings;
import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.IncidentId;
import com.leakedkeybot.incident.KeyOwnership;
import com.leakedkeybot.investigation.AffectedResource;
import com.leakedkeybot.investigation.CallSource;
import com.leakedkeybot.investigation.DerivedCredential;
import com.leakedkeybot.investigation.EventCategory;
import com.leakedkeybot.sandbox.BlockKitLimits;
import com.leakedkeybot.sandbox.BlockKitSchema;
import com.leakedkeybot.step.StepId;
import com.leakedkeybot.step.StepKind;
import com.leakedkeybot.step.StepState;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import static com.leakedkeybot.slack.blocks.IncidentMessagesTest.KEY;
import static com.leakedkeybot.slack.blocks.IncidentMessagesTest.REPORTED;
import static com.leakedkeybot.slack.blocks.IncidentMessagesTest.assertJson;
import static com.leakedkeybot.slack.blocks.IncidentMessagesTest.incident;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sources message and the withdrawn step, compared as JSON against src/test/resources/messages/. */
class SourceMessagesTest {

    private static final Instant EXPOSED = Instant.parse("2026-11-20T10:00:00Z");
    private static final String MINTED = "ASIAY34FZKBOEXAMPLE1";
    private static final CallSource CI = new CallSource("c1c1c1c1c1c1", "198.51.100.20", null,
            "aws-cli/2.15.0 exec-env/GitHubActions", EXPOSED.minus(Duration.ofDays(20)),
            EXPOSED.plus(Duration.ofHours(2)), 420, Map.of(EventCategory.RESOURCE_CREATION,
            EXPOSED.minus(Duration.ofDays(20)), EventCategory.RECONNAISSANCE, EXPOSED.minus(Duration.ofDays(20))),
            List.of(KEY.value()));
    private static final CallSource ATTACKER = new CallSource("a7a7a7a7a7a7", "203.0.113.66", null,
            "Boto3/1.34 <!channel> *bold*", EXPOSED.plus(Duration.ofMinutes(5)), EXPOSED.plus(Duration.ofHours(1)), 37,
            Map.of(EventCategory.PERSISTENCE, EXPOSED.plus(Duration.ofMinutes(9)), EventCategory.RECONNAISSANCE,
                    EXPOSED.plus(Duration.ofMinutes(5))), List.of(KEY.value(), MINTED));
    private static final CallSource CLOUDFORMATION = new CallSource("cfcfcfcfcfcf", "cloudformation.amazonaws.com",
            "AWS service", "cloudformation.amazonaws.com", EXPOSED.minus(Duration.ofDays(19)),
            EXPOSED.plus(Duration.ofMinutes(30)), 12, Map.of(EventCategory.RESOURCE_CREATION,
            EXPOSED.minus(Duration.ofDays(19))), List.of(KEY.value()));

    private final SourceMessages messages = new SourceMessages();
    private final StepMessages steps = new StepMessages();

    @Test
    void rendersEverySourceWithItsVerdictButtonsAndTheOwnersChangesNotProposed() throws IOException {
        Incident incident = withSources(List.of(CI, ATTACKER, CLOUDFORMATION))
                .withAttribution(Attribution.NONE.exposed(EXPOSED, "U0REPORTER").marked(CI.id(),
                        new SourceMark(Verdict.OWNER, "U0APPROVER", EXPOSED.plus(Duration.ofHours(5)))));

        SlackMessage rendered = messages.sources(incident);

        assertJson("sources-exposure-given.json", rendered);
        assertFalse(rendered.blocksJson().contains("<!channel>"), "AWS text is escaped");
        assertTrue(rendered.blocksJson().contains("*Ambiguous:* an AWS service acting for whoever called it"));
    }

    @Test
    void rendersTheBotsProposalWithAButtonToConfirmIt() throws IOException {
        Incident incident = withSources(List.of(CI, ATTACKER)).withAttribution(Attribution.NONE.proposing(
                ATTACKER.firstSeen()));

        assertJson("sources-exposure-proposed.json", messages.sources(incident));
    }

    /** An automatic report's detection time is proposed as what it is, with the warning that calls may precede it. */
    @Test
    void aDetectionTimeIsProposedAsSuchWithItsSourceEscaped() {
        Incident incident = withSources(List.of(CI, ATTACKER)).withAttribution(Attribution.NONE.proposing(
                ATTACKER.firstSeen(), "GuardDuty <!channel>"));

        String blocks = messages.sources(incident).blocksJson();

        assertTrue(blocks.contains(" — when GuardDuty &lt;!channel&gt; saw the key exposed: the key may have been used "
                + "before that, so check the sources first seen just before it. Until an approver confirms it, every "
                + "source counts as the attacker's."), blocks);
        assertFalse(blocks.contains("a new address with a new tool"));
        assertTrue(blocks.contains("Confirm exposure time"), "the button to confirm it stays");
    }

    @Test
    void manySourcesStayWithinSlacksLimitsWithACount() {
        List<CallSource> many = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            many.add(new CallSource("%012d".formatted(i), "10.0.0." + i, null, "ua-" + i + "x".repeat(500),
                    EXPOSED.plusSeconds(i), EXPOSED.plusSeconds(i), 2, Map.of(EventCategory.RECONNAISSANCE,
                    EXPOSED.plusSeconds(i)), List.of(KEY.value())));
        }

        SlackMessage rendered = messages.sources(withSources(many));

        assertEquals(List.of(), BlockKitSchema.validate(rendered.blocks()));
        assertEquals(List.of(), BlockKitLimits.check(rendered.blocks()));
        assertTrue(rendered.blocksJson().contains("25 more source(s) not shown (50 calls)"), rendered.blocksJson());
    }

    @Test
    void aWithdrawnStepKeepsItsEvidenceAndLosesItsButton() throws IOException {
        StepId cleanUp = new StepId(StepKind.CLEAN_UP, "IAM_USER|us-east-1||backdoor");
        Incident incident = withSources(List.of(CI, ATTACKER))
                .withStep(StepState.offered(cleanUp, "1700000000.000700"));

        assertJson("step-withdrawn.json", steps.withdrawn(incident, incident.step(cleanUp).orElseThrow()));
    }

    @Test
    void aWithdrawnRevertNamesThePolicyNotItsId() {
        StepId revert = new StepId(StepKind.REVERT_POLICY, "IAM_USER_INLINE_POLICY|us-east-1|dana|deploy-artifacts");
        Incident incident = withSources(List.of(CI, ATTACKER)).withStep(StepState.offered(revert, "1700000000.000800"));

        String json = steps.withdrawn(incident, incident.step(revert).orElseThrow()).blocksJson();

        assertTrue(json.contains("*Withdrawn:* Revert policy change inline policy deploy-artifacts of user dana "
                + "(us-east-1)"), json);
    }

    @Test
    void aProposalShowsTheEventBehindItAndTheKeysChainBackToTheLeakedKey() {
        StepId cleanUp = new StepId(StepKind.CLEAN_UP, "IAM_USER|us-east-1||backdoor");
        Incident incident = withSources(List.of(CI, ATTACKER))
                .withStep(StepState.offered(cleanUp, "1700000000.000700"));

        String json = steps.step(incident, cleanUp).blocksJson();

        assertTrue(json.contains("*Evidence (CloudTrail):* `CreateUser` at 2026-11-20T10:09:00Z from "
                + "`203.0.113.66` with `Boto3/1.34 &lt;!channel&gt; *bold*` by key `" + MINTED + "` (minted `"
                + KEY.value() + "` → `" + MINTED + "`) in us-east-1, event `ev-backdoor`"), json);
        assertTrue(json.contains("Because of `CreateUser` at 2026-11-20T10:09:00Z from `203.0.113.66`."),
                "the approval's confirmation names the event too: " + json);
    }

    @Test
    void refusalsSayWhyNothingChanged() {
        assertTrue(messages.refusal(AttributionRefusal.NOT_AN_APPROVER).contains("Only configured approvers"));
        assertTrue(messages.refusal(AttributionRefusal.NOTHING_TO_CONFIRM).contains("already set"));
    }

    @Test
    void sourceButtonsNameTheIncidentTheSourceAndTheVerdict() {
        IncidentId id = new IncidentId("LK-20261128-ABCDEF");
        assertEquals(Optional.of(new SourceButtons.Clicked(id, Verdict.OWNER, "a7a7a7a7a7a7")), SourceButtons.parse(
                SourceButtons.markActionId(Verdict.OWNER, "a7a7a7a7a7a7"), id.value() + " a7a7a7a7a7a7"));
        assertTrue(SourceButtons.parse(SourceButtons.confirmActionId(), id.value()).orElseThrow().confirmsExposure());
        assertEquals(Optional.empty(), SourceButtons.parse("attribution:attacker:a7a7a7a7a7a7",
                id.value() + " b0b0b0b0b0b0"), "value and action must name the same source");
        assertEquals(Optional.empty(), SourceButtons.parse("attribution:friend:a7", id.value() + " a7"));
        assertEquals(Optional.empty(), SourceButtons.parse("attribution:owner:a7", "not-an-incident a7"));
    }

    /** The attacker's backdoor user (by a key minted from the leaked one) and the CI's role, from their sources. */
    private static Incident withSources(List<CallSource> sources) {
        AffectedResource backdoor = new AffectedResource(AffectedResource.Kind.IAM_USER, "backdoor", null,
                AffectedResource.Action.CREATED, "us-east-1", "CreateUser", "ev-backdoor",
                EXPOSED.plus(Duration.ofMinutes(9)), MINTED, null, null, ATTACKER.id(), ATTACKER.sourceIp(),
                ATTACKER.userAgent());
        AffectedResource role = new AffectedResource(AffectedResource.Kind.IAM_ROLE, "app-role", null,
                AffectedResource.Action.CREATED, "us-east-1", "CreateRole", "ev-role",
                EXPOSED.minus(Duration.ofDays(3)), KEY.value(), null, null, CI.id(), CI.sourceIp(), CI.userAgent());
        DerivedCredential minted = new DerivedCredential(MINTED, KEY.value(), "GetSessionToken", null, null, null,
                null, null, EXPOSED.plus(Duration.ofMinutes(6)), "us-east-1");
        return incident(KeyOwnership.IAM_USER, false).withFindings(new Findings(null, REPORTED, 469,
                List.of(role, backdoor), List.of(minted), List.of(), List.of(), sources));
    }
}
