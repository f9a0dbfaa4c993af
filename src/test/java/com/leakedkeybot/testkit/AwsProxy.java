package com.leakedkeybot.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * A loopback HTTP proxy in front of moto whose {@link Gate} sees every request first: to slow AWS down, or to hold a
 * request while a test kills the bot. Requests are forwarded unchanged (SigV4 signs the path and headers, not the
 * proxy's address, and moto does not check signatures).
 */
public final class AwsProxy implements AutoCloseable {

    /** Decides, before forwarding, whether a request reaches moto; may block to delay it. */
    @FunctionalInterface
    public interface Gate {
        /** @return false to drop the request as a lost network would (the caller sees a 502) */
        boolean admit(String body) throws InterruptedException;
    }

    /** Headers the JDK client sets itself. */
    private static final Set<String> HOP_HEADERS = Set.of("host", "content-length", "connection", "expect", "upgrade",
            "transfer-encoding", "keep-alive");

    private final URI target;
    private final Gate gate;
    /** Which forwarded requests lose their answer: they reach moto, and the caller sees a 500 instead. */
    private final Predicate<String> answerLost;
    /** Held while a request is at moto, when requests go one at a time; null otherwise. */
    private final Lock serial;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "aws-proxy");
        thread.setDaemon(true);
        return thread;
    });
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicInteger requests = new AtomicInteger();

    private AwsProxy(URI target, Gate gate, Predicate<String> answerLost, Lock serial) throws IOException {
        this.target = target;
        this.gate = gate;
        this.answerLost = answerLost;
        this.serial = serial;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::forward);
        server.start();
    }

    public static AwsProxy start(URI target, Gate gate) {
        try {
            return new AwsProxy(target, gate, body -> false, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Requests reach moto one at a time. DynamoDB applies a conditional write atomically; moto serves each request on
     * its own thread and checks the condition and stores the item as two steps with no lock between them, so two
     * simultaneous writes conditioned on the same version can both pass. In series, moto keeps DynamoDB's guarantee,
     * which is what the state store's exactly-once rests on.
     */
    public static AwsProxy oneAtATime(URI target) {
        try {
            return new AwsProxy(target, body -> true, body -> false, new ReentrantLock(true));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every request held for {@code delay}: AWS answering slowly. */
    public static AwsProxy slow(URI target, Duration delay) {
        return start(target, body -> {
            Thread.sleep(delay.toMillis());
            return true;
        });
    }

    /**
     * Requests for which {@code lose} says so reach moto, which carries them out, but their answer is lost on the way
     * back and the caller gets a 500: what makes the SDK retry a request AWS already applied.
     */
    public static AwsProxy losingAnswers(URI target, Predicate<String> lose) {
        try {
            return new AwsProxy(target, body -> true, lose, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** For the bot's AWS endpoint setting. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Requests received so far, forwarded or not. */
    public int requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void forward(HttpExchange exchange) {
        requests.incrementAndGet();
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (!gate.admit(new String(body, StandardCharsets.UTF_8))) {
                exchange.sendResponseHeaders(502, -1);
                return;
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().toString()))
                    .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!HOP_HEADERS.contains(name.toLowerCase())) {
                    values.forEach(value -> request.header(name, value));
                }
            });
            HttpResponse<byte[]> response = send(request.build());
            if (answerLost.test(new String(body, StandardCharsets.UTF_8))) {
                exchange.sendResponseHeaders(500, -1);
                return;
            }
            response.headers().map().forEach((name, values) -> {
                if (!HOP_HEADERS.contains(name.toLowerCase()) && !name.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            exchange.sendResponseHeaders(response.statusCode(), response.body().length == 0 ? -1 : response.body().length);
            exchange.getResponseBody().write(response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException deadClient) {
            // The bot may have been killed mid-request: nobody is left to answer.
        }
    }

    private HttpResponse<byte[]> send(HttpRequest request) throws IOException, InterruptedException {
        if (serial == null) {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        }
        serial.lockInterruptibly();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } finally {
            serial.unlock();
        }
    }
}
