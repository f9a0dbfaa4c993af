package com.leakedkeybot.key;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a reporter typed after {@code /leaked-key}, judged once: either one supported key id (and, optionally, since
 * when the key has been exposed), or a reason to refuse. Either way it remembers whether the text held something
 * shaped like a secret access key — never the secret itself.
 */
public sealed interface KeyReport {

    /** Longer texts are refused outright: a key id is 20 characters. */
    int MAX_TEXT_LENGTH = 256;

    boolean secretPasted();

    /**
     * @param exposedSince when the key was exposed, as far as the reporter (or, later, automatic intake) knows; null
     *                     when nobody said
     */
    record Accepted(AccessKeyId keyId, boolean secretPasted, Instant exposedSince) implements KeyReport {

        public Accepted(AccessKeyId keyId, boolean secretPasted) {
            this(keyId, secretPasted, null);
        }
    }

    record Rejected(Reason reason, boolean secretPasted, KeyKind kind) implements KeyReport {
    }

    enum Reason {
        EMPTY, TOO_LONG, MALFORMED, SEVERAL_IDS, UNSUPPORTED_KIND,
        /** The text after {@code since} is not a time the bot reads. */
        UNREADABLE_EXPOSURE_TIME,
        /** The exposure time lies in the future. */
        FUTURE_EXPOSURE_TIME
    }

    /** {@code since} and everything after it: the exposure time. */
    Pattern SINCE = Pattern.compile("(?i)(?:^|\\s)since(?:\\s+(.*))?$", Pattern.DOTALL);

    static KeyReport of(String text) {
        return of(text, Clock.systemUTC());
    }

    static KeyReport of(String text, Clock clock) {
        if (text == null || text.isBlank()) {
            return new Rejected(Reason.EMPTY, false, null);
        }
        boolean secret = SecretDetector.containsSecret(text);
        if (text.length() > MAX_TEXT_LENGTH) {
            return new Rejected(Reason.TOO_LONG, secret, null);
        }
        String rest = SecretDetector.withoutSecrets(text).trim();
        Instant since = null;
        Matcher sinceMatch = SINCE.matcher(rest);
        if (sinceMatch.find()) {
            Optional<Instant> parsed = ExposureTime.parse(sinceMatch.group(1));
            if (parsed.isEmpty()) {
                return new Rejected(Reason.UNREADABLE_EXPOSURE_TIME, secret, null);
            }
            if (parsed.get().isAfter(clock.instant())) {
                return new Rejected(Reason.FUTURE_EXPOSURE_TIME, secret, null);
            }
            since = parsed.get();
            rest = rest.substring(0, sinceMatch.start()).trim();
        }
        Set<AccessKeyId> ids = new LinkedHashSet<>();
        List<String> other = new ArrayList<>();
        for (String token : rest.split("[\\s,;]+")) {
            if (token.isEmpty()) {
                continue;
            }
            AccessKeyId.parse(token).ifPresentOrElse(ids::add, () -> other.add(token));
        }
        if (!other.isEmpty()) {
            return new Rejected(Reason.MALFORMED, secret, null);
        }
        if (ids.isEmpty()) {
            return new Rejected(Reason.EMPTY, secret, null);
        }
        if (ids.size() > 1) {
            return new Rejected(Reason.SEVERAL_IDS, secret, null);
        }
        AccessKeyId id = ids.iterator().next();
        if (!id.kind().supported()) {
            return new Rejected(Reason.UNSUPPORTED_KIND, secret, id.kind());
        }
        return new Accepted(id, secret, since);
    }

    /**
     * The forms of an exposure time a reporter types: {@code 2026-11-20 10:00}, {@code 2026-11-20T10:00Z}, with
     * seconds or an offset, or a day alone. Without an offset the time is UTC (the usage text says so): a security
     * team's timeline is in UTC, and CloudTrail's is.
     */
    final class ExposureTime {

        private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("uuuu-MM-dd[ ]['T']HH:mm[:ss]",
                Locale.ROOT).withResolverStyle(ResolverStyle.STRICT);

        private ExposureTime() {
        }

        static Optional<Instant> parse(String text) {
            if (text == null || text.isBlank()) {
                return Optional.empty();
            }
            String time = text.trim().replaceFirst("(?i)\\s*UTC$", "");
            try {
                return Optional.of(OffsetDateTime.parse(time).toInstant());
            } catch (DateTimeParseException notWithOffset) {
                // try the forms without one
            }
            try {
                return Optional.of(LocalDateTime.parse(time, LOCAL).toInstant(ZoneOffset.UTC));
            } catch (DateTimeParseException notLocal) {
                // a day alone, or nothing
            }
            try {
                return Optional.of(LocalDate.parse(time).atStartOfDay(ZoneOffset.UTC).toInstant());
            } catch (DateTimeParseException unreadable) {
                return Optional.empty();
            }
        }
    }
}
