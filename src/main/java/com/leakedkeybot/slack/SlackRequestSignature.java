package com.leakedkeybot.slack;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Slack's v0 request signature, checked more strictly than Bolt does: the timestamp must be within five minutes in
 * either direction (Bolt accepts any future time), and signatures are compared in constant time.
 */
public final class SlackRequestSignature {

    static final Duration MAX_SKEW = Duration.ofMinutes(5);

    private final SecretKeySpec key;

    public SlackRequestSignature(String signingSecret) {
        this.key = new SecretKeySpec(signingSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    public boolean isValid(String timestamp, String body, String signature, Instant now) {
        if (timestamp == null || signature == null || body == null) {
            return false;
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            return false;
        }
        if (Math.abs(now.getEpochSecond() - seconds) > MAX_SKEW.toSeconds()) {
            return false;
        }
        byte[] expected = ("v0=" + hmac("v0:" + timestamp.trim() + ":" + body)).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII));
    }

    private String hmac(String base) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(base.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }
}
