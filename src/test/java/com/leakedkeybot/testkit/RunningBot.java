package com.leakedkeybot.testkit;

import com.leakedkeybot.LeakedKeyBot;
import com.leakedkeybot.config.Settings;
import java.net.URI;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

/**
 * The whole bot, started in-process on a free loopback port against a {@link FakeSlackApi} and moto. AWS is pointed
 * at moto through the SDK's standard system properties (the JVM-wide twins of AWS_ENDPOINT_URL, AWS_REGION, …), so
 * the bot's own client construction is exercised unchanged.
 */
public final class RunningBot implements AutoCloseable {

    public static final String BOT_TOKEN = "xoxb-e2e-0000-not-a-real-token";
    public static final String SIGNING_SECRET = "e2e-signing-secret-0123456789abcdef";
    public static final String INCIDENT_CHANNEL = "C0INCIDENT";
    public static final String APPROVER = "U0APPROVER";
    public static final String SECOND_APPROVER = "U0SECOND";

    /** Regions the bot reads CloudTrail in, unless a test says otherwise: few, to keep scans short. */
    public static final String TEST_REGIONS = "us-east-1,eu-west-1";

    private final LeakedKeyBot bot;
    private final FakeSlackApi slack;
    private final boolean ownsSlack;
    private final FakeCloudTrail cloudTrail;

    private RunningBot(LeakedKeyBot bot, FakeSlackApi slack, boolean ownsSlack, FakeCloudTrail cloudTrail) {
        this.bot = bot;
        this.slack = slack;
        this.ownsSlack = ownsSlack;
        this.cloudTrail = cloudTrail;
    }

    /** A bot with its own fake Slack and its own fresh state directory; {@code extraEnv} overrides either. */
    public static RunningBot start(MotoServer moto, Map<String, String> extraEnv) throws Exception {
        return start(moto.endpoint(), extraEnv);
    }

    /** @param aws where the bot's AWS clients send their calls (moto, or a proxy in front of it) */
    public static RunningBot start(URI aws, Map<String, String> extraEnv) throws Exception {
        FakeSlackApi slack = FakeSlackApi.start(BOT_TOKEN);
        try {
            return start(aws, slack, true, extraEnv);
        } catch (Exception e) {
            slack.close();
            throw e;
        }
    }

    /** A bot talking to a fake Slack the caller owns, e.g. one of several replicas in the same workspace. */
    public static RunningBot startOn(MotoServer moto, FakeSlackApi slack, Map<String, String> extraEnv) throws Exception {
        return startOn(moto.endpoint(), slack, extraEnv);
    }

    /** @param aws where the bot's AWS clients send their calls (moto, or a proxy in front of it) */
    public static RunningBot startOn(URI aws, FakeSlackApi slack, Map<String, String> extraEnv) throws Exception {
        return start(aws, slack, false, extraEnv);
    }

    /** CloudTrail, which moto lacks, goes to a fresh {@link FakeCloudTrail} (the last one started, JVM-wide). */
    private static RunningBot start(URI aws, FakeSlackApi slack, boolean ownsSlack,
                                    Map<String, String> extraEnv) throws Exception {
        pointAwsAt(aws);
        FakeCloudTrail cloudTrail = FakeCloudTrail.start();
        System.setProperty("aws.endpointUrlCloudTrail", cloudTrail.endpoint().toString());
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
        try {
            return new RunningBot(LeakedKeyBot.start(Settings.fromEnvironment(env)), slack, ownsSlack, cloudTrail);
        } catch (Exception e) {
            cloudTrail.close();
            throw e;
        }
    }

    public static void pointAwsAt(URI endpoint) {
        System.setProperty("aws.endpointUrl", endpoint.toString());
        System.setProperty("aws.region", "us-east-1");
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
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
            if (ownsSlack) {
                slack.close();
            }
        }
    }
}
