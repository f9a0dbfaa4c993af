package com.leakedkeybot.config;

import java.net.URI;
import java.util.ArrayList;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The bot's runtime contract, read from environment variables. AWS settings are not here on purpose: the SDK reads
 * its own (credentials chain, AWS_REGION, AWS_ENDPOINT_URL[_<SERVICE>]).
 */
public record Settings(
        String botToken,
        String signingSecret,
        URI slackApiUrl,
        String incidentChannel,
        Set<String> approvers,
        boolean twoPersonRule,
        String bindAddress,
        int port,
        List<String> cloudTrailRegions,
        int cloudTrailLookbackDays,
        Optional<TrailLogs> cloudTrailLogs,
        Path stateDir,
        Optional<String> stateTable,
        Duration stateRetention,
        Optional<String> appToken,
        MemberAccess members,
        AutomaticIntake intake,
        Tuning tuning) {

    public static final String DEFAULT_SLACK_API_URL = "https://slack.com/api/";
    private static final Pattern CHANNEL_ID = Pattern.compile("[CGD][A-Z0-9]{2,}");
    private static final Pattern USER_ID = Pattern.compile("[UW][A-Z0-9]{2,}");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");
    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z0-9_.-]{3,255}");
    private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    /**
     * Where the trail delivers its log files: the only source of data events (S3 object writes).
     *
     * @param prefix what comes before {@code AWSLogs/} in the bucket, without slashes at either end; "" for none
     */
    public record TrailLogs(String bucket, String prefix) {
    }

    /**
     * Reports that arrive without a person: the queue EventBridge forwards AWS Health and GuardDuty events to, GitHub
     * secret scanning's webhook, and whether AWS-confirmed exposures are contained at once.
     *
     * @param queueUrl            INTAKE_QUEUE_URL; empty: no queue is read
     * @param gitHubWebhookSecret GITHUB_WEBHOOK_SECRET; empty: {@code /github/webhook} is not served
     * @param gitHubToken         GITHUB_TOKEN, which reads secret scanning alerts
     * @param gitHubApiUrl        GITHUB_API_URL, without a trailing slash
     * @param deactivateConfirmed AUTO_DEACTIVATE=health
     */
    public record AutomaticIntake(Optional<String> queueUrl, Optional<String> gitHubWebhookSecret,
                                  Optional<String> gitHubToken, URI gitHubApiUrl, boolean deactivateConfirmed) {

        public static final String DEFAULT_GITHUB_API_URL = "https://api.github.com";

        /** Secrets are never shown. */
        @Override
        public String toString() {
            return "AutomaticIntake[queueUrl=" + queueUrl + ", gitHubWebhook=" + gitHubWebhookSecret.isPresent()
                    + ", gitHubApiUrl=" + gitHubApiUrl + ", autoDeactivate=" + (deactivateConfirmed ? "health" : "off")
                    + "]";
        }
    }

    /**
     * How much the bot does at once and how fast: pool sizes, cache, leases, pacing and the clock. Not read from the
     * environment: production always runs with {@link #defaults()}; tests build faster ones.
     *
     * @param workers                 threads opening incidents (chat and a few AWS lookups) and answering timeline
     *                                requests
     * @param clickWorkers            threads running approved steps, apart from everything else: containment never
     *                                waits behind openings or investigations
     * @param investigators           threads investigating; investigations take minutes, and on a pool of their own
     *                                they can never delay a containment click
     * @param queuedWork              openings and investigations waiting for a thread, at most, each; past that the bot
     *                                answers "busy" rather than queueing without limit
     * @param cachedIncidents         incidents kept in memory
     * @param sharedLease             how long a replica sharing DynamoDB may stay silent before its in-flight steps
     *                                count as abandoned. Heartbeats come every quarter lease, so a live replica is
     *                                never taken for dead; a dead one's steps wait at most this long (or until someone
     *                                clicks) before they are re-checked
     * @param sharedCacheFreshness    how stale a cached incident may be read when other replicas write it; writes
     *                                never use the cache
     * @param slackPostInterval       Slack's pace for chat.postMessage per channel: about one message per interval
     * @param slackPostBurst          messages a channel may receive at once before the pace applies
     * @param slackRateLimitAttempts  attempts of a Slack call answered 429, the first included
     * @param slackRateLimitMaxWait   the longest Retry-After obeyed
     * @param cloudTrailRequestsPerSecond LookupEvents requests per second per region: CloudTrail's limit
     * @param scanProgressInterval    chat.update is rate-limited too: the scan's progress message changes at most
     *                                this often
     * @param reportsAtOnce           keys one person may report in a row, before the pace below applies: a script
     *                                cannot flood the channel and the investigations
     * @param oneMoreReportEvery      how long one person waits to earn another report
     * @param trailWatchInterval      how often an open incident's CloudTrail is read again after the first scan
     * @param trailDeliveryDelay      how late CloudTrail may deliver an event: each read of the watch overlaps the last
     *                                by this much, and containment counts as verified only once the trail has been
     *                                read this far past it
     * @param clock                   the time every record and decision uses
     */
    public record Tuning(
            int workers,
            int clickWorkers,
            int investigators,
            int queuedWork,
            long cachedIncidents,
            Duration sharedLease,
            Duration sharedCacheFreshness,
            Duration slackPostInterval,
            int slackPostBurst,
            int slackRateLimitAttempts,
            Duration slackRateLimitMaxWait,
            double cloudTrailRequestsPerSecond,
            Duration scanProgressInterval,
            int reportsAtOnce,
            Duration oneMoreReportEvery,
            Duration trailWatchInterval,
            Duration trailDeliveryDelay,
            Clock clock) {

        public static Tuning defaults() {
            return new Tuning(8, 4, 4, 64, 100_000, Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofSeconds(1), 3,
                    5, Duration.ofSeconds(30), 2.0, Duration.ofSeconds(3), 5, Duration.ofSeconds(12), Duration.ofMinutes(5),
                    Duration.ofMinutes(15), Clock.systemUTC());
        }

        /** The same, with the CloudTrail watch reading every {@code interval}, allowing {@code deliveryDelay}. */
        public Tuning withTrailWatch(Duration interval, Duration deliveryDelay) {
            return new Tuning(workers, clickWorkers, investigators, queuedWork, cachedIncidents, sharedLease,
                    sharedCacheFreshness, slackPostInterval, slackPostBurst, slackRateLimitAttempts, slackRateLimitMaxWait,
                    cloudTrailRequestsPerSecond, scanProgressInterval, reportsAtOnce, oneMoreReportEvery, interval,
                    deliveryDelay, clock);
        }
    }

    /** The same settings, run with {@code tuning}. */
    public Settings withTuning(Tuning tuning) {
        return new Settings(botToken, signingSecret, slackApiUrl, incidentChannel, approvers, twoPersonRule, bindAddress,
                port, cloudTrailRegions, cloudTrailLookbackDays, cloudTrailLogs, stateDir, stateTable, stateRetention,
                appToken, members, intake, tuning);
    }

    /** Secrets are never shown, not even in debugging output. */
    @Override
    public String toString() {
        return "Settings[slackApiUrl=" + slackApiUrl + ", incidentChannel=" + incidentChannel + ", approvers="
                + approvers + ", twoPersonRule=" + twoPersonRule + ", bindAddress=" + bindAddress + ", port=" + port + ", cloudTrailRegions="
                + cloudTrailRegions + ", cloudTrailLookbackDays=" + cloudTrailLookbackDays + ", cloudTrailLogs="
                + cloudTrailLogs + ", stateDir=" + stateDir
                + ", stateTable=" + stateTable + ", stateRetention=" + stateRetention + ", socketMode="
                + appToken.isPresent() + ", members=" + members + ", intake=" + intake + ", tuning=" + tuning + "]";
    }

    public static Settings fromEnvironment(Map<String, String> env) {
        return new Settings(
                botToken(env),
                required(env, "SLACK_SIGNING_SECRET"),
                slackApiUrl(env),
                incidentChannel(env),
                approvers(env),
                twoPersonRule(env),
                optional(env, "BIND_ADDRESS").orElse("0.0.0.0"),
                port(env),
                cloudTrailRegions(env),
                cloudTrailLookbackDays(env),
                cloudTrailLogs(env),
                stateDir(env),
                stateTable(env),
                stateRetention(env),
                appToken(env),
                MemberAccess.fromEnvironment(env),
                automaticIntake(env),
                Tuning.defaults());
    }

    /** Socket Mode when an app-level token is configured; HTTP otherwise. */
    public boolean socketMode() {
        return appToken.isPresent();
    }

    private static Path stateDir(Map<String, String> env) {
        try {
            return Path.of(optional(env, "STATE_DIR").orElse("./data"));
        } catch (InvalidPathException e) {
            throw new InvalidSettingException("STATE_DIR", "is not a usable directory path");
        }
    }

    private static Optional<String> stateTable(Map<String, String> env) {
        Optional<String> table = optional(env, "STATE_TABLE");
        if (table.isPresent() && !TABLE_NAME.matcher(table.get()).matches()) {
            throw new InvalidSettingException("STATE_TABLE", "must be a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)");
        }
        return table;
    }

    private static Duration stateRetention(Map<String, String> env) {
        String text = optional(env, "STATE_RETENTION_DAYS").orElse("90");
        try {
            int days = Integer.parseInt(text);
            if (days < 1 || days > 36_500) {
                throw new NumberFormatException();
            }
            return Duration.ofDays(days);
        } catch (NumberFormatException e) {
            throw new InvalidSettingException("STATE_RETENTION_DAYS", "must be a whole number of days (1-36500)");
        }
    }

    private static Optional<String> appToken(Map<String, String> env) {
        Optional<String> token = optional(env, "SLACK_APP_TOKEN");
        if (token.isPresent() && !token.get().startsWith("xapp-")) {
            throw new InvalidSettingException("SLACK_APP_TOKEN", "must be an app-level token starting with xapp-");
        }
        return token;
    }

    private static AutomaticIntake automaticIntake(Map<String, String> env) {
        Optional<String> queue = optional(env, "INTAKE_QUEUE_URL");
        if (queue.isPresent() && !queue.get().matches("https?://[^\\s/]+/\\d{12}/[A-Za-z0-9_-]{1,80}(\\.fifo)?")) {
            throw new InvalidSettingException("INTAKE_QUEUE_URL",
                    "must be an SQS queue URL such as https://sqs.us-east-1.amazonaws.com/123456789012/leaked-key-intake");
        }
        Optional<String> webhookSecret = optional(env, "GITHUB_WEBHOOK_SECRET");
        Optional<String> token = optional(env, "GITHUB_TOKEN");
        if (webhookSecret.isPresent() && token.isEmpty()) {
            throw new InvalidSettingException("GITHUB_TOKEN",
                    "is required with GITHUB_WEBHOOK_SECRET: the key id is read from the alert with it");
        }
        boolean deactivate = switch (optional(env, "AUTO_DEACTIVATE").orElse("off").toLowerCase(Locale.ROOT)) {
            case "off" -> false;
            case "health" -> true;
            default -> throw new InvalidSettingException("AUTO_DEACTIVATE", "must be off or health");
        };
        return new AutomaticIntake(queue, webhookSecret, token, httpUrl(env, "GITHUB_API_URL",
                AutomaticIntake.DEFAULT_GITHUB_API_URL, false), deactivate);
    }

    private static String botToken(Map<String, String> env) {
        String token = required(env, "SLACK_BOT_TOKEN");
        if (!token.startsWith("xoxb-")) {
            throw new InvalidSettingException("SLACK_BOT_TOKEN", "must be a bot token starting with xoxb-");
        }
        return token;
    }

    private static URI slackApiUrl(Map<String, String> env) {
        return httpUrl(env, "SLACK_API_URL", DEFAULT_SLACK_API_URL, true);
    }

    /** @param trailingSlash whether the URL ends with one (added when missing), or never does (removed) */
    private static URI httpUrl(Map<String, String> env, String name, String defaultUrl, boolean trailingSlash) {
        String text = optional(env, name).orElse(defaultUrl).replaceAll("/+$", "");
        URI uri;
        try {
            uri = URI.create(trailingSlash ? text + "/" : text);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(name, "is not a URL");
        }
        if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new InvalidSettingException(name, "must be an http(s) URL such as " + defaultUrl);
        }
        return uri;
    }

    /**
     * Required: an incident names the key's owner, its blast radius, assumable roles and source IPs, so it may only
     * open where the team chose (a private channel is best), never in whatever channel someone typed the command.
     */
    private static String incidentChannel(Map<String, String> env) {
        String channel = required(env, "INCIDENT_CHANNEL");
        if (!CHANNEL_ID.matcher(channel).matches()) {
            throw new InvalidSettingException("INCIDENT_CHANNEL", "must be a channel id such as C0123456789 (not a #name)");
        }
        return channel;
    }

    private static Set<String> approvers(Map<String, String> env) {
        return new LinkedHashSet<>(commaSeparated(env, "APPROVERS", USER_ID,
                "must be comma-separated Slack user ids such as U0123ABCD"));
    }

    /** On unless explicitly switched off: a reporter never executes a destructive step alone. */
    private static boolean twoPersonRule(Map<String, String> env) {
        return switch (optional(env, "TWO_PERSON_RULE").orElse("on").toLowerCase(Locale.ROOT)) {
            case "on", "true" -> true;
            case "off", "false" -> false;
            default -> throw new InvalidSettingException("TWO_PERSON_RULE", "must be on or off");
        };
    }

    /** Empty means every region ec2:DescribeRegions reports as enabled. */
    private static List<String> cloudTrailRegions(Map<String, String> env) {
        return commaSeparated(env, "CLOUDTRAIL_REGIONS", REGION,
                "must be comma-separated region names such as us-east-1,eu-west-1");
    }

    /** The variable's comma-separated values, blanks skipped, each matching {@code valid}; empty when unset. */
    static List<String> commaSeparated(Map<String, String> env, String name, Pattern valid, String problem) {
        List<String> values = new ArrayList<>();
        for (String value : optional(env, name).orElse("").split(",")) {
            String trimmed = value.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            if (!valid.matcher(trimmed).matches()) {
                throw new InvalidSettingException(name, problem);
            }
            values.add(trimmed);
        }
        return List.copyOf(values);
    }

    /** LookupEvents keeps 90 days; a shorter window is faster on busy accounts. */
    private static int cloudTrailLookbackDays(Map<String, String> env) {
        String text = optional(env, "CLOUDTRAIL_LOOKBACK_DAYS").orElse("90");
        try {
            int days = Integer.parseInt(text);
            if (days < 1 || days > 90) {
                throw new NumberFormatException();
            }
            return days;
        } catch (NumberFormatException e) {
            throw new InvalidSettingException("CLOUDTRAIL_LOOKBACK_DAYS", "must be a whole number of days from 1 to 90");
        }
    }

    /** {@code bucket} or {@code bucket/prefix}: the trail's S3 destination as its settings show it. */
    private static Optional<TrailLogs> cloudTrailLogs(Map<String, String> env) {
        Optional<String> value = optional(env, "CLOUDTRAIL_LOG_BUCKET");
        if (value.isEmpty()) {
            return Optional.empty();
        }
        String text = value.get();
        int slash = text.indexOf('/');
        String bucket = slash < 0 ? text : text.substring(0, slash);
        String prefix = slash < 0 ? "" : text.substring(slash + 1).replaceAll("/+$", "");
        if (!BUCKET_NAME.matcher(bucket).matches() || prefix.startsWith("/") || text.contains("://")) {
            throw new InvalidSettingException("CLOUDTRAIL_LOG_BUCKET",
                    "must be the trail's S3 bucket name, optionally with its prefix: bucket or bucket/prefix (no s3://)");
        }
        return Optional.of(new TrailLogs(bucket, prefix));
    }

    private static int port(Map<String, String> env) {
        String text = optional(env, "PORT").orElse("3000");
        try {
            int port = Integer.parseInt(text);
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new InvalidSettingException("PORT", "must be a TCP port number (0-65535)");
        }
    }

    private static String required(Map<String, String> env, String name) {
        return optional(env, name).orElseThrow(() -> new InvalidSettingException(name, "is required but not set"));
    }

    static Optional<String> optional(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }
}
