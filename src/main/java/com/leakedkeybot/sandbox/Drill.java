package com.leakedkeybot.sandbox;

import com.leakedkeybot.LeakedKeyBot;
import com.leakedkeybot.aws.AwsTarget;
import com.leakedkeybot.config.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a scenario: moto set to the story, a CloudTrail serving its events at the real pace, and the bot itself,
 * unchanged, started as the packaged bot is but from the sandbox's own settings, with its state in a temporary
 * directory. Nothing of the environment is read.
 */
final class Drill implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Drill.class);
    static final String INCIDENT_CHANNEL = "C0INCIDENTS";
    /** The attacker's next move comes this long after the first report. */
    private static final long ATTACKER_DELAY_SECONDS = 60;
    /**
     * Production's watch reads every 5 minutes and waits 15 for CloudTrail's delivery: nothing a drill would show. The
     * sandbox's trail serves an event the moment it is recorded, so a short delay is honest here.
     */
    private static final Settings.Tuning TUNING = Settings.Tuning.defaults()
            .withTrailWatch(Duration.ofSeconds(20), Duration.ofSeconds(10));

    private final Scenario scenario;
    private final Scenario.Played played;
    private final FakeCloudTrail trail;
    private final DrillAccount account;
    private final Path stateDir;
    private final LeakedKeyBot bot;
    private final ScheduledExecutorService attacker = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "drill-attacker");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean reported = new AtomicBoolean();

    private Drill(Scenario scenario, Scenario.Played played, FakeCloudTrail trail, DrillAccount account, Path stateDir,
                  LeakedKeyBot bot) {
        this.scenario = scenario;
        this.played = played;
        this.trail = trail;
        this.account = account;
        this.stateDir = stateDir;
        this.bot = bot;
    }

    /**
     * Starts a bot on the workspace {@code slack}, resets moto and plays {@code scenario} into it. The bot starts
     * while moto boots and the story plays: it calls AWS only on a report, and the sandbox is ready much sooner.
     */
    static Drill start(Scenario scenario, MotoServer moto, FakeSlackApi slack, SandboxSecrets secrets) throws Exception {
        FakeCloudTrail trail = FakeCloudTrail.start();
        Path stateDir = Files.createTempDirectory("leaked-key-bot-sandbox-");
        Settings settings = Settings.fromEnvironment(Map.ofEntries(
                Map.entry("SLACK_BOT_TOKEN", secrets.botToken()),
                Map.entry("SLACK_SIGNING_SECRET", secrets.signingSecret()),
                Map.entry("SLACK_API_URL", slack.apiUrl()),
                Map.entry("INCIDENT_CHANNEL", INCIDENT_CHANNEL),
                Map.entry("APPROVERS", String.join(",", People.approvers())),
                Map.entry("BIND_ADDRESS", "127.0.0.1"),
                Map.entry("PORT", "0"),
                Map.entry("STATE_DIR", stateDir.toString()),
                Map.entry("CLOUDTRAIL_REGIONS", DrillAccount.REGION + ",eu-west-1"),
                Map.entry("CLOUDTRAIL_LOOKBACK_DAYS", "30"),
                Map.entry("CLOUDTRAIL_LOG_BUCKET", DrillAccount.LOG_BUCKET))).withTuning(TUNING);
        AwsTarget aws = AwsTarget.at(moto.endpoint(), DrillAccount.REGION, "sandbox-bot", "sandbox-bot")
                .withCloudTrailAt(trail.endpoint());
        FutureTask<LeakedKeyBot> bot = new FutureTask<>(() -> LeakedKeyBot.start(settings, aws));
        new Thread(bot, "drill-bot-start").start();
        DrillAccount account = null;
        try {
            moto.awaitReady();
            moto.reset();
            account = new DrillAccount(moto.endpoint(), trail);
            Scenario.Played played = scenario.play(account);
            return new Drill(scenario, played, trail, account, stateDir, started(bot));
        } catch (Exception | Error e) {
            if (account != null) {
                account.close();
            }
            try {
                started(bot).close();
            } catch (Exception botFailedToo) {
                e.addSuppressed(botFailedToo);
            }
            trail.close();
            delete(stateDir);
            throw e;
        }
    }

    private static LeakedKeyBot started(FutureTask<LeakedKeyBot> bot) throws Exception {
        try {
            return bot.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    Scenario scenario() {
        return scenario;
    }

    String leakedKeyId() {
        return played.leakedKeyId();
    }

    URI eventsUrl() {
        return URI.create("http://127.0.0.1:" + bot.port() + "/slack/events");
    }

    /** The first report starts the attacker's clock: the watch has something to find while the drill runs. */
    void reported() {
        if (reported.compareAndSet(false, true)) {
            played.attackerGoesOn().ifPresent(next -> attacker.schedule(() -> {
                try {
                    next.run();
                } catch (RuntimeException e) {
                    LOG.warn("The drill's attacker could not act: {}", e.toString());
                }
            }, ATTACKER_DELAY_SECONDS, TimeUnit.SECONDS));
        }
    }

    @Override
    public void close() throws Exception {
        attacker.shutdownNow();
        // The trail goes first: an investigation still reading it ends at once instead of at CloudTrail's pace.
        trail.close();
        try {
            bot.close();
        } finally {
            account.close();
            delete(stateDir);
        }
    }

    private static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
