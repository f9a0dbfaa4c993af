package com.leakedkeybot.remediation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.leakedkeybot.aws.AwsTarget;
import com.leakedkeybot.aws.RootSessions;
import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.IncidentId;
import com.leakedkeybot.incident.KeyFacts;
import com.leakedkeybot.incident.KeyOwnership;
import com.leakedkeybot.key.AccessKeyId;
import com.leakedkeybot.remediation.port.AwsActionFailure;
import com.leakedkeybot.step.StepId;
import com.leakedkeybot.step.StepKind;
import com.leakedkeybot.step.StepOutcome;
import com.leakedkeybot.testkit.FakeRootAccess;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;

/** The member root key step on {@link FakeRootAccess} (moto has no AssumeRoot). */
class DeleteRootKeyStepTest {

    private static FakeRootAccess aws;
    private static StsClient sts;
    private static DeleteRootKeyStep step;

    @BeforeAll
    static void start() {
        aws = FakeRootAccess.start();
        sts = StsClient.builder().endpointOverride(aws.endpoint()).region(Region.US_EAST_1).credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIABOTSELF000000000", "s"))).build();
        step = new DeleteRootKeyStep(new RootSessions(sts,
                AwsTarget.at(aws.endpoint(), "us-east-1", "AKIABOTSELF000000000", "s")));
    }

    @AfterAll
    static void stop() {
        sts.close();
        aws.close();
    }

    /** A root key of {@code account}; handled there as the responder role unless it is the bot's own account. */
    private static Incident rootKeyOf(String account, boolean member) {
        AccessKeyId key = new AccessKeyId("AKIAY34FZKBO" + account.substring(4));
        KeyFacts facts = new KeyFacts(key, Optional.of(account), account, "123456789012", null,
                member ? "arn:aws:iam::" + account + ":role/LeakedKeyBotResponder" : null, KeyOwnership.ROOT_USER,
                null, null, null, null, List.of());
        return Incident.reported(new IncidentId("LK-20261204-ABCDEFGH"), key, "U0REPORTER", Instant.EPOCH, false)
                .withFacts(facts);
    }

    @Test
    void isFourEyesAndDestructive() {
        assertTrue(StepKind.DELETE_ROOT_KEY.fourEyes() && StepKind.DELETE_ROOT_KEY.destructive());
        assertFalse(StepKind.DELETE_ROOT_KEY.idempotent(), "a restart re-checks, never deletes blindly");
    }

    @Test
    void isOfferedForAMemberAccountsRootKeyOnly() {
        assertEquals(List.of(StepId.of(StepKind.DELETE_ROOT_KEY)),
                step.propose(rootKeyOf("210000000071", true)).steps());
        assertEquals(List.of(), step.propose(rootKeyOf("123456789012", false)).steps(), "the bot's own root");
    }

    @Test
    void deletesTheRootKeyAndSaysItCannotBeUndone() {
        Incident incident = rootKeyOf("210000000072", true);
        aws.centralizeRootAccess("210000000072", incident.keyId().value(), "AKIAY34FZKBOKEEPTHIS");

        StepOutcome outcome = step.execute(incident, "");

        assertTrue(outcome.succeeded(), outcome.summary());
        assertTrue(outcome.summary().contains("cannot be restored"), outcome.summary());
        assertEquals(Set.of("AKIAY34FZKBOKEEPTHIS"), aws.rootKeysOf("210000000072"));
        assertTrue(step.reconcile(incident, "").succeeded(), "a re-check after a restart finds it gone");
    }

    @Test
    void withoutCentralizedRootAccessTheStepFailsAndTheKeyStays() {
        Incident incident = rootKeyOf("210000000073", true);
        aws.rootKeysWithoutCentralizedAccess("210000000073", incident.keyId().value());

        AwsActionFailure failure = assertThrows(AwsActionFailure.class, () -> step.execute(incident, ""));

        assertEquals("sts:AssumeRoot", failure.action());
        assertEquals(Set.of(incident.keyId().value()), aws.rootKeysOf("210000000073"));
    }
}
