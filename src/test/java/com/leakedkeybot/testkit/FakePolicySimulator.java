package com.leakedkeybot.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leakedkeybot.incident.Decision;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;

/**
 * IAM's {@code SimulatePrincipalPolicy}, which moto does not implement: a loopback server that answers that one
 * operation as the IAM API reference documents it, from the principal's policies as moto holds them. Only that
 * operation is sent here ({@link #routing()} rewrites its host in the test's IAM client before signing); every other
 * call goes to moto as before, so there is no second proxy to keep in step with {@link AwsProxy}.
 *
 * <p>What it enforces, from the API reference: {@code PolicySourceArn} (20–2048 characters) and at least one
 * {@code ActionNames} member (3–128) are required, {@code MaxItems} is 1–1000 (default 100) and {@code Marker} is
 * the one the previous page returned (else {@code ValidationError} or {@code InvalidInput}); a principal that is not
 * a user, group or role ARN is {@code InvalidInput}, one that does not exist {@code NoSuchEntity}. Each action is
 * evaluated for each resource (or {@code *}); with resources named, a result carries its
 * {@code ResourceSpecificResults} and its missing context values there. A user's simulation includes its inline and
 * attached policies, its groups' and its permissions boundary. Decisions are {@code allowed}, {@code explicitDeny}
 * or {@code implicitDeny}, and {@code MatchedStatements} names the deciding statements' policies.
 *
 * <p>What it does not do: evaluate conditions — no context entries are taken, so, as in IAM when a key is missing, a
 * statement with a Condition does not apply and its keys are reported missing — or policy variables; the other
 * optional inputs (custom policies, resource policy, caller, context) are refused rather than ignored, so no test
 * relies on them by mistake; SCPs are out of reach (moto has no organization here).
 *
 * <p>{@link #enforcingAuth} also checks, as IAM does, that the signing caller (found by its access key id) is allowed
 * {@code iam:SimulatePrincipalPolicy} on the principal, with the same evaluation; signatures are not checked.
 */
public final class FakePolicySimulator implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NS = "https://iam.amazonaws.com/doc/2010-05-08/";
    private static final Pattern PRINCIPAL = Pattern.compile("arn:aws[a-z-]*:iam::(\\d{12}):(user|group|role)/(.+)");
    private static final Pattern CREDENTIAL = Pattern.compile("Credential=([A-Z0-9]+)/");
    /** The optional inputs this fake does not simulate: refused, never silently ignored. */
    private static final List<String> NOT_SIMULATED = List.of("PolicyInputList.", "PermissionsBoundaryPolicyInputList.",
            "ResourcePolicy", "ResourceOwner", "CallerArn", "ContextEntries.", "ResourceHandlingOption");

    private final IamClient moto;
    private final boolean enforcingAuth;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final AtomicInteger simulations = new AtomicInteger();

    private FakePolicySimulator(IamClient moto, boolean enforcingAuth) {
        this.moto = moto;
        this.enforcingAuth = enforcingAuth;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** @param moto reads the principals' policies (any caller may simulate) */
    public static FakePolicySimulator start(IamClient moto) {
        return new FakePolicySimulator(moto, false);
    }

    /** @param admin reads the principals' policies and the callers' (an {@link AuthorizingMoto}'s administrator) */
    public static FakePolicySimulator enforcingAuth(IamClient admin) {
        return new FakePolicySimulator(admin, true);
    }

    /** Where it listens; IAM clients reach it through {@link #routing()}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** For an IAM client's interceptors: sends SimulatePrincipalPolicy here and nothing else. */
    public ExecutionInterceptor routing() {
        int port = server.getAddress().getPort();
        return new ExecutionInterceptor() {
            @Override
            public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
                if (!"SimulatePrincipalPolicy".equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))) {
                    return context.httpRequest();
                }
                return context.httpRequest().toBuilder().protocol("http").host("127.0.0.1").port(port).build();
            }
        };
    }

    /** An IAM client on {@code endpoint} (moto) whose simulations come here. */
    public IamClient iam(URI endpoint) {
        return AwsTestClients.configured(IamClient.builder(), endpoint, AwsTestClients.CREDENTIALS)
                .overrideConfiguration(c -> c.addExecutionInterceptor(routing())).build();
    }

    /** Simulations answered (errors included), to prove when none was needed. */
    public int simulations() {
        return simulations.get();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private record Failure(int status, String code, String message) {
    }

    private static final class Refused extends RuntimeException {
        private final Failure failure;

        Refused(int status, String code, String message) {
            super(message, null, false, false);
            this.failure = new Failure(status, code, message);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(),
                    StandardCharsets.UTF_8));
            String answer;
            int status = 200;
            try {
                if (!"SimulatePrincipalPolicy".equals(form.get("Action"))) {
                    throw new Refused(400, "FakeDoesNotImplement", "only SimulatePrincipalPolicy is served here, not "
                            + form.get("Action"));
                }
                simulations.incrementAndGet();
                answer = simulate(form, exchange.getRequestHeaders().getFirst("Authorization"));
            } catch (Refused refused) {
                status = refused.failure.status();
                answer = error(refused.failure);
            } catch (RuntimeException broken) {
                // A fault of the fake (or of moto behind it) answered as IAM answers its own: a test sees its cause.
                status = 500;
                answer = error(new Failure(500, "PolicyEvaluation", broken.toString()));
            }
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/xml");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private String simulate(Map<String, String> form, String authorization) {
        for (String name : form.keySet()) {
            if (NOT_SIMULATED.stream().anyMatch(name::startsWith)) {
                throw new Refused(400, "FakeDoesNotImplement", name + " is not simulated by this fake");
            }
        }
        String source = form.get("PolicySourceArn");
        if (source == null) {
            throw validation("Value null at 'policySourceArn' failed to satisfy constraint: Member must not be null");
        }
        length("policySourceArn", source, 20, 2048);
        List<String> actions = members(form, "ActionNames");
        if (actions.isEmpty()) {
            throw validation("Value null at 'actionNames' failed to satisfy constraint: Member must not be null");
        }
        actions.forEach(action -> length("actionNames.member", action, 3, 128));
        List<String> resources = members(form, "ResourceArns");
        resources.forEach(resource -> length("resourceArns.member", resource, 1, 2048));
        int maxItems = 100;
        if (form.containsKey("MaxItems")) {
            maxItems = Integer.parseInt(form.get("MaxItems"));
            if (maxItems < 1 || maxItems > 1000) {
                throw validation("Value '" + maxItems + "' at 'maxItems' failed to satisfy constraint: Member must "
                        + "have value between 1 and 1000");
            }
        }
        Matcher principal = PRINCIPAL.matcher(source);
        if (!principal.matches()) {
            throw new Refused(400, "InvalidInput", "ARN " + source + " is not valid.");
        }
        for (String action : actions) {
            if (!action.matches("[A-Za-z0-9-]+:[A-Za-z0-9*?]+")) {
                throw new Refused(400, "InvalidInput", "Action name " + action + " is not valid: use the form "
                        + "service:Action.");
            }
        }
        if (enforcingAuth) {
            authorise(authorization, source);
        }
        Policies policies = policiesOf(principal.group(2), principal.group(3), source);
        List<String> results = new ArrayList<>();
        for (String action : actions) {
            for (String resource : resources.isEmpty() ? List.of("*") : resources) {
                results.add(result(action, resource, !resources.isEmpty(), policies.decide(action, resource)));
            }
        }
        int from = 0;
        String marker = form.get("Marker");
        if (marker != null) {
            length("marker", marker, 1, 320);
            from = fromMarker(marker, source, results.size());
        }
        int to = Math.min(results.size(), from + maxItems);
        StringBuilder xml = new StringBuilder("<SimulatePrincipalPolicyResponse xmlns=\"" + NS + "\">"
                + "<SimulatePrincipalPolicyResult><IsTruncated>" + (to < results.size()) + "</IsTruncated>");
        if (to < results.size()) {
            xml.append("<Marker>").append(marker(to, source)).append("</Marker>");
        }
        xml.append("<EvaluationResults>");
        results.subList(from, to).forEach(xml::append);
        return xml.append("</EvaluationResults></SimulatePrincipalPolicyResult>").append(metadata())
                .append("</SimulatePrincipalPolicyResponse>").toString();
    }

    /** IAM's own check on the caller: may it simulate this principal's policies? */
    private void authorise(String authorization, String source) {
        Matcher key = CREDENTIAL.matcher(authorization == null ? "" : authorization);
        if (!key.find()) {
            throw new Refused(403, "InvalidClientTokenId", "The security token included in the request is invalid.");
        }
        String caller;
        try {
            caller = moto.getAccessKeyLastUsed(r -> r.accessKeyId(key.group(1))).userName();
        } catch (NoSuchEntityException unknown) {
            throw new Refused(403, "InvalidClientTokenId", "The security token included in the request is invalid.");
        }
        String callerArn = moto.getUser(r -> r.userName(caller)).user().arn();
        Decision decision = policiesOf("user", caller, callerArn).decide("iam:SimulatePrincipalPolicy", source);
        if (!"allowed".equals(decision.verdict())) {
            throw new Refused(403, "AccessDenied", "User: " + callerArn + " is not authorized to perform: "
                    + "iam:SimulatePrincipalPolicy on resource: " + source + " because no identity-based policy "
                    + "allows the iam:SimulatePrincipalPolicy action");
        }
    }

    // ---- the principal's policies, read from moto ----

    /** A statement as the simulation reads it; a Condition makes it not apply, and its keys missing. */
    private record Statement(String policyId, String policyType, boolean allow, List<String> actions,
                             boolean notAction, List<String> resources, boolean notResource, Set<String> conditionKeys) {

        boolean matches(String action, String resource) {
            boolean actionListed = actions.stream().anyMatch(pattern -> glob(pattern, action, true));
            boolean resourceListed = resources.stream().anyMatch(pattern -> glob(pattern, resource, false));
            return actionListed != notAction && resourceListed != notResource;
        }
    }

    private record Decision(String verdict, List<Statement> matched, Set<String> missingContext) {
    }

    /** @param boundary null when the principal has no permissions boundary */
    private record Policies(List<Statement> identity, List<Statement> boundary) {

        Decision decide(String action, String resource) {
            Set<String> missing = new TreeSet<>();
            List<Statement> identityMatches = applying(identity, action, resource, missing);
            List<Statement> boundaryMatches = boundary == null ? List.of() : applying(boundary, action, resource, missing);
            List<Statement> denies = new ArrayList<>();
            identityMatches.stream().filter(s -> !s.allow()).forEach(denies::add);
            boundaryMatches.stream().filter(s -> !s.allow()).forEach(denies::add);
            if (!denies.isEmpty()) {
                return new Decision("explicitDeny", denies, missing);
            }
            List<Statement> allows = identityMatches.stream().filter(Statement::allow).toList();
            boolean boundaryAllows = boundary == null || boundaryMatches.stream().anyMatch(Statement::allow);
            return allows.isEmpty() || !boundaryAllows ? new Decision("implicitDeny", List.of(), missing)
                    : new Decision("allowed", allows, missing);
        }

        private static List<Statement> applying(List<Statement> statements, String action, String resource,
                                                Set<String> missing) {
            List<Statement> applying = new ArrayList<>();
            for (Statement statement : statements) {
                if (statement.matches(action, resource)) {
                    if (statement.conditionKeys().isEmpty()) {
                        applying.add(statement);
                    } else {
                        missing.addAll(statement.conditionKeys());
                    }
                }
            }
            return applying;
        }
    }

    private Policies policiesOf(String kind, String pathAndName, String arn) {
        String name = pathAndName.substring(pathAndName.lastIndexOf('/') + 1);
        List<Statement> identity = new ArrayList<>();
        String boundaryArn;
        try {
            switch (kind) {
                case "user" -> {
                    var user = moto.getUser(r -> r.userName(name)).user();
                    requireArn(user.arn(), arn, "user", name);
                    boundaryArn = user.permissionsBoundary() == null ? null
                            : user.permissionsBoundary().permissionsBoundaryArn();
                    moto.listUserPoliciesPaginator(r -> r.userName(name)).policyNames().forEach(policy -> identity
                            .addAll(statements(policy, "user", moto.getUserPolicy(r -> r.userName(name)
                                    .policyName(policy)).policyDocument())));
                    moto.listAttachedUserPoliciesPaginator(r -> r.userName(name)).attachedPolicies()
                            .forEach(policy -> identity.addAll(managed(policy)));
                    moto.listGroupsForUserPaginator(r -> r.userName(name)).groups()
                            .forEach(group -> identity.addAll(groupPolicies(group.groupName())));
                }
                case "role" -> {
                    var role = moto.getRole(r -> r.roleName(name)).role();
                    requireArn(role.arn(), arn, "role", name);
                    boundaryArn = role.permissionsBoundary() == null ? null
                            : role.permissionsBoundary().permissionsBoundaryArn();
                    moto.listRolePoliciesPaginator(r -> r.roleName(name)).policyNames().forEach(policy -> identity
                            .addAll(statements(policy, "role", moto.getRolePolicy(r -> r.roleName(name)
                                    .policyName(policy)).policyDocument())));
                    moto.listAttachedRolePoliciesPaginator(r -> r.roleName(name)).attachedPolicies()
                            .forEach(policy -> identity.addAll(managed(policy)));
                }
                default -> {
                    requireArn(moto.getGroup(r -> r.groupName(name)).group().arn(), arn, "group", name);
                    boundaryArn = null;
                    identity.addAll(groupPolicies(name));
                }
            }
        } catch (NoSuchEntityException absent) {
            throw noSuchEntity(kind, name);
        }
        return new Policies(identity, boundaryArn == null ? null
                : managed(AttachedPolicy.builder().policyArn(boundaryArn).policyName(boundaryArn).build()));
    }

    private List<Statement> groupPolicies(String group) {
        List<Statement> statements = new ArrayList<>();
        moto.listGroupPoliciesPaginator(r -> r.groupName(group)).policyNames().forEach(policy -> statements.addAll(
                statements(policy, "group", moto.getGroupPolicy(r -> r.groupName(group).policyName(policy))
                        .policyDocument())));
        moto.listAttachedGroupPoliciesPaginator(r -> r.groupName(group)).attachedPolicies()
                .forEach(policy -> statements.addAll(managed(policy)));
        return statements;
    }

    private List<Statement> managed(AttachedPolicy policy) {
        String version = moto.getPolicy(r -> r.policyArn(policy.policyArn())).policy().defaultVersionId();
        String document = moto.getPolicyVersion(r -> r.policyArn(policy.policyArn()).versionId(version))
                .policyVersion().document();
        return statements(policy.policyName(), policy.policyArn().contains(":iam::aws:policy/") ? "aws-managed"
                : "user-managed", document);
    }

    private static List<Statement> statements(String policyId, String policyType, String encoded) {
        JsonNode document;
        try {
            document = JSON.readTree(encoded.trim().startsWith("{") ? encoded
                    : URLDecoder.decode(encoded, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new Refused(500, "PolicyEvaluation", "policy " + policyId + " could not be read: " + e.getMessage());
        }
        JsonNode listed = document.path("Statement");
        List<Statement> statements = new ArrayList<>();
        for (JsonNode statement : listed.isArray() ? listed : List.of(listed)) {
            Set<String> conditionKeys = new TreeSet<>();
            statement.path("Condition").forEach(operator -> operator.fieldNames().forEachRemaining(conditionKeys::add));
            statements.add(new Statement(policyId, policyType, "Allow".equals(statement.path("Effect").asText()),
                    strings(statement.has("NotAction") ? statement.get("NotAction") : statement.path("Action")),
                    statement.has("NotAction"),
                    strings(statement.has("NotResource") ? statement.get("NotResource") : statement.path("Resource")),
                    statement.has("NotResource"), conditionKeys));
        }
        return statements;
    }

    // ---- the wire ----

    private static String result(String action, String resource, boolean resourcesNamed, Decision decision) {
        String matched = "<MatchedStatements>" + String.join("", decision.matched().stream()
                .map(s -> "<member><SourcePolicyId>" + xml(s.policyId()) + "</SourcePolicyId><SourcePolicyType>"
                        + s.policyType() + "</SourcePolicyType></member>").toList()) + "</MatchedStatements>";
        String missing = "<MissingContextValues>" + String.join("", decision.missingContext().stream()
                .map(key -> "<member>" + xml(key) + "</member>").toList()) + "</MissingContextValues>";
        StringBuilder member = new StringBuilder("<member><EvalActionName>" + xml(action) + "</EvalActionName>"
                + "<EvalResourceName>" + xml(resource) + "</EvalResourceName><EvalDecision>" + decision.verdict()
                + "</EvalDecision>" + matched);
        if (resourcesNamed) {
            // Named resources carry their own result, and the context they miss is listed there, not on the action.
            member.append("<MissingContextValues/><EvalDecisionDetails/><ResourceSpecificResults><member>")
                    .append("<EvalResourceName>").append(xml(resource)).append("</EvalResourceName>")
                    .append("<EvalResourceDecision>").append(decision.verdict()).append("</EvalResourceDecision>")
                    .append(matched).append(missing).append("<EvalDecisionDetails/></member></ResourceSpecificResults>");
        } else {
            member.append(missing);
        }
        return member.append("</member>").toString();
    }

    private static String marker(int offset, String source) {
        return Base64.getUrlEncoder().encodeToString((offset + " " + source).getBytes(StandardCharsets.UTF_8));
    }

    /** A marker is only good for the query that returned it. */
    private static int fromMarker(String marker, String source, int results) {
        try {
            String[] decoded = new String(Base64.getUrlDecoder().decode(marker), StandardCharsets.UTF_8)
                    .split(" ", 2);
            int offset = Integer.parseInt(decoded[0]);
            if (decoded.length == 2 && decoded[1].equals(source) && offset > 0 && offset < results) {
                return offset;
            }
        } catch (IllegalArgumentException malformed) {
            // Answered below, as any marker this query did not return.
        }
        throw new Refused(400, "InvalidInput", "Invalid Marker.");
    }

    private static String error(Failure failure) {
        return "<ErrorResponse xmlns=\"" + NS + "\"><Error><Type>" + (failure.status() >= 500 ? "Receiver" : "Sender")
                + "</Type><Code>" + failure.code() + "</Code><Message>" + xml(failure.message()) + "</Message></Error>"
                + "<RequestId>" + UUID.randomUUID() + "</RequestId></ErrorResponse>";
    }

    private static String metadata() {
        return "<ResponseMetadata><RequestId>" + UUID.randomUUID() + "</RequestId></ResponseMetadata>";
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (!pair.isEmpty()) {
                String[] parts = pair.split("=", 2);
                form.put(URLDecoder.decode(parts[0], StandardCharsets.UTF_8),
                        parts.length < 2 ? "" : URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    /** {@code Name.member.1}, {@code Name.member.2}, … in order; an empty list parameter is sent as {@code Name=}. */
    private static List<String> members(Map<String, String> form, String name) {
        Map<Integer, String> byIndex = new HashMap<>();
        String prefix = name + ".member.";
        form.forEach((key, value) -> {
            if (key.startsWith(prefix)) {
                byIndex.put(Integer.parseInt(key.substring(prefix.length())), value);
            }
        });
        return byIndex.keySet().stream().sorted().map(byIndex::get).toList();
    }

    private static void length(String member, String value, int min, int max) {
        if (value.length() < min || value.length() > max) {
            throw validation("Value at '" + member + "' failed to satisfy constraint: Member must have length "
                    + (value.length() < min ? "greater than or equal to " + min : "less than or equal to " + max));
        }
    }

    private static Refused validation(String detail) {
        return new Refused(400, "ValidationError", "1 validation error detected: " + detail);
    }

    private static void requireArn(String actual, String asked, String kind, String name) {
        if (!actual.equals(asked)) {
            throw noSuchEntity(kind, name);
        }
    }

    private static Refused noSuchEntity(String kind, String name) {
        return new Refused(404, "NoSuchEntity", "The " + kind + " with name " + name + " cannot be found.");
    }

    private static List<String> strings(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(value -> values.add(value.asText()));
        } else if (node.isTextual()) {
            values.add(node.asText());
        }
        return values;
    }

    /** IAM's wildcards: {@code *} any run of characters, {@code ?} one; actions compare without case. */
    private static boolean glob(String pattern, String value, boolean ignoreCase) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(regex.toString(), ignoreCase ? Pattern.CASE_INSENSITIVE : 0).matcher(value).matches();
    }

    private static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
