package com.leakedkeybot;

import com.leakedkeybot.testkit.SharedMoto;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.leakedkeybot.sandbox.MotoServer;
import com.leakedkeybot.testkit.RunningBot;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Requests no Slack app sends, over real HTTP: bodies and headers too large for the bot to read. Each is refused
 * before the bot reads it, and the bot goes on serving Slack. Oversized bodies go over a plain socket: the JDK's
 * HttpClient abandons the whole exchange, answer included, once the server stops reading what it sends.
 */
class RequestLimitsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final long FIFTY_MB = 50L * 1024 * 1024;
    private static final String TOO_LARGE = "HTTP/1.1 413 Payload Too Large";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static RunningBot bot;

    @BeforeAll
    static void startBot() throws Exception {
        bot = RunningBot.start(SharedMoto.get(), Map.of());
    }

    @AfterAll
    static void stopBot() throws Exception {
        bot.close();
    }

    @Test
    void chunkedBodiesOverTheLimitAreCutOffWith413() throws Exception {
        // Three at once, as in the report that ran the bot out of memory (there 300 MB each against -Xmx256m).
        ExecutorService clients = Executors.newFixedThreadPool(3);
        try {
            List<CompletableFuture<Streamed>> answers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                answers.add(CompletableFuture.supplyAsync(() -> streamChunked(bot.eventsUrl(), FIFTY_MB), clients));
            }
            for (CompletableFuture<Streamed> answer : answers) {
                Streamed streamed = answer.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertEquals(TOO_LARGE, streamed.statusLine());
                assertTrue(streamed.sent() < FIFTY_MB, "the bot read the whole body");
            }
        } finally {
            clients.shutdownNow();
        }
        botStillServesSlack();
    }

    @Test
    void aDeclaredLengthOverTheLimitIsRefusedWith413BeforeAnyOfTheBodyIsSent() throws Exception {
        for (URI route : List.of(bot.eventsUrl(), bot.healthUrl())) {
            assertEquals(TOO_LARGE, answerToHeadAlone(route, FIFTY_MB), route.getPath());
        }
        botStillServesSlack();
    }

    @Test
    void oversizedHeadersAreRefusedWith431() throws Exception {
        HttpRequest padded = HttpRequest.newBuilder(bot.eventsUrl()).timeout(WAIT)
                .header("X-Padding", "a".repeat(16 * 1024))
                .POST(HttpRequest.BodyPublishers.ofString("command=%2Fleaked-key")).build();

        assertEquals(431, HTTP.send(padded, HttpResponse.BodyHandlers.ofString()).statusCode());
        botStillServesSlack();
    }

    /** Healthy, and a signed slash command still opens an incident. */
    private static void botStillServesSlack() throws Exception {
        HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(bot.healthUrl()).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode());
        HttpResponse<String> ack = bot.requests().slashCommand(bot.eventsUrl(), Map.of("text", "AKIAIOSFODNN7EXAMPLE"));
        assertEquals(200, ack.statusCode());
        assertTrue(ack.body().matches("(?s).*Incident \\*LK-\\d{8}-[A-Z2-7]{8}\\* opened.*"), ack.body());
    }

    /** The status line of the answer to a streamed body, and how many bytes of the body could be sent. */
    private record Streamed(String statusLine, long sent) {
    }

    /**
     * Posts a chunked body (no Content-Length) of {@code size} bytes, written from one 16 KiB chunk over and over while
     * the answer is read; the writing stops when the server closes the connection.
     */
    private static Streamed streamChunked(URI url, long size) {
        try (Socket socket = new Socket(url.getHost(), url.getPort())) {
            socket.setSoTimeout((int) WAIT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(head(url, "Transfer-Encoding: chunked"));
            int chunkSize = 16 * 1024;
            byte[] chunk = (Integer.toHexString(chunkSize) + "\r\n" + "a".repeat(chunkSize) + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            AtomicLong sent = new AtomicLong();
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                try {
                    while (sent.get() < size) {
                        out.write(chunk);
                        sent.addAndGet(chunkSize);
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException closedByTheServer) {
                    // expected: the server answered and closed the connection
                }
            });
            String statusLine = statusLine(socket);
            writing.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            return new Streamed(statusLine, sent.get());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Sends a request's line and headers, declaring a body of {@code contentLength} bytes it never sends, and returns
     * the answer's status line: a server that waited for the body would time out here.
     */
    private static String answerToHeadAlone(URI url, long contentLength) throws IOException {
        try (Socket socket = new Socket(url.getHost(), url.getPort())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(head(url, "Content-Length: " + contentLength));
            return statusLine(socket);
        }
    }

    private static byte[] head(URI url, String framing) {
        return ("POST " + url.getPath() + " HTTP/1.1\r\nHost: " + url.getAuthority()
                + "\r\nContent-Type: application/x-www-form-urlencoded\r\n" + framing + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static String statusLine(Socket socket) throws IOException {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
    }
}
