package com.leakedkeybot.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.leakedkeybot.blastradius.AccessLevel;
import com.leakedkeybot.blastradius.AccessLevels;
import com.leakedkeybot.blastradius.ActionPattern;
import com.leakedkeybot.blastradius.IamWildcards;
import com.leakedkeybot.blastradius.PolicyStatement;
import com.leakedkeybot.testkit.BotPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, "the bot cannot escalate itself", read from iam/leaked-key-bot-policy.json with IAM's matching
 * ({@link BotPolicy}): no IAM write the bot is allowed reaches its own role, user, managed policy or instance profile
 * (named {@code LeakedKeyBot…}, at any path) without an unconditional Deny, nor a principal tagged
 * {@code leaked-key-bot:protected}; it cannot tag at all; S3 bucket actions stay on bucket ARNs and object actions on
 * object ARNs; no object write reaches a log file under {@code AWSLogs/}; and the denies leave the bot its work on
 * everything else. Which of this moto can confirm: {@link BotPolicyOnMotoTest}.
 */
class BotPolicyLeastPrivilegeTest {

    private static final AccessLevels LEVELS = AccessLevels.standard();

    /** The bot itself under the naming convention: its role, a per-account responder role, at the root and below a path. */
    private static final List<String> BOT_ITSELF = List.of(
            "arn:aws:iam::123456789012:role/LeakedKeyBot",
            "arn:aws:iam::123456789012:role/LeakedKeyBotResponder",
            "arn:aws:iam::123456789012:role/security/LeakedKeyBotResponder",
            "arn:aws:iam::123456789012:user/LeakedKeyBot",
            "arn:aws:iam::123456789012:user/service/LeakedKeyBot",
            "arn:aws:iam::123456789012:policy/LeakedKeyBot",
            "arn:aws:iam::123456789012:policy/security/LeakedKeyBot",
            "arn:aws:iam::123456789012:instance-profile/LeakedKeyBot");

    /** What the bot acts on in an incident. */
    private static final List<String> ORDINARY = List.of(
            "arn:aws:iam::123456789012:user/app-deployer",
            "arn:aws:iam::123456789012:user/ci/release",
            "arn:aws:iam::123456789012:role/deploy",
            "arn:aws:iam::123456789012:role/service-role/etl",
            "arn:aws:iam::123456789012:group/developers",
            "arn:aws:iam::123456789012:policy/AppAccess",
            "arn:aws:iam::123456789012:instance-profile/web",
            "arn:aws:s3:::finance",
            "arn:aws:s3:::finance/2026/ledger.csv");

    /** A trail's log files (with and without a prefix before {@code AWSLogs/}) and another service's. */
    private static final List<String> LOG_FILES = List.of(
            "arn:aws:s3:::trail-logs/AWSLogs/123456789012/CloudTrail/us-east-1/2026/01/02/"
                    + "123456789012_CloudTrail_us-east-1_20260102T0000Z_a1.json.gz",
            "arn:aws:s3:::trail-logs/org/trails/AWSLogs/123456789012/CloudTrail/eu-west-1/2026/01/02/a2.json.gz",
            "arn:aws:s3:::lb-logs/AWSLogs/123456789012/elasticloadbalancing/us-east-1/2026/01/02/a3.log.gz");

    private static final String QUARANTINE_POLICIES = "arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantine*";
    private static final String S3_ARN = "arn:aws:s3:::";
    private static final String PROTECTED = "{\"Null\":{\"aws:ResourceTag/leaked-key-bot:protected\":\"false\"}}";

    /** S3 actions by the resource type they are authorised on (Service Authorization Reference). */
    private static final Map<String, S3Resource> S3_RESOURCES = Map.of(
            "s3:ListBucket", S3Resource.BUCKET,
            "s3:ListBucketVersions", S3Resource.BUCKET,
            "s3:GetBucketVersioning", S3Resource.BUCKET,
            "s3:GetObject", S3Resource.OBJECT,
            "s3:GetObjectVersion", S3Resource.OBJECT,
            "s3:PutObject", S3Resource.OBJECT,
            "s3:DeleteObject", S3Resource.OBJECT);

    private enum S3Resource { BUCKET, OBJECT }

    @Test
    void noIamWriteTheBotIsAllowedReachesItselfWithoutAnUnconditionalDeny() {
        assertTrue(BotPolicy.allows("iam:PutRolePolicy", BOT_ITSELF.get(0))
                        && BotPolicy.allows("iam:UpdateAssumeRolePolicy", BOT_ITSELF.get(0)),
                "the revocation and revert writes reach every role, this one too: the denies are what keep it out");

        assertEquals(List.of(), reachedWithoutDeny(writes("iam:"), BOT_ITSELF, BotPolicy::deniesAlways));
    }

    @Test
    void noIamWriteTheBotIsAllowedReachesAPrincipalTaggedProtected() {
        assertEquals(List.of(), reachedWithoutDeny(writes("iam:"), ORDINARY,
                (action, arn) -> BotPolicy.deniesWhen(PROTECTED, action, arn)));
    }

    /** The protected tag is on IAM principals; the bot tags only its own secrets (their fetch-by date). */
    @Test
    void theBotMayNeitherTagNorUntagIamPrincipals() {
        assertEquals(List.of(), BotPolicy.actions().stream().filter(a -> a.startsWith("iam:"))
                .filter(a -> LEVELS.levelOf(a).orElseThrow() == AccessLevel.TAGGING).toList());
        for (String tagging : List.of("iam:TagUser", "iam:UntagUser", "iam:TagRole", "iam:UntagRole", "iam:TagPolicy",
                "iam:UntagPolicy", "iam:TagInstanceProfile", "iam:UntagInstanceProfile")) {
            for (String arn : concat(BOT_ITSELF, ORDINARY)) {
                assertTrue(BotPolicy.deniesAlways(tagging, arn), tagging + " on " + arn);
            }
        }
    }

    /**
     * Lifting AWS's quarantine is a step of its own (four eyes, once containment holds): its statement names exactly
     * AWS's quarantine policies, so that grant cannot detach anything else.
     */
    @Test
    void theQuarantineLiftDetachesOnlyAwsQuarantinePolicies() {
        PolicyStatement lift = BotPolicy.statements(PolicyStatement.Effect.ALLOW).stream()
                .filter(s -> s.condition() != null && s.condition().contains("iam:PolicyARN")
                        && s.covers("iam:DetachUserPolicy")).findFirst().orElseThrow();
        assertEquals("{\"ArnEquals\":{\"iam:PolicyARN\":[\"arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantine\","
                + "\"arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV2\","
                + "\"arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV3\"]}}", lift.condition());
        for (String version : List.of("", "V2", "V3")) {
            assertTrue(IamWildcards.regex(QUARANTINE_POLICIES)
                    .matcher("arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantine" + version).matches(), version);
        }
    }

    /**
     * In member accounts the bot acts only as its own responder role — never as an administrator role such as the
     * OrganizationAccountAccessRole Organizations creates — and opens root sessions only with the task policy that
     * deletes root credentials.
     */
    @Test
    void memberAccountsAreReachedThroughTheResponderRoleAndRootSessionsOnlyToDeleteRootKeys() {
        assertTrue(BotPolicy.allows("sts:AssumeRole", "arn:aws:iam::210987654321:role/LeakedKeyBotResponder"));
        for (String role : List.of("OrganizationAccountAccessRole", "LeakedKeyBot", "Admin", "LeakedKeyBotResponderX",
                "path/LeakedKeyBotResponder")) {
            assertFalse(BotPolicy.allows("sts:AssumeRole", "arn:aws:iam::210987654321:role/" + role), role);
        }
        List<PolicyStatement> rootSessions = BotPolicy.statements(PolicyStatement.Effect.ALLOW).stream()
                .filter(s -> s.covers("sts:AssumeRoot")).toList();
        assertEquals(1, rootSessions.size());
        assertEquals("{\"StringEquals\":{\"sts:TaskPolicyArn\":"
                + "\"arn:aws:iam::aws:policy/root-task/IAMDeleteRootUserCredentials\"}}", rootSessions.get(0).condition());
    }

    @Test
    void s3BucketActionsStayOnBucketArnsAndObjectActionsOnObjectArns() {
        List<String> wrong = new ArrayList<>();
        for (PolicyStatement statement : BotPolicy.statements(PolicyStatement.Effect.ALLOW)) {
            for (ActionPattern action : statement.actions()) {
                if (!action.text().startsWith("s3:")) {
                    continue;
                }
                S3Resource type = S3_RESOURCES.get(action.text());
                assertTrue(type != null, action.text() + ": say whether it acts on buckets or objects (Service "
                        + "Authorization Reference)");
                for (String resource : statement.resources()) {
                    // Bucket names hold no slash: a pattern without one is a bucket pattern (with a star it also
                    // reaches every object), a pattern with one never names a bucket.
                    boolean s3 = resource.startsWith(S3_ARN) && !statement.notResource();
                    boolean objectPattern = resource.substring(s3 ? S3_ARN.length() : 0).contains("/");
                    if (!s3 || objectPattern != (type == S3Resource.OBJECT)) {
                        wrong.add(statement.sid() + ": " + action.text() + " on " + resource);
                    }
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void noObjectWriteReachesALogFile() {
        List<String> objectWrites = writes("s3:").stream()
                .filter(a -> S3_RESOURCES.get(a) == S3Resource.OBJECT).toList();
        assertEquals(List.of("s3:DeleteObject", "s3:PutObject"), objectWrites);
        assertTrue(BotPolicy.allows("s3:PutObject", LOG_FILES.get(0)),
                "the restore may write any object, log files too: the deny is what keeps it out");

        assertEquals(List.of(), reachedWithoutDeny(objectWrites, LOG_FILES, BotPolicy::deniesAlways));
        for (String logFile : LOG_FILES) {
            assertTrue(BotPolicy.allows("s3:GetObject", logFile) && !BotPolicy.deniesAlways("s3:GetObject", logFile),
                    "the investigation still reads " + logFile);
        }
    }

    @Test
    void theDeniesLeaveTheBotEveryActionItIsAllowedOnWhatItActsOn() {
        List<String> denied = new ArrayList<>();
        for (String action : BotPolicy.actions()) {
            for (String arn : ORDINARY) {
                if (BotPolicy.allows(action, arn) && BotPolicy.deniesAlways(action, arn)) {
                    denied.add(action + " on " + arn);
                }
            }
        }
        assertEquals(List.of(), denied);
        assertFalse(BotPolicy.deniesAlways("iam:GetRole", BOT_ITSELF.get(0)), "reading itself stays allowed");
    }

    /** The allowed actions of a service that change something, by AWS's access levels (an unknown one fails). */
    private static List<String> writes(String service) {
        return BotPolicy.actions().stream().filter(a -> a.startsWith(service))
                .filter(a -> LEVELS.levelOf(a).orElseThrow(() -> new AssertionError(a + " has no known access level"))
                        .changesState())
                .toList();
    }

    /** "action on arn" for every pair an Allow reaches and {@code denied} does not refuse. */
    private static List<String> reachedWithoutDeny(List<String> actions, List<String> arns, Denial denied) {
        List<String> open = new ArrayList<>();
        for (String action : actions) {
            for (String arn : arns) {
                if (BotPolicy.allows(action, arn) && !denied.refuses(action, arn)) {
                    open.add(action + " on " + arn);
                }
            }
        }
        return open;
    }

    private interface Denial {
        boolean refuses(String action, String arn);
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
