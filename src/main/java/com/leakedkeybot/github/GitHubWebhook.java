package com.leakedkeybot.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.leakedkeybot.intake.Intake;
import com.leakedkeybot.intake.IntakeEvent;
import com.leakedkeybot.intake.IntakeSource;
import com.leakedkeybot.key.AccessKeyId;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /github/webhook}: GitHub secret scanning alerts of private repositories. Verifies the signature, answers
 * at once (202) and reads the alert from GitHub's API after: the webhook's alert has no secret, so the key id comes
 * from there, and only it is kept. A delivery GitHub sends twice is handled once.
 */
public final class GitHubWebhook extends HttpServlet {

    public static final String PATH = "/github/webhook";
    private static final Logger LOG = LoggerFactory.getLogger(GitHubWebhook.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The actions that say a secret is out: a new alert, one reopened, one found in public as well. */
    private static final Set<String> OPENING = Set.of("created", "reopened", "publicly_leaked");
    /** Deliveries remembered: a day of them, bounded; the incident records the alert for good. */
    private static final int DELIVERIES = 10_000;

    private final WebhookSignature signature;
    private final GitHubAlerts alerts;
    private final Intake intake;
    private final Executor work;
    private final Cache<String, Boolean> deliveries = Caffeine.newBuilder().maximumSize(DELIVERIES)
            .expireAfterWrite(Duration.ofDays(1)).build();

    /** An alert of an AWS key in a private repository, as the webhook tells it. */
    private record Alert(String repository, long number, String action, String htmlUrl, Instant createdAt) {
    }

    /** @param work where the alert is read and the incident opened, after the answer */
    public GitHubWebhook(WebhookSignature signature, GitHubAlerts alerts, Intake intake, Executor work) {
        this.signature = signature;
        this.alerts = alerts;
        this.intake = intake;
        this.work = work;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        byte[] body = request.getInputStream().readAllBytes(); // at most 64 KiB: BotServer refuses more unread
        if (!signature.matches(body, request.getHeader("X-Hub-Signature-256"))) {
            LOG.warn("Refused a GitHub webhook request: bad or missing X-Hub-Signature-256");
            answer(response, HttpServletResponse.SC_UNAUTHORIZED, "bad signature");
            return;
        }
        String delivery = request.getHeader("X-GitHub-Delivery");
        if (delivery == null || !delivery.matches("[A-Za-z0-9-]{1,100}")) {
            answer(response, HttpServletResponse.SC_BAD_REQUEST, "no delivery id");
            return;
        }
        if (deliveries.asMap().putIfAbsent(delivery, Boolean.TRUE) != null) {
            LOG.info("GitHub delivery {} received again: ignored", delivery);
            answer(response, HttpServletResponse.SC_OK, "duplicate delivery");
            return;
        }
        Optional<Alert> alert = "secret_scanning_alert".equals(request.getHeader("X-GitHub-Event"))
                ? awsKeyAlert(body) : Optional.empty();
        if (alert.isEmpty()) {
            answer(response, HttpServletResponse.SC_OK, "nothing to do");
            return;
        }
        try {
            work.execute(() -> open(alert.get(), delivery));
        } catch (RejectedExecutionException busy) {
            deliveries.invalidate(delivery); // so that GitHub's redelivery is taken
            answer(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "busy");
            return;
        }
        answer(response, HttpServletResponse.SC_ACCEPTED, "accepted");
    }

    /** The payload's alert when it is an AWS key's and says the secret is out; fields GitHub always sends. */
    private static Optional<Alert> awsKeyAlert(byte[] body) {
        try {
            JsonNode payload = JSON.readTree(body);
            JsonNode alert = payload.path("alert");
            String action = payload.path("action").asText();
            if (!OPENING.contains(action) || !alert.path("secret_type").asText().startsWith("aws_")
                    || !alert.path("number").canConvertToLong()) {
                return Optional.empty();
            }
            String created = alert.path("created_at").asText(null);
            return Optional.of(new Alert(payload.path("repository").path("full_name").asText(),
                    alert.path("number").asLong(), action, alert.path("html_url").asText(null),
                    created == null ? null : Instant.parse(created)));
        } catch (IOException | DateTimeParseException e) {
            LOG.warn("A signed GitHub delivery could not be read ({})", e.getClass().getSimpleName());
            return Optional.empty();
        }
    }

    private void open(Alert alert, String delivery) {
        Optional<AccessKeyId> key;
        try {
            key = alerts.keyIdOf(alert.repository(), alert.number());
        } catch (GitHubAlerts.UnavailableAlertException e) {
            LOG.warn("Secret scanning alert {} of {} could not be read: {}", alert.number(), alert.repository(),
                    e.getMessage());
            return;
        }
        if (key.isEmpty()) {
            LOG.warn("Secret scanning alert {} of {} holds no AWS access key id: no incident opened; follow the alert "
                    + "on GitHub", alert.number(), alert.repository());
            return;
        }
        intake.receive(new IntakeEvent(key.get(), new IntakeSource.GitHubSecretScanning(alert.repository(),
                alert.htmlUrl(), alert.createdAt()), List.of("github-delivery:" + delivery,
                "github-alert:" + alert.repository() + "#" + alert.number() + ":" + alert.action())));
    }

    private static void answer(HttpServletResponse response, int status, String what) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.getWriter().write("{\"status\":\"" + what + "\"}");
    }
}
