package com.leakedkeybot.benchmark;

import com.leakedkeybot.testkit.SharedMoto;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.leakedkeybot.config.Settings;
import com.leakedkeybot.sandbox.FakeSlackApi;
import com.leakedkeybot.sandbox.RecordedCall;
import com.leakedkeybot.server.BotServer;
import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.bolt.App;
import com.slack.api.bolt.AppConfig;
import com.leakedkeybot.sandbox.MotoServer;
import com.leakedkeybot.sandbox.SlackRequests;
import com.leakedkeybot.testkit.Await;
import com.leakedkeybot.testkit.AwsProxy;
import com.leakedkeybot.testkit.AwsTestClients;
import com.leakedkeybot.testkit.RunningBot;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * Ack latency of {@code /leaked-key} under concurrent signed requests while every AWS call takes one second.
 * Not a test: run it with the command in README.md and read the numbers it prints.
 */
@Tag("benchmark")
class AckLatencyBenchmark {

    private static final int CLIENTS = 32;
    private static final int REQUESTS_PER_CLIENT = 25;
    private static final Duration AWS_DELAY = Duration.ofSeconds(1);

    @Test
    void ackNeverWaitsForAws() throws Exception {
        MotoServer moto = SharedMoto.get();
        IamClient iam = AwsTestClients.iam(moto.endpoint());
        iam.createUser(r -> r.userName("bench-user"));
        String keyId = iam.createAccessKey(r -> r.userName("bench-user")).accessKey().accessKeyId();

        try (AwsProxy slowAws = AwsProxy.slow(moto.endpoint(), AWS_DELAY);
             RunningBot bot = RunningBot.start(slowAws.endpoint(), Map.of(), productionWithoutReportLimit())) {
            SlackRequests requests = bot.requests();
            warmUp(bot, requests, keyId);
            // Measure while the bot's workers are inside slow AWS calls, not before they reach them (thread posts
            // come first, and Slack's pace of about one message per second per channel spaces them out).
            Await.until("the bot's workers reach AWS", Duration.ofSeconds(60), () -> !slowAws.calls().isEmpty());
            int awsBefore = slowAws.calls().size();

            long start = System.nanoTime();
            List<Long> all = flood(requests, bot.eventsUrl(), (client, request) -> keyId, new AtomicInteger());
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("%nAck latency of /leaked-key, %d concurrent clients x %d requests, AWS delayed %d ms per call%n",
                    CLIENTS, REQUESTS_PER_CLIENT, AWS_DELAY.toMillis());
            System.out.printf("  requests: %d in %.2f s -> %.0f acks/s%n", all.size(), seconds, all.size() / seconds);
            System.out.printf("  p50 %.1f ms  p90 %.1f ms  p99 %.1f ms  max %.1f ms%n", pct(all, 50), pct(all, 90),
                    pct(all, 99), all.get(all.size() - 1) / 1e6);
            System.out.printf("  AWS requests in flight or made during the measurement: %d before it, %d by its end (each held %d ms)%n",
                    awsBefore, slowAws.calls().size(), AWS_DELAY.toMillis());
            System.out.printf("  machine: %d cores, Java %s%n", Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"));
        }
    }

    /**
     * A flood: 32 clients reporting keys (half the same key, half distinct ones) at the bot, while an approver clicks
     * Deactivate key on another incident; the same load at a bare Bolt app (same Jetty, Bolt and signature check,
     * a handler that only acknowledges) gives the reference ack latency.
     */
    @Test
    void aFloodOfReportsNeitherSlowsAcksMuchNorDelaysContainment() throws Exception {
        MotoServer moto = SharedMoto.get();
        IamClient iam = AwsTestClients.iam(moto.endpoint());
        iam.createUser(r -> r.userName("flood-victim"));
        String victimKey = iam.createAccessKey(r -> r.userName("flood-victim")).accessKey().accessKeyId();
        iam.createUser(r -> r.userName("flood-reported"));
        String reportedKey = iam.createAccessKey(r -> r.userName("flood-reported")).accessKey().accessKeyId();

        List<Long> bare;
        try (FakeSlackApi slack = FakeSlackApi.start(RunningBot.BOT_TOKEN); BareBolt app = new BareBolt(slack)) {
            SlackRequests requests = new SlackRequests(RunningBot.SIGNING_SECRET, slack.responseUrl("bare"));
            flood(requests, app.eventsUrl(), halfTheSame(reportedKey), new AtomicInteger()); // warm-up
            bare = flood(requests, app.eventsUrl(), halfTheSame(reportedKey), new AtomicInteger());
        }
        try (RunningBot bot = RunningBot.start(moto.endpoint(), Map.of(), productionWithoutReportLimit())) {
            SlackRequests requests = bot.requests();
            requests.slashCommand(bot.eventsUrl(), Map.of("text", victimKey, "user_id", "U0VICTIM"));
            RecordedCall step = bot.slack().awaitCall("chat.postMessage",
                    c -> c.ok() && c.blocks().toString().contains("step:deactivate"), Duration.ofSeconds(60));
            flood(requests, bot.eventsUrl(), halfTheSame(reportedKey), new AtomicInteger()); // warm-up
            AtomicInteger acked = new AtomicInteger();
            CompletableFuture<Long> click = CompletableFuture.supplyAsync(() -> clickDuringTheFlood(bot, step,
                    acked));
            List<Long> botAcks = flood(requests, bot.eventsUrl(), halfTheSame(reportedKey), acked);
            long clickToCall = click.get();

            System.out.printf("%nFlood: %d clients x %d reports (half one key, half distinct keys)%n", CLIENTS,
                    REQUESTS_PER_CLIENT);
            System.out.printf("  bare Bolt app: p50 %.1f ms  p99 %.1f ms%n", pct(bare, 50), pct(bare, 99));
            System.out.printf("  the bot:       p50 %.1f ms  p99 %.1f ms  (p99 %.2fx the bare app's; goal 1.25x)%n",
                    pct(botAcks, 50), pct(botAcks, 99), pct(botAcks, 99) / pct(bare, 99));
            System.out.printf("  Deactivate key click during the flood -> iam:UpdateAccessKey sent: %.0f ms (goal < 1000)%n",
                    clickToCall / 1e6);
            System.out.printf("  machine: %d cores, Java %s%n", Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"));
        }
    }

    /** Production's tuning, but one reporter may report without limit: the load comes from a few test clients. */
    private static Settings.Tuning productionWithoutReportLimit() {
        Settings.Tuning production = Settings.Tuning.defaults();
        return new Settings.Tuning(production.workers(), production.clickWorkers(), production.investigators(),
                production.queuedWork(), production.cachedIncidents(), production.sharedLease(),
                production.sharedCacheFreshness(), production.slackPostInterval(), production.slackPostBurst(),
                production.slackRateLimitAttempts(), production.slackRateLimitMaxWait(),
                production.cloudTrailRequestsPerSecond(), production.scanProgressInterval(), Integer.MAX_VALUE,
                production.oneMoreReportEvery(), production.trailWatchInterval(), production.trailDeliveryDelay(),
                production.clock());
    }

    /** Half the clients report {@code sameKey} again and again, the other half a distinct key each time. */
    private static BiFunction<Integer, Integer, String> halfTheSame(String sameKey) {
        return (client, request) -> client % 2 == 0 ? sameKey : distinctKeyId(client, request);
    }

    /** Every client sends its reports, {@code keyFor(client, request)}; returns every ack's latency, sorted. */
    private static List<Long> flood(SlackRequests requests, URI url, BiFunction<Integer, Integer, String> keyFor,
                                    AtomicInteger acked) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<List<Long>>> results = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            results.add(clients.submit(() -> {
                List<Long> latencies = new ArrayList<>();
                for (int i = 0; i < REQUESTS_PER_CLIENT; i++) {
                    long sent = System.nanoTime();
                    HttpResponse<String> ack = requests.slashCommand(url, Map.of("text", keyFor.apply(client, i),
                            "user_id", "U0FLOOD" + client));
                    latencies.add(System.nanoTime() - sent);
                    acked.incrementAndGet();
                    assertEquals(200, ack.statusCode());
                }
                return latencies;
            }));
        }
        List<Long> all = new ArrayList<>();
        for (Future<List<Long>> result : results) {
            all.addAll(result.get());
        }
        clients.shutdown();
        Collections.sort(all);
        return all;
    }

    /** A quarter into the flood, an approver deactivates the victim's key; nanoseconds until IAM is asked. */
    private static long clickDuringTheFlood(RunningBot bot, RecordedCall step, AtomicInteger acked) {
        try {
            Await.until("a quarter of the flood acknowledged", Duration.ofSeconds(60),
                    () -> acked.get() >= CLIENTS * REQUESTS_PER_CLIENT / 4);
            JsonNode button = step.blocks().findParent("action_id");
            long clicked = System.nanoTime();
            bot.requests().blockAction(bot.eventsUrl(), SlackRequests.blockActionsPayload(RunningBot.APPROVER,
                    RunningBot.INCIDENT_CHANNEL, step.response().path("ts").asText(), step.param("thread_ts"),
                    button.path("action_id").asText(), "step", button.path("value").asText(),
                    bot.slack().responseUrl("click")));
            Await.until("iam:UpdateAccessKey sent", Duration.ofSeconds(60),
                    () -> bot.aws().count("iam:UpdateAccessKey") > 0);
            return System.nanoTime() - clicked;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A well-formed key id nobody owns, one per client and request. */
    private static String distinctKeyId(int client, int request) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        int n = client * 1_000 + request;
        StringBuilder id = new StringBuilder("AKIAY34FZKBOFL");
        for (int i = 0; i < 6; i++) {
            id.append(alphabet.charAt(n % 32));
            n /= 32;
        }
        return id.toString();
    }

    /** A Bolt app that only acknowledges, on the bot's own server and signature check: the reference. */
    private static final class BareBolt implements AutoCloseable {
        private final BotServer server;

        BareBolt(FakeSlackApi slack) throws Exception {
            SlackConfig config = new SlackConfig();
            config.setMethodsEndpointUrlPrefix(slack.apiUrl());
            App app = new App(AppConfig.builder().singleTeamBotToken(RunningBot.BOT_TOKEN)
                    .signingSecret(RunningBot.SIGNING_SECRET).slack(Slack.getInstance(config)).build());
            app.command("/leaked-key", (request, context) -> context.ack("ok"));
            server = new BotServer(Optional.of(app), "127.0.0.1", 0);
            server.start();
        }

        URI eventsUrl() {
            return URI.create("http://127.0.0.1:" + server.port() + BotServer.EVENTS_PATH);
        }

        @Override
        public void close() throws Exception {
            server.close();
        }
    }

    private static void warmUp(RunningBot bot, SlackRequests requests, String keyId) throws Exception {
        for (int i = 0; i < 50; i++) {
            requests.slashCommand(bot.eventsUrl(), Map.of("text", i % 2 == 0 ? keyId : "not-a-key"));
        }
    }

    private static double pct(List<Long> sorted, int percentile) {
        int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, index)) / 1e6;
    }
}
