package com.leakedkeybot.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SettingsTest {

    private static final String TOKEN = "xoxb-111-222-topsecretvalue";
    private static final String SIGNING = "s3cr3t-signing-value";

    private static Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>(Map.of("SLACK_BOT_TOKEN", TOKEN, "SLACK_SIGNING_SECRET", SIGNING,
                "INCIDENT_CHANNEL", "C0INCIDENT"));
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    @Test
    void defaultsFollowTheContract() {
        Settings settings = Settings.fromEnvironment(env());
        assertEquals("https://slack.com/api/", settings.slackApiUrl().toString());
        assertEquals(3000, settings.port());
        assertEquals("C0INCIDENT", settings.incidentChannel());
        assertEquals(Set.of(), settings.approvers());
        assertTrue(settings.twoPersonRule());
        assertEquals("0.0.0.0", settings.bindAddress());
        assertEquals(Path.of("./data"), settings.stateDir());
        assertEquals(Optional.empty(), settings.stateTable());
        assertEquals(Duration.ofDays(90), settings.stateRetention());
        assertEquals(Optional.empty(), settings.cloudTrailLogs());
        assertFalse(settings.socketMode());
    }

    @Test
    void memberAccountsAreReachedThroughTheResponderRoleAndAnyAccountByDefault() {
        MemberAccess members = Settings.fromEnvironment(env()).members();
        assertEquals(new MemberAccess("LeakedKeyBotResponder", Optional.empty(), Set.of()), members);
        assertTrue(members.allows("210987654321"));

        MemberAccess limited = Settings.fromEnvironment(env("MEMBER_ROLE_NAME", "SecResponder",
                "MEMBER_ROLE_EXTERNAL_ID", "org-7f3a", "ACCOUNTS", " 111111111111, 222222222222 ,")).members();
        assertEquals(new MemberAccess("SecResponder", Optional.of("org-7f3a"),
                Set.of("111111111111", "222222222222")), limited);
        assertTrue(limited.allows("222222222222"));
        assertFalse(limited.allows("333333333333"));
        assertFalse(limited.toString().contains("org-7f3a"), "the external id stays out of logs");
    }

    @Test
    void badMemberSettingsNameTheVariable() {
        for (String[] bad : new String[][] {{"ACCOUNTS", "12345678901"}, {"ACCOUNTS", "111111111111;222222222222"},
                {"ACCOUNTS", "my-prod"}, {"MEMBER_ROLE_NAME", "role/with/slashes"},
                {"MEMBER_ROLE_EXTERNAL_ID", "q"}}) {
            InvalidSettingException e = assertThrows(InvalidSettingException.class,
                    () -> Settings.fromEnvironment(env(bad[0], bad[1])));
            assertTrue(e.getMessage().startsWith(bad[0]), e.getMessage());
            assertFalse(e.getMessage().contains(bad[1]), "never the value");
        }
    }

    @Test
    void theEnvironmentGetsProductionsTuning() {
        assertEquals(new Settings.Tuning(8, 4, 4, 64, 100_000, Duration.ofSeconds(60), Duration.ofSeconds(30),
                Duration.ofSeconds(1), 3, 5, Duration.ofSeconds(30), 2.0, Duration.ofSeconds(3), 5, Duration.ofSeconds(12),
                Duration.ofMinutes(5), Duration.ofMinutes(15), Clock.systemUTC()),
                Settings.fromEnvironment(env()).tuning());
    }

    @Test
    void anotherWatchPaceChangesTheWatchAlone() {
        Settings.Tuning production = Settings.Tuning.defaults();
        assertEquals(new Settings.Tuning(8, 4, 4, 64, 100_000, Duration.ofSeconds(60), Duration.ofSeconds(30),
                Duration.ofSeconds(1), 3, 5, Duration.ofSeconds(30), 2.0, Duration.ofSeconds(3), 5, Duration.ofSeconds(12),
                Duration.ofSeconds(20), Duration.ofSeconds(10), Clock.systemUTC()),
                production.withTrailWatch(Duration.ofSeconds(20), Duration.ofSeconds(10)));
        assertEquals(Duration.ofMinutes(5), production.trailWatchInterval(), "production's own stays as it was");
    }

    @Test
    void theTrailsLogBucketIsABucketWithAnOptionalPrefix() {
        assertEquals(Optional.of(new Settings.TrailLogs("org-trail-logs", "")),
                Settings.fromEnvironment(env("CLOUDTRAIL_LOG_BUCKET", "org-trail-logs")).cloudTrailLogs());
        assertEquals(Optional.of(new Settings.TrailLogs("org-trail-logs", "security/trails")),
                Settings.fromEnvironment(env("CLOUDTRAIL_LOG_BUCKET", "org-trail-logs/security/trails/")).cloudTrailLogs());
        assertEquals(Optional.empty(), Settings.fromEnvironment(env("CLOUDTRAIL_LOG_BUCKET", " ")).cloudTrailLogs());
        assertEquals("CLOUDTRAIL_LOG_BUCKET must be the trail's S3 bucket name, optionally with its prefix: bucket or "
                + "bucket/prefix (no s3://)", assertThrows(InvalidSettingException.class,
                () -> Settings.fromEnvironment(env("CLOUDTRAIL_LOG_BUCKET", "s3://org-trail-logs"))).getMessage());
    }

    @Test
    void readsTheStateAndSocketModeVariables() {
        Settings settings = Settings.fromEnvironment(env("STATE_DIR", "/var/lib/bot", "STATE_TABLE", "leaked-key-bot-state",
                "STATE_RETENTION_DAYS", "30", "SLACK_APP_TOKEN", "xapp-1-A0001-2-abcdef"));
        assertEquals(Path.of("/var/lib/bot"), settings.stateDir());
        assertEquals(Optional.of("leaked-key-bot-state"), settings.stateTable());
        assertEquals(Duration.ofDays(30), settings.stateRetention());
        assertTrue(settings.socketMode());
        assertEquals(Optional.of("xapp-1-A0001-2-abcdef"), settings.appToken());
    }

    @Test
    void readsEveryVariable() {
        Settings settings = Settings.fromEnvironment(env("SLACK_API_URL", "http://127.0.0.1:9/api",
                "INCIDENT_CHANNEL", "C0INCIDENT", "APPROVERS", "U01, W02 ,U03", "PORT", "8080", "BIND_ADDRESS", "127.0.0.1"));
        assertEquals("http://127.0.0.1:9/api/", settings.slackApiUrl().toString());
        assertEquals("C0INCIDENT", settings.incidentChannel());
        assertEquals(Set.of("U01", "W02", "U03"), settings.approvers());
        assertEquals(8080, settings.port());
        assertEquals("127.0.0.1", settings.bindAddress());
    }

    @Test
    void theTwoPersonRuleCanBeSwitchedOffButNotMisspelt() {
        assertFalse(Settings.fromEnvironment(env("TWO_PERSON_RULE", "off")).twoPersonRule());
        assertTrue(Settings.fromEnvironment(env("TWO_PERSON_RULE", "ON")).twoPersonRule());
        assertEquals("TWO_PERSON_RULE must be on or off", assertThrows(InvalidSettingException.class,
                () -> Settings.fromEnvironment(env("TWO_PERSON_RULE", "maybe"))).getMessage());
    }

    @Test
    void automaticIntakeIsOffUntilConfigured() {
        Settings.AutomaticIntake off = Settings.fromEnvironment(env()).intake();
        assertEquals(Optional.empty(), off.queueUrl());
        assertEquals(Optional.empty(), off.gitHubWebhookSecret());
        assertEquals(URI.create("https://api.github.com"), off.gitHubApiUrl());
        assertFalse(off.deactivateConfirmed());

        Settings.AutomaticIntake on = Settings.fromEnvironment(env(
                "INTAKE_QUEUE_URL", "https://sqs.us-east-1.amazonaws.com/123456789012/leaked-key-intake",
                "GITHUB_WEBHOOK_SECRET", "webhook-secret-value", "GITHUB_TOKEN", "ghp_tokenvalue",
                "GITHUB_API_URL", "https://github.example.com/api/v3/", "AUTO_DEACTIVATE", "Health")).intake();
        assertEquals(Optional.of("https://sqs.us-east-1.amazonaws.com/123456789012/leaked-key-intake"), on.queueUrl());
        assertEquals(URI.create("https://github.example.com/api/v3"), on.gitHubApiUrl());
        assertTrue(on.deactivateConfirmed());
        assertFalse(on.toString().contains("webhook-secret-value") || on.toString().contains("ghp_tokenvalue"));
    }

    @Test
    void automaticIntakeSettingsAreValidated() {
        assertProblem("INTAKE_QUEUE_URL", env("INTAKE_QUEUE_URL", "arn:aws:sqs:us-east-1:123456789012:q"), "arn:aws");
        assertProblem("AUTO_DEACTIVATE", env("AUTO_DEACTIVATE", "always"), "always");
        assertProblem("GITHUB_API_URL", env("GITHUB_API_URL", "ftp://github.example"), "ftp://github.example");
        assertProblem("GITHUB_TOKEN", env("GITHUB_WEBHOOK_SECRET", "webhook-secret-value"), "webhook-secret-value");
    }

    @Test
    void missingSecretsAreNamed() {
        Map<String, String> noToken = env();
        noToken.remove("SLACK_BOT_TOKEN");
        assertEquals("SLACK_BOT_TOKEN is required but not set",
                assertThrows(InvalidSettingException.class, () -> Settings.fromEnvironment(noToken)).getMessage());
        Map<String, String> noSecret = env();
        noSecret.put("SLACK_SIGNING_SECRET", "  ");
        assertEquals("SLACK_SIGNING_SECRET is required but not set",
                assertThrows(InvalidSettingException.class, () -> Settings.fromEnvironment(noSecret)).getMessage());
    }

    @Test
    void withoutAnIncidentChannelTheBotRefusesToStart() {
        Map<String, String> noChannel = env();
        noChannel.remove("INCIDENT_CHANNEL");
        assertEquals("INCIDENT_CHANNEL is required but not set",
                assertThrows(InvalidSettingException.class, () -> Settings.fromEnvironment(noChannel)).getMessage());
    }

    @Test
    void invalidValuesAreNamedWithoutRepeatingThem() {
        assertProblem("SLACK_BOT_TOKEN", env("SLACK_BOT_TOKEN", "xoxp-user-token-value"), "xoxp-user-token-value");
        assertProblem("SLACK_API_URL", env("SLACK_API_URL", "ftp://slack.example/"), "ftp://slack.example");
        assertProblem("INCIDENT_CHANNEL", env("INCIDENT_CHANNEL", "#incidents"), "#incidents");
        assertProblem("APPROVERS", env("APPROVERS", "U01,@alice"), "@alice");
        assertProblem("PORT", env("PORT", "70000"), "70000");
        assertProblem("PORT", env("PORT", "http"), "http:");
        assertProblem("STATE_TABLE", env("STATE_TABLE", "no spaces allowed"), "no spaces allowed");
        assertProblem("STATE_RETENTION_DAYS", env("STATE_RETENTION_DAYS", "0"), "0 ");
        assertProblem("STATE_RETENTION_DAYS", env("STATE_RETENTION_DAYS", "ninety"), "ninety");
        assertProblem("SLACK_APP_TOKEN", env("SLACK_APP_TOKEN", "xoxb-not-an-app-token"), "xoxb-not-an-app-token");
        assertProblem("STATE_DIR", env("STATE_DIR", "bad\u0000dir"), "bad");
        assertProblem("CLOUDTRAIL_LOG_BUCKET", env("CLOUDTRAIL_LOG_BUCKET", "Upper_Case_Bucket"), "Upper_Case");
        assertProblem("CLOUDTRAIL_LOG_BUCKET", env("CLOUDTRAIL_LOG_BUCKET", "logs//prefix"), "logs//");
        assertProblem("CLOUDTRAIL_LOG_BUCKET", env("CLOUDTRAIL_LOG_BUCKET", "ab"), "ab ");
    }

    @Test
    void toStringHidesSecrets() {
        String text = Settings.fromEnvironment(env("SLACK_APP_TOKEN", "xapp-1-A0001-2-secretapptoken")).toString();
        assertFalse(text.contains(TOKEN) || text.contains(SIGNING) || text.contains("secretapptoken"));
        assertTrue(text.contains("port=3000"));
    }

    private static void assertProblem(String variable, Map<String, String> env, String badValue) {
        String message = assertThrows(InvalidSettingException.class, () -> Settings.fromEnvironment(env)).getMessage();
        assertTrue(message.startsWith(variable + " "), message);
        assertFalse(message.contains(badValue), message);
    }
}
