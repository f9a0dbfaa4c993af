package com.leakedkeybot.slack;

import com.slack.api.bolt.middleware.Middleware;
import com.slack.api.bolt.middleware.MiddlewareChain;
import com.slack.api.bolt.request.Request;
import com.slack.api.bolt.response.Response;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Bolt middleware that replaces Bolt's own request verification with {@link SlackRequestSignature}. */
public final class StrictRequestVerification implements Middleware {

    private static final Logger LOG = LoggerFactory.getLogger(StrictRequestVerification.class);

    private final SlackRequestSignature signature;
    private final Clock clock;

    public StrictRequestVerification(SlackRequestSignature signature, Clock clock) {
        this.signature = signature;
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
            return Response.json(401, "{\"error\":\"invalid request\"}");
        }
        return chain.next(req);
    }
}
