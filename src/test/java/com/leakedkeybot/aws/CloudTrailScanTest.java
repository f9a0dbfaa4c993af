package com.leakedkeybot.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.leakedkeybot.investigation.AffectedResource;
import com.leakedkeybot.investigation.CloudTrailInvestigation;
import com.leakedkeybot.investigation.DerivedCredential;
import com.leakedkeybot.investigation.EventCategory;
import com.leakedkeybot.investigation.InvestigationReport;
import com.leakedkeybot.investigation.KeyActivity;
import com.leakedkeybot.investigation.NotableEvent;
import com.leakedkeybot.investigation.RegionFailure;
import com.leakedkeybot.investigation.RegionSource;
import com.leakedkeybot.investigation.ScanListener;
import com.leakedkeybot.sandbox.FakeCloudTrail;
import com.leakedkeybot.testkit.CloudTrailDatasets;
import java.time.Clock;
import com.leakedkeybot.testkit.RunningBot;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The whole scan (orchestration, SDK, pacing) against the fake CloudTrail loaded with real attack data. */
class CloudTrailScanTest {

    private static final Instant NOW = Instant.now();
    private FakeCloudTrail fake;
    private CloudTrailLookup lookup;

    @BeforeEach
    void start() throws Exception {
        fake = FakeCloudTrail.start(RunningBot.TUNING.cloudTrailRequestsPerSecond());
        lookup = fake.lookup("AKIDSCAN");
    }

    @AfterEach
    void stop() {
        lookup.close();
        fake.close();
    }

    private void load(List<ObjectNode> events) {
        CloudTrailDatasets.shiftedToRecent(events, NOW, Duration.ofDays(2))
                .forEach(e -> fake.add(e.path("awsRegion").asText(), e.toString()));
    }

    private InvestigationReport investigate(List<String> regions, String... keys) throws Exception {
        return new CloudTrailInvestigation(lookup, RegionSource.fixed(regions), 32, 100, Clock.systemUTC(), null).investigate(List.of(keys), ScanListener.NONE);
    }

    @Test
    void aFederationTokenMintedByTheKeyIsFollowedToWhatItDid() throws Exception {
        List<ObjectNode> events = CloudTrailDatasets.stratus("aws.persistence.sts-federation-token");
        String token = events.get(0).path("responseElements").path("credentials").path("sessionToken").asText();
        load(events);
        fake.failRegion("eu-west-3", 400, "UnrecognizedClientException", "The security token included in the request is invalid.");

        InvestigationReport report = investigate(List.of("ap-isob-east-1r", "us-east-1", "eu-west-3"), "AKIA6V1GNZTT65XQH36M");

        DerivedCredential minted = report.derivedCredentials().get(0);
        assertEquals("ASIASTJKC5GCM7ZE6LUP", minted.accessKeyId());
        assertEquals("GetFederationToken", minted.mintedBy());
        assertEquals("stratus_red_team", minted.federatedUserName());
        KeyActivity session = report.keys().get(1);
        assertEquals("ASIASTJKC5GCM7ZE6LUP", session.accessKeyId());
        assertEquals(1, session.eventCount(), "the GetCallerIdentity made with the minted key was found by scanning it");
        assertEquals(List.of("arn:aws:sts::742491224508:federated-user/stratus_red_team"), session.principals());
        assertEquals(List.of(new RegionFailure("eu-west-3", "UnrecognizedClientException: The security token included in the request is invalid.")),
                report.failedRegions());
        assertEquals(List.of("ap-isob-east-1r", "us-east-1"), report.scannedRegions());
        assertEquals(1, report.countsByCategory().get(EventCategory.TEMPORARY_CREDENTIALS));
        assertFalse(report.toString().contains(token));
        assertEquals(0, fake.throttled());
    }

    @Test
    void aLeakedRootKeyUsedToPlantAUserLeadsToTheInstancesThatUsersKeyLaunched() throws Exception {
        String leaked = "AKIAROOTLEAKEDKEY001";
        List<ObjectNode> scenario = CloudTrailDatasets.pantherScenario("compromised-root-creds/attacker_cloudtrail.yml");
        for (ObjectNode event : scenario) {
            ObjectNode identity = (ObjectNode) event.path("userIdentity");
            if (identity.path("type").asText().equals("Root") && !event.path("eventName").asText().equals("ConsoleLogin")) {
                identity.put("accessKeyId", leaked);
            } else if (identity.path("userName").asText().equals("tracy_stone")) {
                identity.put("accessKeyId", "AKIASWJJJ66ZZZII4IYY");
            }
        }
        load(scenario);

        InvestigationReport report = investigate(List.of("us-east-1", "us-west-2"), leaked);

        assertEquals(List.of(leaked, "AKIA5ZZZK44445XXFFVB", "AKIASWJJJ66ZZZII4IYY"),
                report.keys().stream().map(KeyActivity::accessKeyId).toList());
        assertEquals("tracy_stone", report.keys().get(2).origin().iamUserName());
        List<String> resources = report.affectedResources().stream()
                .map(r -> r.kind() + " " + r.identifier() + (r.parent() == null ? "" : " of " + r.parent())).toList();
        // Oldest first, as the attacker did it.
        assertEquals(List.of(
                "IAM_ACCESS_KEY AKIA5ZZZK44445XXFFVB of Root",
                "IAM_USER tracy_stone",
                "IAM_USER_POLICY_ATTACHMENT arn:aws:iam::aws:policy/AmazonEC2FullAccess of tracy_stone",
                "IAM_USER_POLICY_ATTACHMENT arn:aws:iam::aws:policy/IAMFullAccess of tracy_stone",
                "IAM_ACCESS_KEY AKIASWJJJ66ZZZII4IYY of tracy_stone",
                "IAM_USER_POLICY_ATTACHMENT arn:aws:iam::aws:policy/AmazonS3FullAccess of tracy_stone",
                "EC2_INSTANCE i-05261ffb46217cdc3"), resources);
        AffectedResource instance = report.affectedResources().get(6);
        assertEquals("AKIASWJJJ66ZZZII4IYY", instance.accessKeyId());
        // StopLogging failed (not an organization's management account): kept as evasion intent, not as denied.
        NotableEvent stop = report.notableEvents(EventCategory.DEFENSE_EVASION).get(0);
        assertEquals("StopLogging", stop.action());
        assertEquals("NotOrganizationMasterAccountException", stop.errorCode());
        assertFalse(stop.denied());
        assertEquals(0, report.countsByCategory().get(EventCategory.DENIED));
        assertTrue(report.sourceIps().contains("92.55.146.245"));
    }

    @Test
    void stolenInstanceCredentialsShowOnlyTheirManagementCallsAndTheReportSaysWhy() throws Exception {
        load(CloudTrailDatasets.otrf());
        InvestigationReport report = investigate(List.of("us-east-1"), "ASIA5FLZVX4OPVKKVBMX");
        // The key listed buckets (management events) and read objects (data events LookupEvents never returns).
        assertEquals(2, report.totalEvents());
        assertEquals(List.of("ListBuckets"), report.notableEvents(EventCategory.RECONNAISSANCE).stream()
                .map(NotableEvent::action).toList());
        assertTrue(report.coverageNotes().get(0).contains("no S3 object reads"));
    }
}
