package com.leakedkeybot.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AwsProxyTest {

    private final AtomicInteger inside = new AtomicInteger();
    private final AtomicInteger mostInside = new AtomicInteger();
    private final AtomicInteger served = new AtomicInteger();
    private HttpServer slowTarget;

    /** A target that takes 50 ms per request and remembers how many it ever served at once. */
    @BeforeEach
    void startTarget() throws Exception {
        slowTarget = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        slowTarget.setExecutor(Executors.newCachedThreadPool());
        slowTarget.createContext("/", exchange -> {
            mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
            try {
                Thread.sleep(50); // the slowness being simulated, so that overlapping requests can show
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inside.decrementAndGet();
            served.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        slowTarget.start();
    }

    @AfterEach
    void stopTarget() {
        slowTarget.stop(0);
    }

    @Test
    void oneAtATimeNeverLetsTwoRequestsReachTheTargetTogether() throws Exception {
        assertTrue(mostAtOnce(AwsProxy.start(target())) > 1,
                "a plain proxy lets requests overlap: the test can see overlap");
        mostInside.set(0);

        assertEquals(1, mostAtOnce(AwsProxy.oneAtATime(target())));
    }

    @Test
    void aLostAnswerReachesTheTargetButTheCallerGetsA500() throws Exception {
        try (AwsProxy proxy = AwsProxy.losingAnswers(target(), operation -> operation.endsWith("POST /lost"))) {
            HttpClient http = HttpClient.newHttpClient();

            assertEquals(500, http.send(HttpRequest.newBuilder(proxy.endpoint().resolve("/lost"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode());
            assertEquals(1, served.get(), "the request was carried out");
            assertEquals(200, http.send(HttpRequest.newBuilder(proxy.endpoint().resolve("/answered"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode());
        }
    }

    private int mostAtOnce(AwsProxy proxy) throws Exception {
        try (proxy) {
            HttpClient http = HttpClient.newHttpClient();
            List<CompletableFuture<HttpResponse<Void>>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(http.sendAsync(HttpRequest.newBuilder(proxy.endpoint().resolve("/x" + i))
                        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.discarding()));
            }
            for (CompletableFuture<HttpResponse<Void>> call : calls) {
                assertTrue(call.get().statusCode() == 200);
            }
            return mostInside.get();
        }
    }

    private URI target() {
        return URI.create("http://127.0.0.1:" + slowTarget.getAddress().getPort());
    }
}
