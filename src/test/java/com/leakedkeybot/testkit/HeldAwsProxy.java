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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An HTTP proxy in front of moto that can hold IAM's UpdateAccessKey requests in the air, so a test can kill the bot
 * while its step is in flight, and then decide whether the held request ever reaches IAM (as with a real network,
 * where a request may or may not have landed when its sender died). It counts the requests it saw and the ones it
 * delivered: the ground truth of how often the bot changed IAM.
 */
public final class HeldAwsProxy implements AutoCloseable {

    private static final String UPDATE_ACCESS_KEY = "Action=UpdateAccessKey";
    /** Headers the JDK client sets itself. */
    private static final Set<String> HOP_HEADERS = Set.of("host", "content-length", "connection", "expect", "upgrade",
            "transfer-encoding");

    private final URI target;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "held-aws-proxy");
        thread.setDaemon(true);
        return thread;
    });
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicInteger updatesSeen = new AtomicInteger();
    private final AtomicInteger updatesDelivered = new AtomicInteger();
    private final AtomicReference<CountDownLatch> holding = new AtomicReference<>();
    private final CountDownLatch held = new CountDownLatch(1);
    private volatile boolean deliverHeld;

    private HeldAwsProxy(URI target) throws IOException {
        this.target = target;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::forward);
        server.start();
    }

    public static HeldAwsProxy start(URI target) {
        try {
            return new HeldAwsProxy(target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** For the bot's AWS_ENDPOINT_URL. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** From now on, UpdateAccessKey requests wait at the proxy until {@link #release}. */
    public void holdUpdates() {
        holding.set(new CountDownLatch(1));
    }

    /** Waits until an UpdateAccessKey request is being held. */
    public boolean awaitHeldUpdate(Duration timeout) throws InterruptedException {
        return held.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Lets held requests go: delivered to IAM, or dropped as if the network lost them. Stops holding. */
    public void release(boolean deliver) {
        deliverHeld = deliver;
        CountDownLatch latch = holding.getAndSet(null);
        if (latch != null) {
            latch.countDown();
        }
    }

    public int updatesSeen() {
        return updatesSeen.get();
    }

    /** UpdateAccessKey requests that reached IAM (moto). */
    public int updatesDelivered() {
        return updatesDelivered.get();
    }

    @Override
    public void close() {
        release(false);
        server.stop(0);
        executor.shutdownNow();
    }

    private void forward(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        boolean update = new String(body, StandardCharsets.UTF_8).contains(UPDATE_ACCESS_KEY);
        try {
            if (update) {
                updatesSeen.incrementAndGet();
                CountDownLatch latch = holding.get();
                if (latch != null) {
                    held.countDown();
                    latch.await(60, TimeUnit.SECONDS);
                    if (!deliverHeld) {
                        exchange.sendResponseHeaders(502, -1);
                        return;
                    }
                }
                updatesDelivered.incrementAndGet();
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().toString()))
                    .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!HOP_HEADERS.contains(name.toLowerCase())) {
                    values.forEach(value -> request.header(name, value));
                }
            });
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
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
        } finally {
            exchange.close();
        }
    }
}
