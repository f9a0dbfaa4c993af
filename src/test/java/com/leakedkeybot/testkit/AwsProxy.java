package com.leakedkeybot.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback HTTP proxy in front of moto that records every AWS operation sent through it — the ground truth of what
 * a bot asked of AWS, for the clients pointed here and nobody else's. Its {@link Gate} sees every request first: to
 * slow AWS down or act while a request is in the air; and it can {@link #hold} one operation's requests while a test
 * kills the bot, then deliver or drop them. Requests are forwarded unchanged (SigV4 signs the path and headers, not
 * the proxy's address, and moto does not check signatures).
 */
public final class AwsProxy implements AutoCloseable {

    /** Decides, before forwarding, whether a request reaches moto; may block to delay it. */
    @FunctionalInterface
    public interface Gate {
        /**
         * @param operation as {@link #calls()} names it, e.g. {@code iam:CreateAccessKey}
         * @return false to drop the request as a lost network would (the caller sees a 502)
         */
        boolean admit(String operation) throws InterruptedException;
    }

    /** One request: the operation, and the body it was sent with (which may hold secrets: never printed). */
    private record Call(String operation, String body) {
    }

    /** Headers the JDK client sets itself. */
    private static final Set<String> HOP_HEADERS = Set.of("host", "content-length", "connection", "expect", "upgrade",
            "transfer-encoding", "keep-alive");
    /** The signing service in SigV4's credential scope: {@code Credential=<key>/<date>/<region>/<service>/aws4_request}. */
    private static final Pattern SERVICE = Pattern.compile("Credential=[^/]+/\\d{8}/[^/]+/([^/]+)/aws4_request");
    private static final Pattern QUERY_ACTION = Pattern.compile("(?:^|&)Action=([^&]+)");

    private final URI target;
    private final Gate gate;
    /** Which operations lose their answer: they reach moto, and the caller sees a 500 instead. */
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
    private final List<Call> seen = new CopyOnWriteArrayList<>();
    private final List<Call> delivered = new CopyOnWriteArrayList<>();
    private volatile Held held;
    private volatile Refusal refusal;

    /** An AWS error answered in moto's place: for what AWS refuses and moto accepts (moto checks no trust policy). */
    private record Refusal(String operation, String mentioning, int status, String errorXml) {
        boolean matches(Call call) {
            return call.operation().equals(operation) && call.body().contains(mentioning);
        }
    }

    /** Requests of one operation waiting at the proxy until released. */
    private static final class Held {
        final String operation;
        final CountDownLatch arrived = new CountDownLatch(1);
        final CountDownLatch released = new CountDownLatch(1);
        volatile boolean deliver;

        Held(String operation) {
            this.operation = operation;
        }
    }

    private AwsProxy(URI target, Gate gate, Predicate<String> answerLost, Lock serial) {
        this.target = target;
        this.gate = gate;
        this.answerLost = answerLost;
        this.serial = serial;
        try {
            this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::forward);
        server.start();
    }

    /** Forwards everything, recording it. */
    public static AwsProxy start(URI target) {
        return start(target, operation -> true);
    }

    public static AwsProxy start(URI target, Gate gate) {
        return new AwsProxy(target, gate, operation -> false, null);
    }

    /**
     * Requests reach moto one at a time. DynamoDB applies a conditional write atomically; moto serves each request on
     * its own thread and checks the condition and stores the item as two steps with no lock between them, so two
     * simultaneous writes conditioned on the same version can both pass. In series, moto keeps DynamoDB's guarantee,
     * which is what the state store's exactly-once rests on.
     */
    public static AwsProxy oneAtATime(URI target) {
        return new AwsProxy(target, operation -> true, operation -> false, new ReentrantLock(true));
    }

    /** Every request held for {@code delay}: AWS answering slowly (the delay is what is being simulated). */
    public static AwsProxy slow(URI target, Duration delay) {
        return start(target, operation -> {
            Thread.sleep(delay.toMillis());
            return true;
        });
    }

    /**
     * Requests whose operation {@code lose} picks reach moto, which carries them out, but their answer is lost on the
     * way back and the caller gets a 500: what makes the SDK retry a request AWS already applied.
     */
    public static AwsProxy losingAnswers(URI target, Predicate<String> lose) {
        return new AwsProxy(target, operation -> true, lose, null);
    }

    /** For the bot's AWS endpoint. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /**
     * Every operation received so far, forwarded or not, SDK retries included, as {@code service:Operation} with
     * SigV4's service name (IAM's prefix, e.g. {@code iam:UpdateAccessKey}, {@code dynamodb:PutItem}); REST calls
     * (S3, Lambda) as {@code service:METHOD /path}.
     */
    public List<String> calls() {
        return seen.stream().map(Call::operation).toList();
    }

    /** The operations received whose request names {@code text}, e.g. an access key id. */
    public List<String> calls(String mentioning) {
        return seen.stream().filter(c -> c.body().contains(mentioning)).map(Call::operation).toList();
    }

    /** How many {@code operation} requests were received. */
    public long count(String operation) {
        return calls().stream().filter(operation::equals).count();
    }

    /** How many {@code operation} requests were received that name {@code text}, e.g. an access key id. */
    public long count(String operation, String mentioning) {
        return calls(mentioning).stream().filter(operation::equals).count();
    }

    /** How many {@code operation} requests reached moto. */
    public long delivered(String operation) {
        return delivered.stream().filter(c -> c.operation().equals(operation)).count();
    }

    /** Forgets the calls recorded so far. */
    public void reset() {
        seen.clear();
        delivered.clear();
    }

    /** From now on, {@code operation} requests wait here until {@link #release}. */
    public void hold(String operation) {
        held = new Held(operation);
    }

    /**
     * From now on, {@code operation} requests naming {@code mentioning} are answered {@code status} with AWS's
     * {@code errorXml} and never reach moto, e.g. sts:AssumeRole into an account whose role does not trust the bot.
     */
    public void refuse(String operation, String mentioning, int status, String errorXml) {
        refusal = new Refusal(operation, mentioning, status, errorXml);
    }

    /** Waits until a request is being held. */
    public boolean awaitHeld(Duration timeout) throws InterruptedException {
        Held holding = held;
        return holding != null && holding.arrived.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Lets held requests go: delivered to moto, or dropped as if the network lost them. Stops holding. */
    public void release(boolean deliver) {
        Held holding = held;
        held = null;
        if (holding != null) {
            holding.deliver = deliver;
            holding.released.countDown();
        }
    }

    @Override
    public void close() {
        release(false);
        server.stop(0);
        executor.shutdownNow();
    }

    private void forward(HttpExchange exchange) {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Call call = new Call(operation(exchange, body), new String(body, StandardCharsets.UTF_8));
            seen.add(call);
            Refusal refusing = refusal;
            if (refusing != null && refusing.matches(call)) {
                byte[] error = refusing.errorXml().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "text/xml");
                exchange.sendResponseHeaders(refusing.status(), error.length);
                exchange.getResponseBody().write(error);
                return;
            }
            if (!gate.admit(call.operation()) || !passHold(call.operation())) {
                exchange.sendResponseHeaders(502, -1);
                return;
            }
            delivered.add(call);
            HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().toString()))
                    .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!HOP_HEADERS.contains(name.toLowerCase())) {
                    values.forEach(value -> request.header(name, value));
                }
            });
            HttpResponse<byte[]> response = send(request.build());
            if (answerLost.test(call.operation())) {
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

    /** Whether a request may go on: yes unless its operation is held and then released undelivered. */
    private boolean passHold(String operation) throws InterruptedException {
        Held holding = held;
        if (holding == null || !holding.operation.equals(operation)) {
            return true;
        }
        holding.arrived.countDown();
        holding.released.await(60, TimeUnit.SECONDS);
        return holding.deliver;
    }

    /** Query protocol (IAM, STS, EC2): the form's Action; JSON protocol (DynamoDB, Secrets Manager): X-Amz-Target. */
    private static String operation(HttpExchange exchange, byte[] body) {
        Matcher service = SERVICE.matcher(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
        String prefix = (service.find() ? service.group(1) : "unsigned") + ":";
        String amzTarget = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        if (amzTarget != null) {
            return prefix + amzTarget.substring(amzTarget.lastIndexOf('.') + 1);
        }
        Matcher action = QUERY_ACTION.matcher(new String(body, StandardCharsets.UTF_8));
        if (action.find()) {
            return prefix + URLDecoder.decode(action.group(1), StandardCharsets.UTF_8);
        }
        return prefix + exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
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
