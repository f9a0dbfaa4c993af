package com.leakedkeybot.sandbox;

import com.leakedkeybot.testkit.AwsTestClients;
import com.leakedkeybot.testkit.SharedMoto;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.sts.StsClient;

class MotoServerTest {

    private static final String QUARANTINE_V3 = "arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV3";

    /** A moto of its own: resetting the shared one would wipe the state of test classes running alongside. */
    private static MotoServer moto;

    @BeforeAll
    static void start() {
        moto = MotoServer.start();
    }

    @AfterAll
    static void stop() {
        moto.close();
    }

    @BeforeEach
    void reset() {
        moto.reset();
    }

    @Test
    void servesIamAndResetForgetsEverything() {
        try (IamClient iam = AwsTestClients.iam(moto.endpoint())) {
            iam.createUser(r -> r.userName("alice"));
            AccessKey key = iam.createAccessKey(r -> r.userName("alice")).accessKey();
            assertTrue(key.accessKeyId().startsWith("AKIA"));
            assertEquals("alice", iam.getAccessKeyLastUsed(r -> r.accessKeyId(key.accessKeyId())).userName());

            moto.reset();

            assertThrows(NoSuchEntityException.class, () -> iam.getUser(r -> r.userName("alice")));
        }
    }

    @Test
    void loadsTheQuarantineManagedPoliciesAgainAfterReset() {
        try (IamClient iam = AwsTestClients.iam(moto.endpoint())) {
            assertEquals("AWSCompromisedKeyQuarantineV3", iam.getPolicy(r -> r.policyArn(QUARANTINE_V3)).policy().policyName());
            moto.reset();
            assertEquals("AWSCompromisedKeyQuarantineV3", iam.getPolicy(r -> r.policyArn(QUARANTINE_V3)).policy().policyName());
        }
    }

    @Test
    void servesStsInMotosDefaultAccount() {
        try (StsClient sts = AwsTestClients.sts(moto.endpoint())) {
            assertEquals("123456789012", sts.getCallerIdentity().account());
        }
    }

    @Test
    void sharedIsOneInstance() {
        assertSame(SharedMoto.get(), SharedMoto.get());
    }

    @Test
    void closeStopsTheProcess() throws Exception {
        MotoServer own = MotoServer.start();
        HttpRequest probe = HttpRequest.newBuilder(own.endpoint().resolve("/moto-api/")).build();
        HttpClient http = HttpClient.newHttpClient();
        assertEquals(200, http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode());

        own.close();

        assertThrows(IOException.class, () -> http.send(probe, HttpResponse.BodyHandlers.discarding()));
    }
}
