package com.leakedkeybot.slack;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.slack.api.app_backend.SlackSignature;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SlackRequestSignatureTest {

    private static final String SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
    private static final String BODY = "token=x&team_id=T1&command=%2Fleaked-key&text=AKIAIOSFODNN7EXAMPLE";
    private static final Instant NOW = Instant.ofEpochSecond(1_800_000_000L);

    private final SlackRequestSignature signature = new SlackRequestSignature(SECRET);

    private static String sign(long timestamp, String body) {
        return new SlackSignature.Generator(SECRET).generate(Long.toString(timestamp), body);
    }

    @Test
    void acceptsWhatSlacksOwnGeneratorSigns() {
        long ts = NOW.getEpochSecond();
        assertTrue(signature.isValid(Long.toString(ts), BODY, sign(ts, BODY), NOW));
    }

    @Test
    void acceptsClockSkewUpToFiveMinutesEitherWay() {
        long past = NOW.getEpochSecond() - 300;
        long future = NOW.getEpochSecond() + 300;
        assertTrue(signature.isValid(Long.toString(past), BODY, sign(past, BODY), NOW));
        assertTrue(signature.isValid(Long.toString(future), BODY, sign(future, BODY), NOW));
    }

    @Test
    void rejectsStaleAndFutureTimestamps() {
        long stale = NOW.getEpochSecond() - 301;
        long future = NOW.getEpochSecond() + 301;
        assertFalse(signature.isValid(Long.toString(stale), BODY, sign(stale, BODY), NOW));
        assertFalse(signature.isValid(Long.toString(future), BODY, sign(future, BODY), NOW));
    }

    @Test
    void rejectsATamperedBodyOrSignature() {
        long ts = NOW.getEpochSecond();
        String good = sign(ts, BODY);
        assertFalse(signature.isValid(Long.toString(ts), BODY + "x", good, NOW));
        assertFalse(signature.isValid(Long.toString(ts), BODY, good.substring(0, good.length() - 1) + "0", NOW));
        assertFalse(signature.isValid(Long.toString(ts), BODY, new SlackSignature.Generator("other").generate(
                Long.toString(ts), BODY), NOW));
    }

    @Test
    void rejectsMissingOrMalformedHeaders() {
        long ts = NOW.getEpochSecond();
        assertFalse(signature.isValid(null, BODY, sign(ts, BODY), NOW));
        assertFalse(signature.isValid("yesterday", BODY, sign(ts, BODY), NOW));
        assertFalse(signature.isValid(Long.toString(ts), BODY, null, NOW));
        assertFalse(signature.isValid(Long.toString(ts), BODY, "", NOW));
    }
}
