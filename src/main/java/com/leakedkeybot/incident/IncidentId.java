package com.leakedkeybot.incident;

import java.security.SecureRandom;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/**
 * A short, human-quotable incident name such as {@code LK-20261128-K7Q2XD4M}. Eight random base32 characters (40
 * bits) per day keep collisions negligible even at 100,000 reports a day; ids of six characters from earlier
 * versions stay valid.
 */
public record IncidentId(String value) {

    private static final Pattern SHAPE = Pattern.compile("LK-\\d{8}-[A-Z2-7]{6,8}");
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final SecureRandom RANDOM = new SecureRandom();

    public IncidentId {
        if (value == null || !SHAPE.matcher(value).matches()) {
            throw new IllegalArgumentException("not an incident id");
        }
    }

    public static IncidentId newId(LocalDate day) {
        StringBuilder suffix = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            suffix.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return new IncidentId("LK-" + day.format(DateTimeFormatter.BASIC_ISO_DATE) + "-" + suffix);
    }

    public static IncidentId newId(java.time.Instant now) {
        return newId(LocalDate.ofInstant(now, ZoneOffset.UTC));
    }

    public static boolean isValid(String value) {
        return value != null && SHAPE.matcher(value).matches();
    }

    @Override
    public String toString() {
        return value;
    }
}
