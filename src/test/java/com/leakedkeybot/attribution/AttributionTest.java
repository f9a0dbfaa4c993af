package com.leakedkeybot.attribution;

import com.leakedkeybot.investigation.CallSource;
import com.leakedkeybot.investigation.EventCategory;
import com.leakedkeybot.investigation.Investigation;
import com.leakedkeybot.investigation.InvestigationReport;
import com.leakedkeybot.investigation.TrailEvent;
import com.leakedkeybot.sandbox.TrailEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sources as the investigation groups them, the exposure time the bot proposes, and whose each source is presumed,
 * on the edge cases: one source only, owner and attacker behind one address, AWS services and VPC endpoints.
 */
class AttributionTest {

    private static final String KEY = "AKIAIOSFODNN7EXAMPLE";
    private static final Instant DAY_ONE = Instant.parse("2026-11-01T09:00:00Z");
    private static final Instant EXPOSED = Instant.parse("2026-11-20T10:00:00Z");
    private static final String CI = "aws-cli/2.15.0 Python/3.11 exec-env/GitHubActions";
    private static final String ATTACKER = "Boto3/1.34.0 Python/3.12 Linux/6.5 Botocore/1.34.0";
    private static final String OFFICE = "198.51.100.20";

    private int ids;

    @Test
    void oneSourceOnlyIsNoReasonToProposeAnExposureTimeAndWithoutOneIsPresumedTheAttackers() {
        List<CallSource> sources = scan(call(DAY_ONE, OFFICE, CI, "ListBuckets", "s3.amazonaws.com"),
                call(DAY_ONE.plus(Duration.ofDays(30)), OFFICE, CI, "CreateUser", "iam.amazonaws.com"));

        assertEquals(1, sources.size());
        CallSource only = sources.get(0);
        assertEquals(2, only.calls());
        assertEquals(DAY_ONE, only.firstSeen());
        assertEquals(DAY_ONE.plus(Duration.ofDays(30)), only.lastSeen());
        assertEquals(List.of(KEY), only.accessKeys());
        assertEquals(Optional.empty(), ExposureEstimate.propose(sources));
        Presumption presumed = Attribution.NONE.presume(only, sources);
        assertEquals(new Presumption(Verdict.ATTACKER, Presumption.Reason.NO_EXPOSURE_TIME, null), presumed);
    }

    @Test
    void ownerAndAttackerBehindOneAddressAreToldApartByUserAgentAndBothFlagged() {
        List<CallSource> sources = scan(call(DAY_ONE, OFFICE, CI, "ListBuckets", "s3.amazonaws.com"),
                call(EXPOSED.plusSeconds(60), OFFICE, CI, "ListBuckets", "s3.amazonaws.com"),
                call(EXPOSED.plusSeconds(120), OFFICE, ATTACKER, "CreateUser", "iam.amazonaws.com"));
        Attribution attribution = Attribution.NONE.exposed(EXPOSED, "U0REPORTER");

        assertEquals(2, sources.size(), "one address, two user agents: two sources");
        CallSource owner = source(sources, CI);
        CallSource attacker = source(sources, ATTACKER);
        assertEquals(2, owner.calls());
        Presumption ownerIs = attribution.presume(owner, sources);
        Presumption attackerIs = attribution.presume(attacker, sources);
        assertEquals(Verdict.OWNER, ownerIs.verdict());
        assertEquals(Presumption.Reason.BASELINE, ownerIs.reason());
        assertEquals(Verdict.ATTACKER, attackerIs.verdict());
        assertEquals(Presumption.Reason.SUSPECT, attackerIs.reason());
        assertTrue(ownerIs.ambiguity().contains("only the user agent tells them apart"), ownerIs.ambiguity());
        assertTrue(attackerIs.ambiguity().contains("only the user agent tells them apart"), attackerIs.ambiguity());
        assertEquals(Optional.of(EXPOSED.plusSeconds(120)), ExposureEstimate.propose(sources),
                "a new tool, even from a known address, is outside the baseline");
    }

    @Test
    void oneAddressAndOneUserAgentAreOneSourceTheOwnersButFlaggedWhenItTurnsAlarmingAfterTheExposure() {
        List<CallSource> sources = scan(call(DAY_ONE, OFFICE, CI, "ListBuckets", "s3.amazonaws.com"),
                call(EXPOSED.plusSeconds(60), OFFICE, CI, "CreateUser", "iam.amazonaws.com"));
        Attribution attribution = Attribution.NONE.exposed(EXPOSED, "U0REPORTER");

        CallSource shared = sources.get(0);
        assertEquals(1, sources.size());
        assertTrue(shared.categories().containsKey(EventCategory.PERSISTENCE), shared.categories().toString());
        Presumption presumed = attribution.presume(shared, sources);
        assertEquals(Verdict.OWNER, presumed.verdict());
        assertTrue(presumed.ambiguity().contains("came after the exposure time"), presumed.ambiguity());
        List<CallSource> reading = scan(call(DAY_ONE, OFFICE, CI, "ListBuckets", "s3.amazonaws.com"),
                call(EXPOSED.plusSeconds(60), OFFICE, CI, "ListUsers", "iam.amazonaws.com"));
        assertNull(attribution.presume(reading.get(0), reading).ambiguity(), "reading as before is no reason for doubt");
    }

    @Test
    void awsServicesAreTheirOwnNetworkLeftOutOfTheProposalAndFlaggedWhenTheyActAfterTheExposure() {
        String cloudFormation = "cloudformation.amazonaws.com";
        List<CallSource> sources = scan(call(DAY_ONE, OFFICE, CI, "CreateStack", "cloudformation.amazonaws.com"),
                call(DAY_ONE.plusSeconds(30), cloudFormation, cloudFormation, "CreateRole", "iam.amazonaws.com"),
                call(EXPOSED.plusSeconds(30), cloudFormation, cloudFormation, "CreateRole", "iam.amazonaws.com"),
                call(EXPOSED.plus(Duration.ofDays(2)), "vpce-private", "aws-sdk-java/2.25", "PutObject",
                        "s3.amazonaws.com"));

        CallSource service = source(sources, cloudFormation);
        assertEquals("AWS service", service.network());
        assertTrue(service.awsService());
        assertNull(source(sources, CI).network());
        assertEquals("VPC endpoint vpce-0a1b2c3d", source(sources, "aws-sdk-java/2.25").network());
        assertEquals(Optional.of(EXPOSED.plus(Duration.ofDays(2))), ExposureEstimate.propose(sources),
                "CloudFormation acting for the owner from day one, and later, is no new caller");
        Presumption presumed = Attribution.NONE.exposed(EXPOSED, "U0REPORTER").presume(service, sources);
        assertEquals(Verdict.OWNER, presumed.verdict());
        assertTrue(presumed.ambiguity().contains("an AWS service acting for whoever called it"), presumed.ambiguity());
    }

    @Test
    void aSourceOnlyAnAwsServiceOutsideTheBaselineProposesNothing() {
        List<CallSource> sources = scan(call(DAY_ONE, OFFICE, CI, "ListBuckets", "s3.amazonaws.com"),
                call(EXPOSED, "cloudformation.amazonaws.com", "cloudformation.amazonaws.com", "CreateRole",
                        "iam.amazonaws.com"));
        assertEquals(2, sources.size());
        assertEquals(Optional.empty(), ExposureEstimate.propose(sources));
    }

    @Test
    void theBaselineIsTheFirstDayAndTheToolsItUsedSoRotatingCiAddressesAreNoExposure() {
        List<CallSource> sources = scan(call(DAY_ONE, OFFICE, CI, "ListBuckets", "s3.amazonaws.com"),
                call(DAY_ONE.plus(Duration.ofHours(20)), "192.0.2.50", "terraform/1.7.0", "CreateRole",
                        "iam.amazonaws.com"),
                call(DAY_ONE.plus(Duration.ofDays(5)), "20.1.2.3", CI, "ListBuckets", "s3.amazonaws.com"),
                call(DAY_ONE.plus(Duration.ofDays(9)), "20.9.8.7", "terraform/1.7.0", "CreateRole",
                        "iam.amazonaws.com"),
                call(EXPOSED.plusSeconds(7), "203.0.113.66", ATTACKER, "GetCallerIdentity", "sts.amazonaws.com"),
                call(EXPOSED.plus(Duration.ofHours(1)), "203.0.113.67", "curl/8.4", "ListUsers", "iam.amazonaws.com"));

        assertEquals(6, sources.size());
        assertEquals(Optional.of(EXPOSED.plusSeconds(7)), ExposureEstimate.propose(sources));
    }

    @Test
    void anApproversMarkOverridesTheTimeAndNamesWhoAndWhen() {
        List<CallSource> sources = scan(call(DAY_ONE, OFFICE, CI, "ListBuckets", "s3.amazonaws.com"),
                call(EXPOSED.plusSeconds(60), "203.0.113.66", ATTACKER, "CreateUser", "iam.amazonaws.com"));
        CallSource attacker = source(sources, ATTACKER);
        Instant at = EXPOSED.plus(Duration.ofHours(3));
        Attribution marked = Attribution.NONE.exposed(EXPOSED, "U0REPORTER")
                .marked(attacker.id(), new SourceMark(Verdict.OWNER, "U0APPROVER", at));

        assertEquals(new Presumption(Verdict.OWNER, Presumption.Reason.MARKED, null), marked.presume(attacker, sources));
        assertEquals(Map.of(attacker.id(), new SourceMark(Verdict.OWNER, "U0APPROVER", at)), marked.marks());
        assertEquals(Verdict.OWNER, marked.presume(source(sources, CI), sources).verdict());
    }

    @Test
    void theBotsProposalWaitsForAnApproverAndCountsForNothingUntilThen() {
        List<CallSource> sources = scan(call(DAY_ONE, OFFICE, CI, "ListBuckets", "s3.amazonaws.com"),
                call(EXPOSED, "203.0.113.66", ATTACKER, "CreateUser", "iam.amazonaws.com"));
        Attribution proposed = Attribution.NONE.proposing(EXPOSED);

        assertTrue(proposed.awaitsConfirmation());
        assertEquals(Verdict.ATTACKER, proposed.presume(source(sources, CI), sources).verdict());
        Attribution confirmed = proposed.exposed(proposed.proposedExposure(), "U0APPROVER");
        assertFalse(confirmed.awaitsConfirmation());
        assertEquals(Verdict.OWNER, confirmed.presume(source(sources, CI), sources).verdict());
        assertEquals(Presumption.Reason.SUSPECT, confirmed.presume(source(sources, ATTACKER), sources).reason(),
                "first seen exactly at the exposure time: the attacker's");
    }

    /** Of two proposals the earlier stays: it leaves more sources suspect until an approver decides. */
    @Test
    void anEarlierProposalStaysAndAGivenTimeIsJoinedOnlyWhereNoneIsSet() {
        Attribution detected = Attribution.NONE.proposing(EXPOSED, "AWS Health");

        assertSame(detected, detected.proposing(EXPOSED.plusSeconds(60)), "a later estimate changes nothing");
        Attribution earlier = detected.proposing(EXPOSED.minusSeconds(60));
        assertEquals(EXPOSED.minusSeconds(60), earlier.proposedExposure());
        assertNull(earlier.proposedBy(), "the bot's own estimate");

        Attribution given = detected.joining(Attribution.NONE.exposed(EXPOSED.minusSeconds(600), "U0REPORTER"));
        assertEquals(EXPOSED.minusSeconds(600), given.exposedSince());
        assertEquals("U0REPORTER", given.exposureSetBy());
        assertSame(given, given.joining(Attribution.NONE.exposed(EXPOSED, "U0OTHER")), "one already set stays");
        assertSame(given, given.joining(Attribution.NONE.proposing(EXPOSED.minusSeconds(9_000), "GuardDuty")));
        assertEquals(EXPOSED.minusSeconds(60),
                detected.joining(Attribution.NONE.proposing(EXPOSED.minusSeconds(60), "GuardDuty")).proposedExposure());
    }

    @Test
    void sourcesBeyondTheLimitAreCountedNotKeptAndTheTallyAbsorbsLaterEvents() {
        Investigation investigation = new Investigation(List.of(KEY), DAY_ONE, EXPOSED.plus(Duration.ofDays(3)));
        for (int i = 0; i < 205; i++) {
            investigation.record(call(DAY_ONE.plusSeconds(i), "10.0." + (i / 250) + "." + (i % 250), CI, "ListBuckets",
                    "s3.amazonaws.com"));
        }
        InvestigationReport first = investigation.report();
        assertEquals(200, first.sources().size());
        assertEquals(5, first.callsFromOmittedSources());
        assertTrue(first.coverageNotes().stream().anyMatch(n -> n.contains("5 calls came from sources beyond")));

        investigation.record(call(DAY_ONE.minusSeconds(60), "10.0.0.0", CI, "ListBuckets", "s3.amazonaws.com"));
        CallSource earliest = investigation.report().sources().get(0);
        assertEquals(2, earliest.calls(), "a later scan's event, older than the rest, lands in the same source");
        assertEquals(DAY_ONE.minusSeconds(60), earliest.firstSeen());
    }

    private List<CallSource> scan(TrailEvent... events) {
        Investigation investigation = new Investigation(List.of(KEY), DAY_ONE, EXPOSED.plus(Duration.ofDays(3)));
        for (TrailEvent event : events) {
            investigation.record(event);
        }
        return investigation.report().sources();
    }

    private TrailEvent call(Instant at, String address, String userAgent, String name, String service) {
        TrailEvents event = TrailEvents.event("e" + ids++, at, "us-east-1", KEY, service, name)
                .readOnly(name.startsWith("List") || name.startsWith("Get"));
        if (address.startsWith("vpce-")) {
            event.from("10.1.2.3", userAgent).through("vpce-0a1b2c3d");
        } else {
            event.from(address, userAgent);
        }
        return TrailEvent.parse(event.json());
    }

    private static CallSource source(List<CallSource> sources, String userAgent) {
        CallSource found = sources.stream().filter(s -> userAgent.equals(s.userAgent())).findFirst().orElse(null);
        assertNotNull(found, "no source with user agent " + userAgent + " in " + sources);
        return found;
    }
}
