package com.leakedkeybot.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GitHub's REST API for secret scanning alerts ({@code GET /repos/{owner}/{repo}/secret-scanning/alerts/{number}}),
 * answering as GitHub does: 401 {@code Requires authentication} without a token, 401 {@code Bad credentials} with
 * another, 403 without a User-Agent, 404 {@code Not Found} for an alert it does not have; the alert with its
 * {@code secret} otherwise.
 */
public final class FakeGitHubApi implements AutoCloseable {

    private static final Pattern ALERT = Pattern.compile("/repos/([^/]+/[^/]+)/secret-scanning/alerts/(\\d+)");

    private final HttpServer server;
    private final String token;
    private final Map<String, String> alerts = new ConcurrentHashMap<>();
    private final AtomicInteger reads = new AtomicInteger();

    private FakeGitHubApi(String token) {
        this.token = token;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::answer);
        server.start();
    }

    public static FakeGitHubApi start(String token) {
        return new FakeGitHubApi(token);
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** An alert GitHub holds: {@code secret} is what its API returns in the field of that name. */
    public void addAlert(String repository, long number, String secretType, String secret) {
        alerts.put(repository + "#" + number, "{\"number\":" + number + ",\"created_at\":\"2026-12-02T08:00:00Z\","
                + "\"url\":\"https://api.github.com/repos/" + repository + "/secret-scanning/alerts/" + number + "\","
                + "\"html_url\":\"https://github.com/" + repository + "/security/secret-scanning/" + number + "\","
                + "\"state\":\"open\",\"secret_type\":\"" + secretType + "\",\"secret_type_display_name\":\"AWS\","
                + "\"secret\":\"" + secret + "\",\"validity\":\"active\"}");
    }

    /** Alert reads that were answered with the alert. */
    public int reads() {
        return reads.get();
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (exchange.getRequestHeaders().getFirst("User-Agent") == null) {
                send(exchange, 403, "{\"message\":\"Request forbidden by administrative rules. Please make sure your "
                        + "request has a User-Agent header\"}");
                return;
            }
            if (authorization == null) {
                send(exchange, 401, "{\"message\":\"Requires authentication\"}");
                return;
            }
            if (!authorization.equals("Bearer " + token) && !authorization.equals("token " + token)) {
                send(exchange, 401, "{\"message\":\"Bad credentials\"}");
                return;
            }
            Matcher alert = ALERT.matcher(exchange.getRequestURI().getPath());
            String found = alert.matches() && "GET".equals(exchange.getRequestMethod())
                    ? alerts.get(alert.group(1) + "#" + alert.group(2)) : null;
            if (found == null) {
                send(exchange, 404, "{\"message\":\"Not Found\"}");
                return;
            }
            reads.incrementAndGet();
            send(exchange, 200, found);
        }
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
