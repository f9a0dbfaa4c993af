package com.leakedkeybot.investigation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.leakedkeybot.sandbox.TrailEvents;
import com.leakedkeybot.testkit.CloudTrailDatasets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CredentialChainTest {

    private static final Instant T = Instant.parse("2024-06-01T12:00:00Z");

    private static DerivedCredential minted(String parent, String child) {
        return DerivedCredential.from(TrailEvent.parse(TrailEvents.assumeRole(child, T, "us-east-1", parent,
                "arn:aws:iam::111122223333:role/r-" + child, child).json())).orElseThrow();
    }

    @Test
    void federationTokenNamesTheFederatedUserAndKeepsNoSecret() {
        TrailEvent event = TrailEvent.parse(CloudTrailDatasets.stratus("aws.persistence.sts-federation-token").get(0).toString());
        DerivedCredential credential = DerivedCredential.from(event).orElseThrow();
        assertEquals("ASIASTJKC5GCM7ZE6LUP", credential.accessKeyId());
        assertEquals("AKIA6V1GNZTT65XQH36M", credential.parentAccessKeyId());
        assertEquals("GetFederationToken", credential.mintedBy());
        assertEquals("stratus_red_team", credential.federatedUserName());
        assertEquals("arn:aws:sts::742491224508:federated-user/stratus_red_team", credential.principalArn());
        assertEquals(null, credential.roleArn());
        assertEquals(credential.issuedAt().plus(Duration.ofHours(36)), credential.validUntil());
        assertFalse(credential.toString().contains("IQoJ"));
        assertEquals("ASIASTJKC5GCM7ZE6LUP minted by AKIA6V1GNZTT65XQH36M via GetFederationToken as federated user"
                + " stratus_red_team", credential.describe());
    }

    @Test
    void roleSessionsLiveAtMostTwelveHours() {
        DerivedCredential session = minted("AKIAROOT", "ASIA1");
        assertEquals("arn:aws:iam::111122223333:role/r-ASIA1", session.roleArn());
        assertEquals("s-ASIA1", session.sessionName());
        assertEquals(T.plus(Duration.ofHours(12)), session.validUntil());
    }

    @Test
    void aKeyCreatedForAUserIsFollowedForTheWholeWindow() {
        String createKey = CloudTrailDatasets.stratus("aws.persistence.iam-backdoor-user").get(0).toString();
        DerivedCredential created = DerivedCredential.from(TrailEvent.parse(createKey)).orElseThrow();
        assertEquals("AKIAL80DWDVKKM0UXEER", created.accessKeyId());
        assertEquals("AKIA30BEZSJBVKOFKZW0", created.parentAccessKeyId());
        assertEquals("stratus-red-team-backdoor-u-user", created.iamUserName());
        assertEquals(Instant.MAX, created.validUntil());
        assertEquals("AKIAL80DWDVKKM0UXEER minted by AKIA30BEZSJBVKOFKZW0 via CreateAccessKey for user"
                + " stratus-red-team-backdoor-u-user", created.describe());
    }

    @Test
    void failedOrUnrelatedCallsMintNothing() {
        String denied = TrailEvents.assumeRole("x", T, "us-east-1", "AKIAROOT", "arn:aws:iam::1:role/r", "ASIAX")
                .error("AccessDenied").json();
        assertEquals(Optional.empty(), DerivedCredential.from(TrailEvent.parse(denied)));
        String createUser = CloudTrailDatasets.stratus("aws.persistence.iam-create-admin-user").get(2).toString();
        assertEquals(Optional.empty(), DerivedCredential.from(TrailEvent.parse(createUser)));
    }

    @Test
    void chainsAreFollowedAndLoopsCut() {
        CredentialChain chain = new CredentialChain(List.of("AKIAROOT"));
        assertTrue(chain.add(minted("AKIAROOT", "ASIA1")));
        assertTrue(chain.add(minted("ASIA1", "ASIA2")));
        assertFalse(chain.add(minted("ASIA1", "ASIA2")), "a key is recorded once");
        assertFalse(chain.add(minted("ASIA2", "AKIAROOT")), "a loop back to a root is cut");
        assertFalse(chain.add(minted("ASIA2", "ASIA1")), "a loop back to an ancestor is cut");
        assertEquals(List.of("AKIAROOT", "ASIA1", "ASIA2"), chain.keys());
        assertEquals(List.of("AKIAROOT", "ASIA1"),
                chain.derived().stream().map(DerivedCredential::parentAccessKeyId).toList());
    }
}
