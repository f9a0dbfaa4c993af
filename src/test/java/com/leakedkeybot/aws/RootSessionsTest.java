package com.leakedkeybot.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.leakedkeybot.key.AccessKeyId;
import com.leakedkeybot.remediation.port.AwsActionFailure;
import com.leakedkeybot.testkit.FakeRootAccess;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Root keys of member accounts through sts:AssumeRoot, against {@link FakeRootAccess}: moto 5.2.1 has no AssumeRoot,
 * and the fake refuses what AWS refuses (other task policies, longer sessions, accounts without centralized root
 * access, IAM calls outside the task policy or on users).
 */
class RootSessionsTest {

    private static final AccessKeyId ROOT_KEY = new AccessKeyId("AKIAY34FZKBOKMUTVV7A");
    private static final AccessKeyId OTHER_ROOT_KEY = new AccessKeyId("AKIAY34FZKBOOTHERKEY");
    private static FakeRootAccess aws;
    private static StsClient sts;
    private static RootSessions root;

    @BeforeAll
    static void start() {
        aws = FakeRootAccess.start();
        AwsTarget target = AwsTarget.at(aws.endpoint(), "us-east-1", "AKIABOTSELF000000000", "bot-secret");
        sts = StsClient.builder().endpointOverride(aws.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIABOTSELF000000000",
                        "bot-secret"))).build();
        root = new RootSessions(sts, target);
    }

    @AfterAll
    static void stop() {
        sts.close();
        aws.close();
    }

    @Test
    void aRootSessionListsAndDeletesTheRootUsersKeyAndOnlyIt() {
        aws.centralizeRootAccess("210000000061", ROOT_KEY.value(), OTHER_ROOT_KEY.value());

        assertTrue(root.holds("210000000061", ROOT_KEY));
        root.delete("210000000061", ROOT_KEY);

        assertFalse(root.holds("210000000061", ROOT_KEY));
        assertEquals(Set.of(OTHER_ROOT_KEY.value()), aws.rootKeysOf("210000000061"));
    }

    @Test
    void aKeyTheRootUserLacksIsNotFound() {
        aws.centralizeRootAccess("210000000062");
        AwsActionFailure failure = assertThrows(AwsActionFailure.class, () -> root.delete("210000000062", ROOT_KEY));
        assertEquals(AwsActionFailure.Kind.NOT_FOUND, failure.kind());
        assertEquals("iam:DeleteAccessKey", failure.action());
    }

    @Test
    void withoutCentralizedRootAccessTheSessionIsRefusedAndNothingChanges() {
        aws.rootKeysWithoutCentralizedAccess("210000000063", ROOT_KEY.value());

        AwsActionFailure failure = assertThrows(AwsActionFailure.class, () -> root.delete("210000000063", ROOT_KEY));

        assertEquals("sts:AssumeRoot", failure.action());
        assertEquals(AwsActionFailure.Kind.ACCESS_DENIED, failure.kind(), failure.getMessage());
        assertEquals(Set.of(ROOT_KEY.value()), aws.rootKeysOf("210000000063"));
    }
}
