package com.leakedkeybot.slack;

import com.slack.api.bolt.middleware.Middleware;
import com.slack.api.bolt.middleware.MiddlewareChain;
import com.slack.api.bolt.request.Request;
import com.slack.api.bolt.response.Response;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bolt middleware that replaces Bolt's own request verification with {@link SlackRequestSignature}, and refuses a
 * signed request seen before ({@link SeenSignatures}). Slack never sends one twice: slash commands and clicks are not
 * retried, and the Events API, which retries, is not subscribed to (manifest.yml).
 */
public final class StrictRequestVerification implements Middleware {

    private static final Logger LOG = LoggerFactory.getLogger(StrictRequestVerification.class);

    private static final String REFUSED = "{\"error\":\"invalid request\"}";

    private final SlackRequestSignature signature;
    private final SeenSignatures seen;
    private final Clock clock;

    StrictRequestVerification(SlackRequestSignature signature, SeenSignatures seen, Clock clock) {
        this.signature = signature;
        this.seen = seen;
        this.clock = clock;
    }

    @Override
    public Response apply(Request req, Response resp, MiddlewareChain chain) throws Exception {
        if (req.isSocketMode()) {
            return chain.next(req); // Socket Mode traffic arrives over the app's own authenticated connection.
        }
        String timestamp = req.getHeaders().getFirstValue("X-Slack-Request-Timestamp");
        String sig = req.getHeaders().getFirstValue("X-Slack-Signature");
        if (!signature.isValid(timestamp, req.getRequestBodyAsString(), sig, clock.instant())) {
            LOG.warn("Rejected a request with a missing, stale or wrong Slack signature from {}", req.getClientIpAddress());
            return Response.json(401, REFUSED);
        }
        if (!seen.firstSighting(sig)) {
            // Neither the signature nor the body is logged: together they are the request, replayable for minutes.
            LOG.warn("Rejected a replayed request from {}: its signature was accepted before", req.getClientIpAddress());
            return Response.json(401, REFUSED);
        }
        return chain.next(req);
    }
}
