package com.leakedkeybot.slack.blocks;

import com.fasterxml.jackson.databind.JsonNode;
import com.leakedkeybot.incident.Findings;
import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.KeyOwnership;
import com.leakedkeybot.incident.PolicyRevert;
import com.leakedkeybot.investigation.AffectedResource;
import com.leakedkeybot.sandbox.BlockKitSchema;
import com.leakedkeybot.step.Refusal;
import com.leakedkeybot.step.StepId;
import com.leakedkeybot.step.StepKind;
import com.leakedkeybot.step.StepOutcome;
import com.leakedkeybot.step.StepState;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import static com.leakedkeybot.slack.blocks.IncidentMessagesTest.KEY;
import static com.leakedkeybot.slack.blocks.IncidentMessagesTest.REPORTED;
import static com.leakedkeybot.slack.blocks.IncidentMessagesTest.assertJson;
import static com.leakedkeybot.slack.blocks.IncidentMessagesTest.incident;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Step messages, compared as JSON against the expected messages in src/test/resources/messages/. */
class StepMessagesTest {

    private final StepMessages steps = new StepMessages();

    @Test
    void rendersAnOfferedStepWithItsButton() throws IOException {
        assertJson("step-offered.json", offered(StepKind.DEACTIVATE_KEY));
    }

    @Test
    void rendersTheUndoOfADeactivationWithItsOwnButton() throws IOException {
        assertJson("step-reactivate-offered.json", offered(StepKind.REACTIVATE_KEY));
    }

    @Test
    void rendersASucceededStepWithApproverAndNoButton() throws IOException {
        Incident incident = incident(KeyOwnership.IAM_USER, false)
                .withStep(StepState.offered(StepKind.DEACTIVATE_KEY, "1700000000.000300")
                        .running("U0APPROVER", Instant.parse("2026-11-28T14:07:00Z"), "bot-1")
                        .finished(StepOutcome.success("The key is now Inactive."), Instant.parse("2026-11-28T14:07:02Z")));
        assertJson("step-succeeded.json", steps.step(incident, StepId.of(StepKind.DEACTIVATE_KEY)));
    }

    @Test
    void aFourEyesStepShowsItsFirstApprovalKeepsItsButtonAndNamesBothApproversOnceRun() throws IOException {
        StepState once = StepState.offered(StepKind.ROTATE_KEY, "1700000000.000300")
                .approvedOnce("U0APPROVER", Instant.parse("2026-11-28T14:06:00Z"));
        Incident incident = incident(KeyOwnership.IAM_USER, false).withStep(once);
        assertJson("step-first-of-two-approvals.json", steps.step(incident, StepId.of(StepKind.ROTATE_KEY)));

        Incident done = incident.withStep(once.running("U0SECOND", Instant.parse("2026-11-28T14:07:00Z"), "bot-1")
                .finished(StepOutcome.success("New key created."), Instant.parse("2026-11-28T14:07:02Z")));
        String json = steps.step(done, StepId.of(StepKind.ROTATE_KEY)).blocksJson();
        assertTrue(json.contains("Approved by <@U0APPROVER> and <@U0SECOND> at 2026-11-28 14:07 UTC"), json);
        assertFalse(json.contains("\"actions\""), "no button once done");
    }

    @Test
    void aFailedStepEscapesAwsTextAndOffersARetry() {
        Incident incident = incident(KeyOwnership.IAM_USER, false)
                .withStep(StepState.offered(StepKind.DEACTIVATE_KEY, "1700000000.000300")
                        .running("U0APPROVER", Instant.parse("2026-11-28T14:07:00Z"), "bot-1")
                        .finished(StepOutcome.failure("AccessDenied <!channel> " + "x".repeat(5000), "Do it by hand."),
                                Instant.parse("2026-11-28T14:07:02Z")));
        SlackMessage message = steps.step(incident, StepId.of(StepKind.DEACTIVATE_KEY));
        String json = message.blocksJson();
        assertFalse(json.contains("<!channel>"));
        assertTrue(json.contains("&lt;!channel&gt;"));
        assertTrue(json.contains("Retry: Deactivate key"));
        for (JsonNode block : message.blocks()) {
            if (block.has("text")) {
                assertTrue(block.get("text").get("text").asText().length() <= 3000);
            }
        }
    }

    @Test
    void aRestoreNamesTheBucketAndTheObjectsTheKeyWroteEscaped() throws IOException {
        StepId restore = new StepId(StepKind.RESTORE_OBJECTS, "finance-data");
        List<AffectedResource> objects = new java.util.ArrayList<>();
        for (String key : List.of("<!channel>.csv", "a.csv", "b.csv", "c.csv", "d.csv", "e.csv", "f.csv")) {
            objects.add(new AffectedResource(AffectedResource.Kind.S3_OBJECT, key, "finance-data",
                    AffectedResource.Action.CHANGED, "eu-west-1", "PutObject", "e-" + key, REPORTED, KEY.value(), null,
                    null));
        }
        objects.add(new AffectedResource(AffectedResource.Kind.S3_OBJECT, "elsewhere.csv", "other-bucket",
                AffectedResource.Action.DELETED, "eu-west-1", "DeleteObject", "e-x", REPORTED, KEY.value(), null, null));
        Incident incident = incident(KeyOwnership.IAM_USER, false)
                .withFindings(new Findings(null, REPORTED, 8, objects, List.of(), List.of(), List.of()))
                .withStep(StepState.offered(restore, "1700000000.000500"));

        assertJson("step-restore-objects-offered.json", steps.step(incident, restore));
    }

    @Test
    void refusalsNameWhoAlreadyApproved() {
        StepState running = StepState.offered(StepKind.DEACTIVATE_KEY, "1").running("U0FIRST", REPORTED, "bot-1");
        assertTrue(steps.refusal(new Refusal(Refusal.Reason.ALREADY_RUNNING, StepId.of(StepKind.DEACTIVATE_KEY), running))
                .contains("<@U0FIRST>"));
        assertTrue(steps.refusal(new Refusal(Refusal.Reason.NOT_AN_APPROVER, StepId.of(StepKind.DEACTIVATE_KEY), null))
                .contains("Only configured approvers"));
    }

    @Test
    void rendersTheLiftOfTheQuarantineWithItsButton() throws IOException {
        assertJson("step-lift-quarantine-offered.json", offered(StepKind.LIFT_QUARANTINE));
    }

    @Test
    void theRootKeyDeletionSaysPlainlyThatItDeletesAndWhy() throws IOException {
        Incident incident = IncidentMessagesTest.memberIncident(KeyOwnership.ROOT_USER)
                .withStep(StepState.offered(StepKind.DELETE_ROOT_KEY, "1700000000.000300"));
        assertJson("step-delete-root-key-offered.json", steps.step(incident, StepId.of(StepKind.DELETE_ROOT_KEY)));
    }

    @Test
    void rendersTheCloseStep() throws IOException {
        assertJson("step-close-offered.json", offered(StepKind.CLOSE_INCIDENT));
    }

    /** A singleton step on offer, rendered. */
    private SlackMessage offered(StepKind kind) {
        Incident incident = incident(KeyOwnership.IAM_USER, false)
                .withStep(StepState.offered(kind, "1700000000.000300"));
        return steps.step(incident, StepId.of(kind));
    }

    @Test
    void aClickAfterClosingIsToldTheIncidentIsClosed() {
        String text = steps.refusal(new Refusal(Refusal.Reason.INCIDENT_CLOSED, StepId.of(StepKind.ROTATE_KEY),
                StepState.offered(StepKind.ROTATE_KEY, "1.0")));
        assertTrue(text.contains("incident is closed") && text.contains("*Rotate key*"), text);
    }

    @Test
    void aRevertSaysExactlyWhatItWillPutBack() throws IOException {
        PolicyRevert restore = revert(AffectedResource.Kind.IAM_ROLE_INLINE_POLICY, "app-access", "app",
                PolicyRevert.Plan.RESTORE, new PolicyRevert.Earlier(LEGIT, null, "arn:aws:iam::609629065308:user/admin",
                        Instant.parse("2026-11-20T09:30:00Z")));
        Incident incident = withRevert(restore);

        assertJson("step-revert-offered.json", steps.step(incident, restore.step()));
    }

    @Test
    void aRevertWithoutHistoryDeletesAndSaysWhy() {
        PolicyRevert delete = revert(AffectedResource.Kind.IAM_USER_INLINE_POLICY, "backdoor", "analyst",
                PolicyRevert.Plan.DELETE, null);
        PolicyRevert version = revert(AffectedResource.Kind.IAM_POLICY_VERSION, "v3",
                "arn:aws:iam::609629065308:policy/shared", PolicyRevert.Plan.RESTORE,
                new PolicyRevert.Earlier(null, "v1", null, Instant.parse("2026-11-20T09:30:00Z")));

        String deleting = steps.step(withRevert(delete), delete.step()).blocksJson();
        String versions = steps.step(withRevert(version), version.step()).blocksJson();

        assertTrue(deleting.contains("delete the inline policy `backdoor` of user `analyst` (no earlier version in "
                + "CloudTrail's 90 days; its current content is the attacker's)."), deleting);
        assertTrue(versions.contains("make version `v1` of policy `arn:aws:iam::609629065308:policy/shared` the "
                + "default again (made the default by an AWS service at 2026-11-20 09:30 UTC) and delete the "
                + "attacker's version `v3`."), versions);
    }

    @Test
    void aTrustChangeWithoutHistoryNamesItsPrincipalsEscapedAndHasNoButton() {
        String attackers = "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
                + "[\"arn:aws:iam::193672423079:root\",\"<!channel>\"],\"Service\":\"ec2.amazonaws.com\"},"
                + "\"Action\":\"sts:AssumeRole\"}]}";
        AffectedResource change = new AffectedResource(AffectedResource.Kind.IAM_ROLE_TRUST_POLICY, "deploy", null,
                AffectedResource.Action.CHANGED, "us-east-1", "UpdateAssumeRolePolicy", "e9", REPORTED, KEY.value(),
                null, null);

        SlackMessage guidance = steps.revertGuidance(new PolicyRevert(change, PolicyRevert.Plan.MANUAL, attackers,
                null, 90));

        String blocks = guidance.blocksJson();
        assertTrue(blocks.contains("lets in: `&lt;!channel&gt;`, `arn:aws:iam::193672423079:root`, "
                + "`ec2.amazonaws.com`."), blocks);
        assertTrue(blocks.contains("CloudTrail's 90 days hold no earlier trust policy"), blocks);
        assertFalse(blocks.contains("<!channel>") || blocks.contains("\"actions\""), blocks);
        assertEquals(List.of(), BlockKitSchema.validate(guidance.blocks()));
    }

    private static final String LEGIT = "{\"Version\":\"2012-10-17\",\"Statement\":[]}";

    private static PolicyRevert revert(AffectedResource.Kind kind, String id, String parent, PolicyRevert.Plan plan,
                                       PolicyRevert.Earlier earlier) {
        AffectedResource change = new AffectedResource(kind, id, parent, kind == AffectedResource.Kind.IAM_POLICY_VERSION
                ? AffectedResource.Action.CREATED : AffectedResource.Action.CHANGED, "us-east-1", "Put", "e1",
                REPORTED, KEY.value(), null, null);
        return new PolicyRevert(change, plan, LEGIT, earlier, 90);
    }

    private static Incident withRevert(PolicyRevert revert) {
        Incident incident = incident(KeyOwnership.IAM_USER, false);
        return incident.withFindings(incident.findings().withPolicyReverts(List.of(revert)))
                .withStep(StepState.offered(revert.step(), "1700000000.000500"));
    }
}
