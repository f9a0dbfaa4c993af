package com.leakedkeybot.testkit;

import com.leakedkeybot.LeakedKeyBot;
import com.leakedkeybot.aws.AwsTarget;
import com.leakedkeybot.config.Settings;
import com.leakedkeybot.sandbox.FakeCloudTrail;
import com.leakedkeybot.sandbox.FakeSlackApi;
import com.leakedkeybot.sandbox.MotoServer;
import com.leakedkeybot.sandbox.SlackRequests;
import java.net.URI;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The whole bot, started in-process on a free loopback port against a {@link FakeSlackApi}, moto and a
 * {@link FakeCloudTrail}, with {@link #TUNING}. Its AWS calls go through an {@link AwsProxy} of its own, so a test sees
 * exactly what this bot asked of AWS, and nothing JVM-wide says where they go: bots run side by side.
 */
public final class RunningBot implements AutoCloseable {

    public static final String BOT_TOKEN = "xoxb-e2e-0000-not-a-real-token";
    public static final String SIGNING_SECRET = "e2e-signing-secret-0123456789abcdef";
    public static final String INCIDENT_CHANNEL = "C0INCIDENT";
    public static final String APPROVER = "U0APPROVER";
    public static final String SECOND_APPROVER = "U0SECOND";

    /** Regions the bot reads CloudTrail in, unless a test says otherwise: few, to keep scans short. */
    public static final String TEST_REGIONS = "us-east-1,eu-west-1";

    /**
     * Production's tuning with test timings: Slack posts and CloudTrail lookups paced 20 and 25 times faster (the
     * fakes enforce whatever pace a test sets them to), progress reported more often, and a shared lease of 10 s, so
     * a replica's sweep runs during a test while a heartbeat every 2.5 s never misses, even on a loaded machine. The
     * watch of CloudTrail keeps production's pace (every 5 minutes: not during a test) unless a test sets its own
     * ({@link #tunedWith}).
     */
    public static final Settings.Tuning TUNING = fast(Settings.Tuning.defaults());

    private final LeakedKeyBot bot;
    private final FakeSlackApi slack;
    private final boolean ownsSlack;
    private final FakeCloudTrail cloudTrail;
    private final AwsProxy aws;

    private RunningBot(LeakedKeyBot bot, FakeSlackApi slack, boolean ownsSlack, FakeCloudTrail cloudTrail, AwsProxy aws) {
        this.bot = bot;
        this.slack = slack;
        this.ownsSlack = ownsSlack;
        this.cloudTrail = cloudTrail;
        this.aws = aws;
    }

    private static Settings.Tuning fast(Settings.Tuning production) {
        return new Settings.Tuning(production.workers(), production.clickWorkers(), production.investigators(),
                production.queuedWork(), production.cachedIncidents(),
                Duration.ofSeconds(10), production.sharedCacheFreshness(), Duration.ofMillis(50),
                production.slackPostBurst(), production.slackRateLimitAttempts(), production.slackRateLimitMaxWait(),
                50.0, Duration.ofMillis(200), 10_000, production.oneMoreReportEvery(), production.trailWatchInterval(),
                production.trailDeliveryDelay(), production.clock());
    }

    /** {@link #TUNING}, with production's limit on reports in a row, for tests of that limit. */
    public static Settings.Tuning withProductionReportLimit() {
        Settings.Tuning production = Settings.Tuning.defaults();
        return new Settings.Tuning(TUNING.workers(), TUNING.clickWorkers(), TUNING.investigators(),
                TUNING.queuedWork(), TUNING.cachedIncidents(),
                TUNING.sharedLease(), TUNING.sharedCacheFreshness(), TUNING.slackPostInterval(), TUNING.slackPostBurst(),
                TUNING.slackRateLimitAttempts(), TUNING.slackRateLimitMaxWait(), TUNING.cloudTrailRequestsPerSecond(),
                TUNING.scanProgressInterval(), production.reportsAtOnce(), production.oneMoreReportEvery(),
                TUNING.trailWatchInterval(), TUNING.trailDeliveryDelay(), TUNING.clock());
    }

    /** {@link #TUNING} on {@code clock}, watching CloudTrail every {@code watchInterval}. */
    public static Settings.Tuning tunedWith(Clock clock, Duration watchInterval) {
        return new Settings.Tuning(TUNING.workers(), TUNING.clickWorkers(), TUNING.investigators(),
                TUNING.queuedWork(), TUNING.cachedIncidents(),
                TUNING.sharedLease(), TUNING.sharedCacheFreshness(), TUNING.slackPostInterval(), TUNING.slackPostBurst(),
                TUNING.slackRateLimitAttempts(), TUNING.slackRateLimitMaxWait(), TUNING.cloudTrailRequestsPerSecond(),
                TUNING.scanProgressInterval(), TUNING.reportsAtOnce(), TUNING.oneMoreReportEvery(), watchInterval,
                TUNING.trailDeliveryDelay(), clock);
    }

    /** A bot with its own fake Slack and its own fresh state directory; {@code extraEnv} overrides either. */
    public static RunningBot start(MotoServer moto, Map<String, String> extraEnv) throws Exception {
        return start(moto.endpoint(), extraEnv, TUNING);
    }

    /** @param aws where the bot's AWS calls go (moto, or a proxy in front of it) */
    public static RunningBot start(URI aws, Map<String, String> extraEnv, Settings.Tuning tuning) throws Exception {
        FakeSlackApi slack = FakeSlackApi.start(BOT_TOKEN);
        try {
            return start(aws, slack, true, extraEnv, tuning);
        } catch (Exception e) {
            slack.close();
            throw e;
        }
    }

    /** A bot talking to a fake Slack the caller owns, e.g. one of several replicas in the same workspace. */
    public static RunningBot startOn(MotoServer moto, FakeSlackApi slack, Map<String, String> extraEnv) throws Exception {
        return startOn(moto.endpoint(), slack, extraEnv);
    }

    /** @param aws where the bot's AWS calls go (moto, or a proxy in front of it) */
    public static RunningBot startOn(URI aws, FakeSlackApi slack, Map<String, String> extraEnv) throws Exception {
        return start(aws, slack, false, extraEnv, TUNING);
    }

    /** A bot on a fake Slack the caller owns (e.g. the same workspace across a restart), with {@code tuning}. */
    public static RunningBot startOn(URI aws, FakeSlackApi slack, Map<String, String> extraEnv, Settings.Tuning tuning)
            throws Exception {
        return start(aws, slack, false, extraEnv, tuning);
    }

    /** CloudTrail, which moto lacks, goes to a fake of its own, throttling beyond the pace the bot is tuned to. */
    private static RunningBot start(URI awsEndpoint, FakeSlackApi slack, boolean ownsSlack, Map<String, String> extraEnv,
                                    Settings.Tuning tuning) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of(
                "SLACK_BOT_TOKEN", BOT_TOKEN,
                "SLACK_SIGNING_SECRET", SIGNING_SECRET,
                "SLACK_API_URL", slack.apiUrl(),
                "INCIDENT_CHANNEL", INCIDENT_CHANNEL,
                "APPROVERS", APPROVER + "," + SECOND_APPROVER,
                "BIND_ADDRESS", "127.0.0.1",
                "PORT", "0",
                "STATE_DIR", Files.createTempDirectory("leaked-key-bot-state-").toString(),
                "CLOUDTRAIL_REGIONS", TEST_REGIONS));
        env.putAll(extraEnv);
        Settings settings = Settings.fromEnvironment(env).withTuning(tuning);
        FakeCloudTrail cloudTrail = FakeCloudTrail.start(tuning.cloudTrailRequestsPerSecond());
        AwsProxy aws = AwsProxy.start(awsEndpoint);
        try {
            AwsTarget target = AwsTarget.at(aws.endpoint(), "us-east-1", "testing", "testing")
                    .withCloudTrailAt(cloudTrail.endpoint());
            return new RunningBot(LeakedKeyBot.start(settings, target), slack, ownsSlack, cloudTrail, aws);
        } catch (Exception e) {
            cloudTrail.close();
            aws.close();
            throw e;
        }
    }

    public URI eventsUrl() {
        return URI.create("http://127.0.0.1:" + bot.port() + "/slack/events");
    }

    public URI healthUrl() {
        return URI.create("http://127.0.0.1:" + bot.port() + "/health");
    }

    public FakeSlackApi slack() {
        return slack;
    }

    public FakeCloudTrail cloudTrail() {
        return cloudTrail;
    }

    /** Every AWS call this bot made (CloudTrail's excepted: those go to {@link #cloudTrail()}). */
    public AwsProxy aws() {
        return aws;
    }

    public SlackRequests requests() {
        return new SlackRequests(SIGNING_SECRET, slack.responseUrl("command"));
    }

    /** Stops the bot after its queued work is done; the fakes keep their records for assertions. */
    @Override
    public void close() throws Exception {
        try {
            bot.close();
        } finally {
            cloudTrail.close();
            aws.close();
            if (ownsSlack) {
                slack.close();
            }
        }
    }
}
