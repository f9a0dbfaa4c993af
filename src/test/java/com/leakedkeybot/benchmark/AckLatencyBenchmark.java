package com.leakedkeybot.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.leakedkeybot.config.Settings;
import com.leakedkeybot.testkit.Await;
import com.leakedkeybot.testkit.AwsProxy;
import com.leakedkeybot.testkit.AwsTestClients;
import com.leakedkeybot.testkit.MotoServer;
import com.leakedkeybot.testkit.RunningBot;
import com.leakedkeybot.testkit.SlackRequests;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
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
        MotoServer moto = MotoServer.shared();
        IamClient iam = AwsTestClients.iam(moto.endpoint());
        iam.createUser(r -> r.userName("bench-user"));
        String keyId = iam.createAccessKey(r -> r.userName("bench-user")).accessKey().accessKeyId();

        try (AwsProxy slowAws = AwsProxy.slow(moto.endpoint(), AWS_DELAY);
             RunningBot bot = RunningBot.start(slowAws.endpoint(), Map.of(), Settings.Tuning.defaults())) {
            SlackRequests requests = bot.requests();
            warmUp(bot, requests, keyId);
            // Measure while the bot's workers are inside slow AWS calls, not before they reach them (thread posts
            // come first, and Slack's pace of about one message per second per channel spaces them out).
            Await.until("the bot's workers reach AWS", Duration.ofSeconds(60), () -> !slowAws.calls().isEmpty());
            int awsBefore = slowAws.calls().size();

            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            List<Future<List<Long>>> results = new ArrayList<>();
            long start = System.nanoTime();
            for (int c = 0; c < CLIENTS; c++) {
                results.add(clients.submit(() -> {
                    List<Long> latencies = new ArrayList<>();
                    for (int i = 0; i < REQUESTS_PER_CLIENT; i++) {
                        long sent = System.nanoTime();
                        HttpResponse<String> ack = requests.slashCommand(bot.eventsUrl(), Map.of("text", keyId));
                        latencies.add(System.nanoTime() - sent);
                        assertEquals(200, ack.statusCode());
                    }
                    return latencies;
                }));
            }
            List<Long> all = new ArrayList<>();
            for (Future<List<Long>> result : results) {
                all.addAll(result.get());
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            clients.shutdown();
            Collections.sort(all);
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
