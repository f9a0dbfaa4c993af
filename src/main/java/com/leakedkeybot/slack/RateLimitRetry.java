package com.leakedkeybot.slack;

import com.slack.api.methods.SlackApiException;
import java.io.IOException;
import java.time.Duration;

/**
 * Retries a Slack Web API call that was answered 429, after the Retry-After the answer named. The SDK's synchronous
 * client throws on 429 and never waits, and posting order inside a thread matters, so we wait here.
 */
public final class RateLimitRetry {

    @FunctionalInterface
    public interface SlackCall<T> {
        T call() throws IOException, SlackApiException;
    }

    private final int maxAttempts;
    private final Duration maxWait;

    public RateLimitRetry(int maxAttempts, Duration maxWait) {
        this.maxAttempts = maxAttempts;
        this.maxWait = maxWait;
    }

    public <T> T run(SlackCall<T> call) throws IOException, SlackApiException {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.call();
            } catch (SlackApiException e) {
                if (e.getResponse().code() != 429 || attempt >= maxAttempts) {
                    throw e;
                }
                sleep(retryAfter(e));
            }
        }
    }

    private Duration retryAfter(SlackApiException e) {
        String header = e.getResponse().header("Retry-After");
        long seconds = 1;
        try {
            seconds = header == null ? 1 : Math.max(0, Long.parseLong(header.trim()));
        } catch (NumberFormatException ignored) {
            // A malformed header still means "slow down": wait the minimum.
        }
        Duration wait = Duration.ofSeconds(seconds);
        return wait.compareTo(maxWait) > 0 ? maxWait : wait;
    }

    private static void sleep(Duration wait) throws IOException {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting out a Slack rate limit", e);
        }
    }
}
