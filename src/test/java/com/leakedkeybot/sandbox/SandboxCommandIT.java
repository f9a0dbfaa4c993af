package com.leakedkeybot.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.leakedkeybot.testkit.Await;
import com.leakedkeybot.testkit.BotProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The packaged jar's {@code sandbox} command as a person runs it: its output, exit codes and isolation. */
class SandboxCommandIT {

    private static final Pattern READY = Pattern.compile("Sandbox ready: (http://127\\.0\\.0\\.1:\\d+/) .* leaked key (AKIA[A-Z0-9]{16})");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void listsItsDrills() throws Exception {
        Process process = sandbox(List.of("--list-scenarios"), Map.of());
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue());
        for (String drill : List.of("exfiltration", "read-only", "root-key")) {
            assertTrue(out.lines().anyMatch(line -> line.startsWith(drill + " — ")), out);
        }
    }

    @Test
    void withoutMotoItNamesWhatToInstallAndExitsWith2() throws Exception {
        Path emptyPath = Files.createTempDirectory("no-moto-");
        Process process = sandbox(List.of(), Map.of("PATH", emptyPath.toString()));
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, process.exitValue());
        assertEquals("The sandbox needs moto: pip install \"moto[server]==5.2.1\"\n", err);
        assertEquals("", out);
    }

    /**
     * Every Slack and AWS setting of the environment points at a socket that counts connections; the sandbox plays a
     * report through the bot (Slack posts, IAM, STS and CloudTrail calls) and the socket is never reached.
     */
    @Test
    void touchesNothingTheEnvironmentNames() throws Exception {
        try (ServerSocket real = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            AtomicInteger connections = new AtomicInteger();
            Thread accepting = new Thread(() -> {
                while (!real.isClosed()) {
                    try (Socket ignored = real.accept()) {
                        connections.incrementAndGet();
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            accepting.setDaemon(true);
            accepting.start();
            String there = "http://127.0.0.1:" + real.getLocalPort();
            Path config = Files.createTempFile("aws-config-", "");
            Files.writeString(config, "[profile real]\nregion = eu-central-1\nendpoint_url = " + there + "\n");
            Map<String, String> env = Map.of(
                    "SLACK_BOT_TOKEN", "xoxb-real-workspace-token",
                    "SLACK_SIGNING_SECRET", "real-signing-secret",
                    "SLACK_API_URL", there + "/api/",
                    "AWS_ACCESS_KEY_ID", "AKIAREALACCOUNTKEY01",
                    "AWS_SECRET_ACCESS_KEY", "real-secret",
                    "AWS_ENDPOINT_URL", there,
                    "AWS_REGION", "eu-central-1",
                    "AWS_PROFILE", "real",
                    "AWS_CONFIG_FILE", config.toString());
            Process process = sandbox(List.of("--port", "0"), env);
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8));
                Matcher ready = READY.matcher(String.valueOf(out.readLine()));
                assertTrue(ready.find(), "the first line names the page and the key");
                URI page = URI.create(ready.group(1));
                post(page.resolve("/api/message"), "{\"as\":\"U0RILEY\",\"text\":\"/leaked-key " + ready.group(2) + "\"}");

                Await.until("the bot's investigation is in the thread", Duration.ofSeconds(60),
                        () -> view(page).contains("CloudTrail scan finished"));
                List<ProcessHandle> children = process.toHandle().descendants().toList();
                process.destroy();
                assertTrue(process.waitFor(30, TimeUnit.SECONDS), "Ctrl-C stops the sandbox");
                Await.until("moto is stopped too", Duration.ofSeconds(10),
                        () -> children.stream().noneMatch(ProcessHandle::isAlive));
                assertFalse(children.isEmpty(), "moto ran as the sandbox's child");
                assertEquals(0, connections.get(), "nothing connected to what the environment names");
            } finally {
                process.destroyForcibly();
            }
        }
    }

    private static Process sandbox(List<String> args, Map<String, String> env) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", BotProcess.JAR.toString(), "sandbox"));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.PIPE);
        builder.environment().putAll(env);
        return builder.start();
    }

    private static String view(URI page) {
        try {
            return HTTP.send(HttpRequest.newBuilder(page.resolve("/api/view?as=U0RILEY")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void post(URI url, String json) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(url).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
    }
}
