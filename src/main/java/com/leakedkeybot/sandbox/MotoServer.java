package com.leakedkeybot.sandbox;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The real moto AWS emulator ({@code moto_server} on PATH, or {@code python3 -m moto.server}) as a child process on
 * a free loopback port. One port serves every AWS service; {@link #reset()} clears all state between tests.
 */
public final class MotoServer implements AutoCloseable {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final Path log;
    private final URI endpoint;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private MotoServer(Process process, Path log, URI endpoint) {
        this.process = process;
        this.log = log;
        this.endpoint = endpoint;
    }

    /** What to install when neither {@code moto_server} nor Python's moto module is there. */
    public static final String INSTALL = "pip install \"moto[server]==5.2.1\"";

    /** Neither {@code moto_server} on PATH nor {@code python3 -m moto.server}: nothing was started. */
    public static final class Missing extends IllegalStateException {
        Missing() {
            super("moto is not installed: " + INSTALL);
        }
    }

    /** Starts moto and waits until it answers; fails with moto's own output if it does not within 30 s. */
    public static MotoServer start() {
        MotoServer moto = launch();
        moto.awaitReady();
        return moto;
    }

    /**
     * Starts moto without waiting for it: its endpoint is known at once, so clients can be built while it boots.
     * {@link #awaitReady()} before the first call.
     */
    public static MotoServer launch() {
        List<String> command = command().orElseThrow(Missing::new);
        try {
            int port = freePort();
            // A file, not a pipe: nobody drains moto's request log, and a full pipe would block it.
            Path log = Files.createTempFile("moto-server-", ".log");
            log.toFile().deleteOnExit();
            List<String> args = new ArrayList<>(command);
            args.addAll(List.of("-H", "127.0.0.1", "-p", String.valueOf(port)));
            ProcessBuilder builder = new ProcessBuilder(args)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            // moto needs no settings of a real account or workspace, so it is given none.
            builder.environment().keySet().removeIf(name -> name.startsWith("AWS_") || name.startsWith("SLACK_"));
            // Loads AWS managed policies (AWSCompromisedKeyQuarantineV3 and the rest) so the bot can attach them.
            builder.environment().put("MOTO_IAM_LOAD_MANAGED_POLICIES", "true");
            return new MotoServer(builder.start(), log, URI.create("http://127.0.0.1:" + port));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start moto (" + INSTALL + ")", e);
        }
    }

    /** {@code moto_server} from PATH, else Python's module when {@code python3} can import it. */
    static Optional<List<String>> command() {
        if (onPath("moto_server")) {
            return Optional.of(List.of("moto_server"));
        }
        if (onPath("python3")) {
            try {
                Process probe = new ProcessBuilder("python3", "-c", "import moto.server")
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0) {
                    return Optional.of(List.of("python3", "-m", "moto.server"));
                }
                probe.destroyForcibly();
            } catch (IOException e) {
                return Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        return path != null && Arrays.stream(path.split(File.pathSeparator))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, program)));
    }

    /**
     * Starts a separate moto that checks every request as AWS does: signed with an access key of one of its IAM users
     * (dummy credentials are refused) and allowed by that user's policies. {@code setUp} runs first, while moto still
     * accepts anything, to create the users whose keys the test will sign with. Never {@link #reset()} it: that deletes
     * those users, after which no request is accepted.
     */
    public static MotoServer startEnforcingAuth(Consumer<URI> setUp) {
        MotoServer moto = start();
        try {
            setUp.accept(moto.endpoint);
            // moto's own switch (what its set_initial_no_auth_action_count uses in server mode): after 0 more
            // unauthenticated requests, every request is authenticated and authorised.
            moto.post("/moto-api/reset-auth", "0");
            return moto;
        } catch (RuntimeException e) {
            moto.close();
            throw e;
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    /** Clears every service's state; managed policies come back with the next IAM call. */
    public void reset() {
        post("/moto-api/reset", "");
    }

    private void post(String path, String body) {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(endpoint.resolve(path)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("moto " + path + " answered " + response.statusCode() + ": "
                        + response.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until moto answers; fails with moto's own output, and stops it, if it does not within 30 s. */
    public void awaitReady() {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        HttpRequest probe = HttpRequest.newBuilder(endpoint.resolve("/moto-api/")).timeout(Duration.ofSeconds(2)).build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto_server exited with " + process.exitValue() + ":\n" + output());
            }
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // Keep polling until the deadline.
            } catch (InterruptedException e) {
                close();
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(Duration.ofMillis(100));
        }
        close();
        throw new IllegalStateException("moto_server did not answer on " + endpoint + " within " + STARTUP_TIMEOUT
                + ":\n" + output());
    }

    private String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(could not read " + log + ": " + e + ")";
        }
    }

    /** The OS picks a free port; moto binds it right after, a small race that is fine on a test machine. */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
