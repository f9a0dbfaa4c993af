package com.leakedkeybot.testkit;

import com.leakedkeybot.sandbox.FakeSlackApi;
import com.leakedkeybot.sandbox.SlackRequests;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * A loopback fake of Slack's Socket Mode WebSocket: greets each connection with {@code hello}, sends envelopes
 * ({@code envelope_id}, {@code type}, {@code payload}, {@code accepts_response_payload}) and records the
 * acknowledgements the app sends back ({@code envelope_id} and, where allowed, a response {@code payload}). It can
 * drop the connection from its side, as Slack does when it refreshes connections or the network breaks. Pair it with
 * {@link FakeSlackApi#enableSocketMode}, which hands out {@link #url()} from {@code apps.connections.open}.
 */
public final class FakeSocketModeServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Object lock = new Object();
    private final List<WebSocket> connections = new ArrayList<>();
    private final Map<String, JsonNode> acks = new HashMap<>();
    private final CountDownLatch started = new CountDownLatch(1);
    private final WebSocketServer server;

    private FakeSocketModeServer() {
        server = new WebSocketServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)) {
            @Override
            public void onOpen(WebSocket socket, ClientHandshake handshake) {
                synchronized (lock) {
                    connections.add(socket);
                    lock.notifyAll();
                }
                socket.send("{\"type\":\"hello\",\"num_connections\":1,\"debug_info\":{\"host\":\"fake\","
                        + "\"approximate_connection_time\":3600},\"connection_info\":{\"app_id\":\""
                        + SlackRequests.API_APP_ID + "\"}}");
            }

            @Override
            public void onMessage(WebSocket socket, String message) {
                try {
                    JsonNode ack = JSON.readTree(message);
                    if (ack.hasNonNull("envelope_id")) {
                        synchronized (lock) {
                            acks.put(ack.get("envelope_id").asText(), ack);
                            lock.notifyAll();
                        }
                    }
                } catch (Exception notJson) {
                    // Only acknowledgements are of interest.
                }
            }

            @Override
            public void onClose(WebSocket socket, int code, String reason, boolean remote) {
            }

            @Override
            public void onError(WebSocket socket, Exception e) {
            }

            @Override
            public void onStart() {
                started.countDown();
            }
        };
        server.setReuseAddr(true);
        server.setDaemon(true);
    }

    public static FakeSocketModeServer start() throws InterruptedException {
        FakeSocketModeServer fake = new FakeSocketModeServer();
        fake.server.start();
        if (!fake.started.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the fake Socket Mode server did not start");
        }
        return fake;
    }

    /** What {@code apps.connections.open} answers. */
    public String url() {
        return "ws://127.0.0.1:" + server.getPort() + "/link/?ticket=fake";
    }

    /** Connections opened so far, including dropped ones. */
    public int connectionsOpened() {
        synchronized (lock) {
            return connections.size();
        }
    }

    public void awaitConnections(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (connections.size() < count || !connections.get(count - 1).isOpen()) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new AssertionError(connections.size() + " connection(s) opened, wanted " + count);
                }
                lock.wait(Math.min(left, 50));
            }
        }
    }

    /** Sends an envelope on the newest connection; returns its envelope_id. */
    public String send(String type, JsonNode payload, boolean acceptsResponsePayload) {
        String id = UUID.randomUUID().toString();
        ObjectNode envelope = JSON.createObjectNode();
        envelope.put("envelope_id", id);
        envelope.put("type", type);
        envelope.set("payload", payload);
        envelope.put("accepts_response_payload", acceptsResponsePayload);
        newest().send(envelope.toString());
        return id;
    }

    /** The acknowledgement of {@code envelopeId}, waiting for it if needed. */
    public JsonNode awaitAck(String envelopeId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (!acks.containsKey(envelopeId)) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new AssertionError("envelope " + envelopeId + " was not acknowledged within " + timeout);
                }
                lock.wait(left);
            }
            return acks.get(envelopeId);
        }
    }

    /** Closes the newest connection from the server's side. */
    public void dropConnection() {
        newest().close(1001, "going away");
    }

    @Override
    public void close() throws InterruptedException {
        server.stop(1000);
    }

    private WebSocket newest() {
        synchronized (lock) {
            return connections.get(connections.size() - 1);
        }
    }
}
