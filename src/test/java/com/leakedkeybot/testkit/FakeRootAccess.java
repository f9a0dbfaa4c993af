package com.leakedkeybot.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code sts:AssumeRoot} and what a root session may then do in IAM, which moto 5.2.1 does not implement. It enforces
 * the real API's rules: the five root-task policies only, sessions of at most 900 seconds, a target that is a 12-digit
 * account (or its root ARN), refusal where centralized root access is not enabled; and a root session may only do what
 * its task policy allows (IAMDeleteRootUserCredentials: list and delete the root user's keys; IAMAuditRootUserCredentials:
 * list them), on the root user's own keys (no UserName), with IAM's NoSuchEntity for a key the root user lacks.
 */
public final class FakeRootAccess implements AutoCloseable {

    public static final String DELETE_TASK = "arn:aws:iam::aws:policy/root-task/IAMDeleteRootUserCredentials";
    private static final String AUDIT_TASK = "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials";
    private static final Set<String> TASK_POLICIES = Set.of(DELETE_TASK, AUDIT_TASK,
            "arn:aws:iam::aws:policy/root-task/IAMCreateRootUserPassword",
            "arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy",
            "arn:aws:iam::aws:policy/root-task/SQSUnlockQueuePolicy");
    private static final Pattern SCOPE = Pattern.compile("Credential=([^/]+)/\\d{8}/[^/]+/([^/]+)/aws4_request");
    private static final Pattern TARGET = Pattern.compile("(\\d{12})|arn:aws:iam::(\\d{12}):root");

    private record Session(String account, String taskPolicy) {
    }

    private final HttpServer server;
    private final Set<String> centralized = ConcurrentHashMap.newKeySet();
    private final Map<String, Set<String>> rootKeys = new ConcurrentHashMap<>();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    private FakeRootAccess() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    public static FakeRootAccess start() {
        return new FakeRootAccess();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The organization has centralized root access for {@code account}, whose root user has {@code keys}. */
    public void centralizeRootAccess(String account, String... keys) {
        centralized.add(account);
        rootKeys.computeIfAbsent(account, a -> ConcurrentHashMap.newKeySet()).addAll(Set.of(keys));
    }

    /** An account whose root user has keys, but no centralized root access: AssumeRoot is refused there. */
    public void rootKeysWithoutCentralizedAccess(String account, String... keys) {
        rootKeys.computeIfAbsent(account, a -> ConcurrentHashMap.newKeySet()).addAll(Set.of(keys));
    }

    public Set<String> rootKeysOf(String account) {
        return Set.copyOf(rootKeys.getOrDefault(account, Set.of()));
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            Matcher scope = SCOPE.matcher(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            if (!scope.find()) {
                error(exchange, 403, "sts", "IncompleteSignature", "Request must be signed");
                return;
            }
            String caller = scope.group(1);
            String service = scope.group(2);
            String action = String.valueOf(form.get("Action"));
            if (service.equals("sts") && action.equals("AssumeRoot")) {
                assumeRoot(exchange, form);
            } else if (service.equals("iam")) {
                iam(exchange, sessions.get(caller), action, form);
            } else {
                error(exchange, 400, service, "InvalidAction", "Could not find operation " + action);
            }
        }
    }

    private void assumeRoot(HttpExchange exchange, Map<String, String> form) throws IOException {
        Matcher target = TARGET.matcher(String.valueOf(form.get("TargetPrincipal")));
        String task = form.get("TaskPolicyArn.arn");
        int duration = Integer.parseInt(form.getOrDefault("DurationSeconds", "900"));
        if (!target.matches() || task == null || duration < 0 || duration > 900) {
            error(exchange, 400, "sts", "ValidationError", "1 validation error detected: TargetPrincipal, "
                    + "TaskPolicyArn or DurationSeconds (at most 900) is invalid");
            return;
        }
        if (!TASK_POLICIES.contains(task)) {
            error(exchange, 400, "sts", "ValidationError", "TaskPolicyArn must be an AWS managed root-task policy");
            return;
        }
        String account = target.group(1) != null ? target.group(1) : target.group(2);
        if (!centralized.contains(account)) {
            error(exchange, 403, "sts", "AccessDenied", "User is not authorized to perform: sts:AssumeRoot on "
                    + "resource: arn:aws:iam::" + account + ":root (centralized root access is not enabled)");
            return;
        }
        String keyId = "ASIA" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase();
        sessions.put(keyId, new Session(account, task));
        ok(exchange, "<AssumeRootResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRootResult>"
                + "<Credentials><AccessKeyId>" + keyId + "</AccessKeyId><SecretAccessKey>root-session-secret"
                + "</SecretAccessKey><SessionToken>root-session-token</SessionToken><Expiration>"
                + Instant.now().plusSeconds(duration) + "</Expiration></Credentials><SourceIdentity>bot"
                + "</SourceIdentity></AssumeRootResult>" + metadata() + "</AssumeRootResponse>");
    }

    private void iam(HttpExchange exchange, Session session, String action, Map<String, String> form)
            throws IOException {
        boolean allowed = session != null && form.get("UserName") == null && switch (action) {
            case "ListAccessKeys" -> session.taskPolicy().equals(DELETE_TASK) || session.taskPolicy().equals(AUDIT_TASK);
            case "DeleteAccessKey" -> session.taskPolicy().equals(DELETE_TASK);
            default -> false;
        };
        if (!allowed) {
            error(exchange, 403, "iam", "AccessDenied", "not authorized to perform: iam:" + action
                    + " (a root session does only what its task policy allows, on the root user)");
            return;
        }
        Set<String> keys = rootKeys.computeIfAbsent(session.account(), a -> ConcurrentHashMap.newKeySet());
        if (action.equals("ListAccessKeys")) {
            StringBuilder members = new StringBuilder();
            keys.forEach(key -> members.append("<member><AccessKeyId>").append(key)
                    .append("</AccessKeyId><Status>Active</Status><CreateDate>2026-01-01T00:00:00Z</CreateDate></member>"));
            ok(exchange, "<ListAccessKeysResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">"
                    + "<ListAccessKeysResult><AccessKeyMetadata>" + members + "</AccessKeyMetadata><IsTruncated>false"
                    + "</IsTruncated></ListAccessKeysResult>" + metadata() + "</ListAccessKeysResponse>");
        } else if (keys.remove(String.valueOf(form.get("AccessKeyId")))) {
            ok(exchange, "<DeleteAccessKeyResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">" + metadata()
                    + "</DeleteAccessKeyResponse>");
        } else {
            error(exchange, 404, "iam", "NoSuchEntity", "The Access Key with id " + form.get("AccessKeyId")
                    + " cannot be found.");
        }
    }

    private static String metadata() {
        return "<ResponseMetadata><RequestId>" + UUID.randomUUID() + "</RequestId></ResponseMetadata>";
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    private static void ok(HttpExchange exchange, String xml) throws IOException {
        send(exchange, 200, xml);
    }

    private static void error(HttpExchange exchange, int status, String service, String code, String message)
            throws IOException {
        String namespace = service.equals("iam") ? "https://iam.amazonaws.com/doc/2010-05-08/"
                : "https://sts.amazonaws.com/doc/2011-06-15/";
        send(exchange, status, "<ErrorResponse xmlns=\"" + namespace + "\"><Error><Type>Sender</Type><Code>" + code
                + "</Code><Message>" + message + "</Message></Error><RequestId>" + UUID.randomUUID()
                + "</RequestId></ErrorResponse>");
    }

    private static void send(HttpExchange exchange, int status, String xml) throws IOException {
        byte[] body = xml.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/xml");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }
}
