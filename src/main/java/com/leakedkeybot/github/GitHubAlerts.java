package com.leakedkeybot.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leakedkeybot.key.AccessKeyId;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GitHub's REST API for one thing: the access key id in a secret scanning alert. The webhook's alert has no
 * {@code secret}; {@code GET /repos/{owner}/{repo}/secret-scanning/alerts/{number}} does. Only the key id is kept: the
 * answer is dropped as soon as it is read, and never logged.
 */
public final class GitHubAlerts {

    /** {@code owner/name} as GitHub allows them: nothing that could reach another path of the API. */
    private static final Pattern REPOSITORY = Pattern.compile("[A-Za-z0-9-]{1,39}/[A-Za-z0-9._-]{1,100}");
    /** A key id standing alone in the text (which half of a pair the alert holds is not documented). */
    private static final Pattern KEY_ID = Pattern.compile("(?<![A-Z0-9])A[SK]IA[A-Z0-9]{16}(?![A-Z0-9])");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI api;
    private final String token;

    /** @param api GITHUB_API_URL, without a trailing slash */
    public GitHubAlerts(URI api, String token) {
        this.api = api;
        this.token = token;
    }

    /**
     * @return the key id the alert's secret is or contains; empty when it holds none (a secret access key alone)
     * @throws UnavailableAlertException when GitHub does not answer with the alert (its status, never the token)
     */
    public Optional<AccessKeyId> keyIdOf(String repository, long number) throws UnavailableAlertException {
        if (!REPOSITORY.matcher(repository).matches() || number < 1) {
            throw new UnavailableAlertException("not a repository and alert number GitHub could have sent");
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(api + "/repos/" + repository
                        + "/secret-scanning/alerts/" + number))
                .timeout(Duration.ofSeconds(10))
                .header("Accept", "application/vnd.github+json")
                .header("X-GitHub-Api-Version", "2022-11-28")
                .header("Authorization", "Bearer " + token)
                .header("User-Agent", "leaked-key-bot")
                .GET().build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UnavailableAlertException("GitHub could not be reached (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableAlertException("interrupted");
        }
        if (response.statusCode() != 200) {
            throw new UnavailableAlertException("GitHub answered " + response.statusCode()
                    + (response.statusCode() == 401 || response.statusCode() == 403 || response.statusCode() == 404
                    ? ": GITHUB_TOKEN must be able to read secret scanning alerts of " + repository : ""));
        }
        String secret;
        try {
            JsonNode alert = JSON.readTree(response.body());
            secret = alert.path("secret").asText("");
        } catch (IOException e) {
            throw new UnavailableAlertException("GitHub's answer is not JSON");
        }
        Matcher key = KEY_ID.matcher(secret);
        return key.find() ? AccessKeyId.parse(key.group()) : Optional.empty();
    }

    /** Why an alert could not be read, in the bot's words: never the token, never the answer's body. */
    public static final class UnavailableAlertException extends Exception {

        UnavailableAlertException(String reason) {
            super(reason);
        }
    }
}
