package com.leakedkeybot.testkit;

import com.leakedkeybot.sandbox.FakeSlackApi;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged bot, {@code java -jar target/leaked-key-bot.jar}, as a real child process configured only through
 * its environment, as in production. {@link #kill()} is SIGKILL: no shutdown hook, no flush, no goodbye.
 */
public final class BotProcess implements AutoCloseable {

    public static final Path JAR = Path.of("target/leaked-key-bot.jar");
    private static final Duration STARTUP = Duration.ofSeconds(60);

    private final Process process;
    private final Path log;
    private final int port;

    private BotProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /**
     * Starts the bot against {@code slack} and the AWS endpoint {@code aws}, keeping its state in {@code stateDir};
     * {@code extraEnv} adds or overrides variables. Returns once {@code /health} answers.
     */
    public static BotProcess start(FakeSlackApi slack, URI aws, Path stateDir, Map<String, String> extraEnv)
            throws IOException, InterruptedException {
        int port = freePort();
        Path log = Files.createTempFile("leaked-key-bot-process-", ".log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        // Nothing from the developer's own AWS setup may leak into the child.
        env.keySet().removeIf(name -> name.startsWith("AWS_") || name.startsWith("SLACK_") || name.startsWith("STATE_"));
        Map<String, String> ours = new HashMap<>(Map.of(
                "SLACK_BOT_TOKEN", RunningBot.BOT_TOKEN,
                "SLACK_SIGNING_SECRET", RunningBot.SIGNING_SECRET,
                "SLACK_API_URL", slack.apiUrl(),
                "INCIDENT_CHANNEL", RunningBot.INCIDENT_CHANNEL,
                "APPROVERS", RunningBot.APPROVER + "," + RunningBot.SECOND_APPROVER,
                "BIND_ADDRESS", "127.0.0.1",
                "PORT", String.valueOf(port),
                "STATE_DIR", stateDir.toString()));
        ours.putAll(Map.of("AWS_ENDPOINT_URL", aws.toString(), "AWS_REGION", "us-east-1",
                "AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing"));
        ours.putAll(extraEnv);
        env.putAll(ours);
        BotProcess bot = new BotProcess(builder.start(), log, port);
        bot.awaitHealthy();
        return bot;
    }

    public URI eventsUrl() {
        return URI.create("http://127.0.0.1:" + port + "/slack/events");
    }

    public URI healthUrl() {
        return URI.create("http://127.0.0.1:" + port + "/health");
    }

    /** SIGKILL, and waits until the process is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /** What the process printed, for assertions and failure messages. */
    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(could not read " + log + ": " + e + ")";
        }
    }

    /** SIGTERM, the way an orchestrator stops it, then SIGKILL if it lingers. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            kill();
        }
    }

    private void awaitHealthy() throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the bot exited with " + process.exitValue() + ":\n" + output());
            }
            try {
                if (http.send(HttpRequest.newBuilder(healthUrl()).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // Still starting.
            }
            Thread.sleep(100);
        }
        kill();
        throw new IllegalStateException("the bot did not become healthy within " + STARTUP + ":\n" + output());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
