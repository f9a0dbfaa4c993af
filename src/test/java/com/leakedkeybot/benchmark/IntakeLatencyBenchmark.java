package com.leakedkeybot.benchmark;

import com.leakedkeybot.config.Settings;
import com.leakedkeybot.sandbox.MotoServer;
import com.leakedkeybot.sandbox.RecordedCall;
import com.leakedkeybot.testkit.AwsTestClients;
import com.leakedkeybot.testkit.IntakeEvents;
import com.leakedkeybot.testkit.RunningBot;
import com.leakedkeybot.testkit.SharedMoto;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.StatusType;

/**
 * How fast an AWS Health event becomes an incident, and — with AUTO_DEACTIVATE=health — a deactivated key: from
 * {@code PutEvents} (EventBridge on moto, forwarding to the SQS queue the idle bot long-polls) to the incident's root
 * message in Slack, and to IAM showing the key Inactive. Production tuning (Slack's real posting pace). Each sample
 * is a fresh bot, so one incident's investigation never delays the next. Goals: under 5 s and under 10 s.
 * Not a test: run it with the command in README.md and read the numbers it prints.
 */
@Tag("benchmark")
class IntakeLatencyBenchmark {

    /** The first after the JVM started, then warm ones. */
    private static final int SAMPLES = 9;
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void fromAHealthEventToTheThreadAndToContainment() throws Exception {
        MotoServer moto = SharedMoto.get();
        IamClient iam = AwsTestClients.iam(moto.endpoint());
        List<Double> toRoot = new ArrayList<>();
        List<Double> toInactive = new ArrayList<>();
        try (IntakeEvents intake = IntakeEvents.create(moto.endpoint(), 30, 3)) {
            for (int i = 0; i < SAMPLES; i++) {
                String user = "bench-intake-" + UUID.randomUUID().toString().substring(0, 8);
                iam.createUser(r -> r.userName(user));
                String key = iam.createAccessKey(r -> r.userName(user)).accessKey().accessKeyId();
                try (RunningBot bot = RunningBot.start(moto.endpoint(), Map.of("INTAKE_QUEUE_URL", intake.queueUrl(),
                        "AUTO_DEACTIVATE", "health"), Settings.Tuning.defaults())) {
                    long start = System.nanoTime();
                    Instant startedAt = Instant.now();
                    intake.putHealth("AWS_RISK_CREDENTIALS_EXPOSED", key, "comm-" + UUID.randomUUID(),
                            "https://github.com/example/app/blob/main/.env");
                    long inactive = untilInactive(iam, user, start);
                    RecordedCall root = bot.slack().awaitCall("chat.postMessage", c -> c.ok()
                            && c.param("thread_ts") == null && c.param("text").contains(key), WAIT);
                    toRoot.add(Duration.between(startedAt, root.at()).toNanos() / 1e6);
                    toInactive.add(inactive / 1e6);
                }
            }
        }
        System.out.printf("%nAWS Health event (PutEvents) to incident, production tuning, AUTO_DEACTIVATE=health%n");
        System.out.printf("  first event after the JVM started (cold): root message %.0f ms, key inactive %.0f ms%n",
                toRoot.get(0), toInactive.get(0));
        List<Double> warmRoot = toRoot.subList(1, SAMPLES);
        List<Double> warmInactive = toInactive.subList(1, SAMPLES);
        System.out.printf("  %d later events, each on a fresh bot:%n", SAMPLES - 1);
        System.out.printf("    to the root message:  p50 %.0f ms  max %.0f ms  (goal < 5000 ms)%n", median(warmRoot),
                max(warmRoot));
        System.out.printf("    to the key inactive:  p50 %.0f ms  max %.0f ms  (goal < 10000 ms)%n",
                median(warmInactive), max(warmInactive));
    }

    /** IAM read in a tight loop: the time it first shows the key Inactive, in nanoseconds since {@code start}. */
    private static long untilInactive(IamClient iam, String user, long start) {
        while (System.nanoTime() - start < WAIT.toNanos()) {
            if (iam.listAccessKeys(r -> r.userName(user)).accessKeyMetadata().get(0).status() == StatusType.INACTIVE) {
                return System.nanoTime() - start;
            }
        }
        throw new AssertionError("the key was not deactivated within " + WAIT);
    }

    private static double median(List<Double> values) {
        return values.stream().sorted().toList().get(values.size() / 2);
    }

    private static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    }
}
