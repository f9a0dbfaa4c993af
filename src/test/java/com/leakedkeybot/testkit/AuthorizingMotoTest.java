package com.leakedkeybot.testkit;

import com.leakedkeybot.sandbox.MotoServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.StatusType;

/**
 * The AccessDenied tests of the steps rely on moto answering exactly as AWS would: this proves it does for every
 * write they deny, and that the shared moto is left accepting anything.
 */
class AuthorizingMotoTest {

    private static final String DENY_ALL = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\","
            + "\"Action\":\"*\",\"Resource\":\"*\"}]}";
    private static AuthorizingMoto moto;
    private static IamClient admin;

    @BeforeAll
    static void start() {
        moto = AuthorizingMoto.start();
        admin = moto.iam(moto.admin());
    }

    @AfterAll
    static void stop() {
        admin.close();
        moto.close();
    }

    @Test
    void dummyCredentialsAreRefusedThereButStillAcceptedByTheSharedMoto() {
        try (IamClient anonymous = moto.iam(StaticCredentialsProvider.create(
                AwsBasicCredentials.create("testing", "testing")));
             IamClient shared = AwsTestClients.iam(SharedMoto.get().endpoint())) {
            AwsServiceException refused = assertThrows(AwsServiceException.class, anonymous::listUsers);
            assertEquals("InvalidClientTokenId", refused.awsErrorDetails().errorCode());
            shared.listUsers();
        }
        assertThrows(NoSuchEntityException.class, () -> admin.getUser(r -> r.userName("nobody")),
                "moto's ordinary errors reach the SDK as they are");
    }

    @Test
    void eachWriteTheStepTestsDenyIsAnsweredAccessDeniedAndChangesNothing() {
        admin.createUser(r -> r.userName("victim"));
        String key = admin.createAccessKey(r -> r.userName("victim")).accessKey().accessKeyId();
        String instance;
        try (Ec2Client ec2 = moto.ec2(moto.admin())) {
            instance = ec2.runInstances(r -> r.imageId("ami-12c6146b").minCount(1).maxCount(1)).instances().get(0)
                    .instanceId();
        }
        AwsCredentialsProvider reader = moto.userAllowed("reader", List.of("iam:ListAccessKeys"));

        try (IamClient iam = moto.iam(reader);
             Ec2Client ec2 = moto.ec2(reader)) {
            assertEquals(1, iam.listAccessKeys(r -> r.userName("victim")).accessKeyMetadata().size());
            denied("iam:UpdateAccessKey", iam, i -> i.updateAccessKey(r -> r.userName("victim").accessKeyId(key)
                    .status(StatusType.INACTIVE)));
            denied("iam:PutUserPolicy", iam, i -> i.putUserPolicy(r -> r.userName("victim").policyName("p")
                    .policyDocument(DENY_ALL)));
            denied("iam:AttachUserPolicy", iam, i -> i.attachUserPolicy(r -> r.userName("victim")
                    .policyArn("arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV3")));
            denied("iam:CreateAccessKey", iam, i -> i.createAccessKey(r -> r.userName("victim")));
            denied("iam:DeleteAccessKey", iam, i -> i.deleteAccessKey(r -> r.userName("victim").accessKeyId(key)));
            denied("ec2:TerminateInstances", ec2, e -> e.terminateInstances(r -> r.instanceIds(instance)));

            moto.allow("reader", List.of("iam:ListAccessKeys", "iam:UpdateAccessKey"));
            iam.updateAccessKey(r -> r.userName("victim").accessKeyId(key).status(StatusType.INACTIVE));
        }
        assertEquals(StatusType.INACTIVE, admin.listAccessKeys(r -> r.userName("victim")).accessKeyMetadata().get(0)
                .status(), "allowed on the very next request");
        assertEquals(List.of(), admin.listUserPolicies(r -> r.userName("victim")).policyNames());
        assertEquals(List.of(), admin.listAttachedUserPolicies(r -> r.userName("victim")).attachedPolicies());
    }

    private static <C> void denied(String action, C client, Consumer<C> call) {
        AwsServiceException e = assertThrows(AwsServiceException.class, () -> call.accept(client));
        assertEquals("AccessDenied", e.awsErrorDetails().errorCode(), action);
        assertEquals(403, e.statusCode());
        assertEquals("User: arn:aws:iam::123456789012:user/reader is not authorized to perform: " + action,
                e.awsErrorDetails().errorMessage());
    }
}
