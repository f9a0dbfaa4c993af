package com.leakedkeybot.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.leakedkeybot.aws.AwsTarget;
import com.leakedkeybot.aws.CloudTrailLookup;
import com.leakedkeybot.key.AccessKeyId;
import com.leakedkeybot.sandbox.InMemoryTrail.FakeEvent;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback CloudTrail that answers LookupEvents as AWS does (awsJson1_1) from an {@link InMemoryTrail}, with its
 * limits: one lookup attribute, MaxResults 1..50, a valid time range, newest first, NextToken bound to its query,
 * data per region, and throttling beyond 2 requests per second per region (token bucket, burst 2) with
 * ThrottlingException — or beyond the faster rate a test tunes its lookups to.
 */
public final class FakeCloudTrail implements AutoCloseable {

    public static final String TARGET = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CREDENTIAL_SCOPE = Pattern.compile("Credential=([^/]+)/\\d{8}/([^/]+)/cloudtrail/");
    private static final Pattern HOST_REGION = Pattern.compile("cloudtrail\\.([a-z0-9-]+)\\.amazonaws\\.com");
    private static final Set<String> ATTRIBUTE_KEYS =
            Set.of("AccessKeyId", "EventId", "EventName", "EventSource", "Username", "ReadOnly");
    /** CloudTrail's own limit on LookupEvents, per region, and the burst it allows. */
    private static final double CLOUDTRAIL_RATE_PER_SECOND = 2.0;
    private static final double CLOUDTRAIL_BURST = 2.0;

    private record RegionError(int status, String type, String message) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(64);
    private final InMemoryTrail events = new InMemoryTrail();
    private final double ratePerSecond;
    private final double burst;
    private final Map<String, RegionError> failingRegions = new ConcurrentHashMap<>();
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> served = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> throttled = new ConcurrentHashMap<>();
    private final Map<String, List<Long>> arrivals = new ConcurrentHashMap<>();

    private FakeCloudTrail(double ratePerSecond) throws IOException {
        this.ratePerSecond = ratePerSecond;
        // Faster rates get a fifth of a second's worth: arrival jitter on a loaded machine is not the client's fault.
        this.burst = Math.max(CLOUDTRAIL_BURST, ratePerSecond / 5);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** Throttling beyond CloudTrail's own 2 requests per second per region. */
    public static FakeCloudTrail start() throws IOException {
        return start(CLOUDTRAIL_RATE_PER_SECOND);
    }

    /** Throttling beyond {@code ratePerSecond} per region: the pace a test's lookups are tuned to. */
    public static FakeCloudTrail start(double ratePerSecond) throws IOException {
        return new FakeCloudTrail(ratePerSecond);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Here, signing as {@code callerAccessKeyId}, which {@link #arrivals} tells apart. */
    public AwsTarget target(String callerAccessKeyId) {
        return AwsTarget.at(endpoint(), "us-east-1", callerAccessKeyId, "fake");
    }

    /**
     * The bot's lookup, paced to this fake's rate. (That the production pace keeps to CloudTrail's own limit is
     * CloudTrailLookupTest's to show; elsewhere both sides may run faster.)
     */
    public CloudTrailLookup lookup(String callerAccessKeyId) {
        return new CloudTrailLookup(target(callerAccessKeyId), ratePerSecond);
    }

    /**
     * Stores a raw CloudTrail event (JSON) in a region. Data events (S3 object reads...) are dropped: LookupEvents
     * never returns them.
     */
    public void add(String region, String cloudTrailEventJson) {
        events.add(region, cloudTrailEventJson);
    }

    /** Stores events (sorting once), e.g. a generated volume. */
    public void add(String region, List<FakeEvent> more) {
        events.add(region, more);
    }

    /** Makes every request to the region fail, e.g. (400, "AccessDeniedException", "...") as an SCP would. */
    public void failRegion(String region, int status, String errorType, String message) {
        failingRegions.put(region, new RegionError(status, errorType, message));
    }

    /** LookupEvents requests answered with events (throttled and failed ones excluded). */
    public long served(String region) {
        return served.getOrDefault(region, new AtomicLong()).get();
    }

    /** When each request of a caller (SigV4 access key id) to a region arrived, in System.nanoTime(), retries included. */
    public List<Long> arrivals(String region, String callerAccessKeyId) {
        return List.copyOf(arrivals.getOrDefault(region + " " + callerAccessKeyId, List.of()));
    }

    /** Every caller (SigV4 access key id) that sent LookupEvents requests, in any region. */
    public java.util.Set<String> callers() {
        return arrivals.keySet().stream().map(key -> key.substring(key.indexOf(' ') + 1))
                .collect(java.util.stream.Collectors.toSet());
    }

    public long throttled() {
        return throttled.values().stream().mapToLong(AtomicLong::get).sum();
    }

    public long throttled(String region) {
        return throttled.getOrDefault(region, new AtomicLong()).get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream body = exchange.getRequestBody()) {
            byte[] bytes = body.readAllBytes();
            if (!exchange.getRequestMethod().equals("POST")
                    || !TARGET.equals(exchange.getRequestHeaders().getFirst("X-Amz-Target"))) {
                error(exchange, 400, "UnknownOperationException", "Only LookupEvents is implemented");
                return;
            }
            Matcher scope = CREDENTIAL_SCOPE.matcher(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            String region = scope.find() ? scope.group(2) : hostRegion(exchange);
            if (region == null) {
                error(exchange, 403, "IncompleteSignatureException", "No SigV4 credential scope");
                return;
            }
            arrivals.computeIfAbsent(region + " " + callerOf(exchange), k -> Collections.synchronizedList(new ArrayList<>()))
                    .add(System.nanoTime());
            RegionError failure = failingRegions.get(region);
            if (failure != null) {
                error(exchange, failure.status(), failure.type(), failure.message());
                return;
            }
            if (!buckets.computeIfAbsent(region, r -> new Bucket()).tryTake()) {
                throttled.computeIfAbsent(region, r -> new AtomicLong()).incrementAndGet();
                error(exchange, 400, "ThrottlingException", "Rate exceeded");
                return;
            }
            lookup(exchange, region, read(new String(bytes, StandardCharsets.UTF_8)));
        }
    }

    private void lookup(HttpExchange exchange, String region, JsonNode request) throws IOException {
        JsonNode attributes = request.path("LookupAttributes");
        if (attributes.size() > 1) {
            error(exchange, 400, "InvalidLookupAttributesException", "You can only specify one lookup attribute.");
            return;
        }
        Predicate<FakeEvent> filter = event -> true;
        if (attributes.size() == 1) {
            String key = attributes.get(0).path("AttributeKey").asText();
            String value = attributes.get(0).path("AttributeValue").asText();
            if (!ATTRIBUTE_KEYS.contains(key) || value.isEmpty()) {
                error(exchange, 400, "InvalidLookupAttributesException", "Invalid lookup attribute " + key);
                return;
            }
            filter = attributeFilter(key, value);
        }
        int maxResults = request.path("MaxResults").asInt(50);
        if (request.has("MaxResults") && (maxResults < 1 || maxResults > 50)) {
            error(exchange, 400, "InvalidMaxResultsException", "MaxResults must be between 1 and 50.");
            return;
        }
        long start = request.has("StartTime") ? (long) Math.ceil(request.path("StartTime").asDouble()) : Long.MIN_VALUE;
        long end = request.has("EndTime") ? (long) Math.floor(request.path("EndTime").asDouble()) : Long.MAX_VALUE;
        if (start > end) {
            error(exchange, 400, "InvalidTimeRangeException", "Start time must be before end time.");
            return;
        }
        String query = region + "|" + attributes + "|" + start + "|" + end;
        int offset = 0;
        if (request.hasNonNull("NextToken")) {
            offset = offset(request.path("NextToken").asText(), query);
            if (offset < 0) {
                error(exchange, 400, "InvalidNextTokenException", "Invalid NextToken.");
                return;
            }
        }
        List<FakeEvent> matching = events.matching(region, filter, start, end);
        int until = Math.min(matching.size(), offset + maxResults);
        ObjectNode response = JSON.createObjectNode();
        ArrayNode events = response.putArray("Events");
        for (FakeEvent event : matching.subList(Math.min(offset, until), until)) {
            ObjectNode out = events.addObject();
            out.put("EventId", event.eventId());
            out.put("EventName", event.eventName());
            out.put("ReadOnly", String.valueOf(event.readOnly()));
            if (event.accessKeyId() != null) {
                out.put("AccessKeyId", event.accessKeyId());
            }
            out.put("EventTime", event.epochSecond());
            out.put("EventSource", event.eventSource());
            if (event.username() != null) {
                out.put("Username", event.username());
            }
            out.putArray("Resources");
            out.put("CloudTrailEvent", event.cloudTrailEvent().get());
        }
        if (until < matching.size()) {
            response.put("NextToken", token(query, until));
        }
        served.computeIfAbsent(region, r -> new AtomicLong()).incrementAndGet();
        send(exchange, 200, JSON.writeValueAsBytes(response));
    }

    private static Predicate<FakeEvent> attributeFilter(String key, String value) {
        return switch (key) {
            case "AccessKeyId" -> e -> value.equals(e.accessKeyId());
            case "EventId" -> e -> value.equals(e.eventId());
            case "EventName" -> e -> value.equals(e.eventName());
            case "EventSource" -> e -> value.equals(e.eventSource());
            case "Username" -> e -> value.equals(e.username());
            default -> e -> value.equalsIgnoreCase(String.valueOf(e.readOnly()));
        };
    }

    private static String callerOf(HttpExchange exchange) {
        Matcher scope = CREDENTIAL_SCOPE.matcher(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
        return scope.find() ? scope.group(1) : "anonymous";
    }

    private static String hostRegion(HttpExchange exchange) {
        String host = exchange.getRequestHeaders().getFirst("Host");
        if (host != null) {
            Matcher matcher = HOST_REGION.matcher(host);
            if (matcher.find()) {
                return matcher.group(1);
            }
        }
        return null;
    }

    private static String token(String query, int offset) {
        return Base64.getUrlEncoder().encodeToString((query.hashCode() + ":" + offset).getBytes(StandardCharsets.UTF_8));
    }

    /** The offset a token carries, or -1 when the token was not issued for this query. */
    private static int offset(String token, String query) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split(":");
            return parts.length == 2 && parts[0].equals(String.valueOf(query.hashCode())) ? Integer.parseInt(parts[1]) : -1;
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

    private static void error(HttpExchange exchange, int status, String type, String message) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("__type", type).put("message", message);
        send(exchange, status, JSON.writeValueAsBytes(body));
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("Not JSON", e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** The per-region request budget. */
    private final class Bucket {
        private double tokens = burst;
        private long last = System.nanoTime();

        synchronized boolean tryTake() {
            long now = System.nanoTime();
            tokens = Math.min(burst, tokens + (now - last) / 1e9 * ratePerSecond);
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }
    }
}
