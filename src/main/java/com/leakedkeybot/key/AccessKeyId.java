package com.leakedkeybot.key;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A validated AWS access key id (never the secret). Construct it through {@link #parse(String)}.
 */
public record AccessKeyId(String value) {

    private static final Pattern SHAPE = Pattern.compile("A[A-Z0-9]{19}");
    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    public AccessKeyId {
        if (value == null || !SHAPE.matcher(value).matches()) {
            throw new IllegalArgumentException("not an access key id");
        }
    }

    /** @return the id, or empty when the text is not shaped like one (20 characters, upper case, starting with A). */
    public static Optional<AccessKeyId> parse(String text) {
        return text != null && SHAPE.matcher(text).matches() ? Optional.of(new AccessKeyId(text)) : Optional.empty();
    }

    public String prefix() {
        return value.substring(0, 4);
    }

    public KeyKind kind() {
        return KeyKind.ofPrefix(prefix());
    }

    /**
     * The account id encoded in modern key ids, decoded offline. Old ids (fifth character I or J) and ids with
     * characters outside the base32 alphabet do not encode it: empty, which means "not decodable", not "wrong".
     */
    public Optional<String> encodedAccountId() {
        char fifth = value.charAt(4);
        if (fifth == 'I' || fifth == 'J') {
            return Optional.empty();
        }
        long bits = 0;
        int bitCount = 0;
        long firstSixBytes = 0;
        int bytesTaken = 0;
        for (char c : value.substring(4).toCharArray()) {
            int digit = BASE32.indexOf(c);
            if (digit < 0) {
                return Optional.empty();
            }
            bits = (bits << 5) | digit;
            bitCount += 5;
            while (bitCount >= 8 && bytesTaken < 6) {
                bitCount -= 8;
                firstSixBytes = (firstSixBytes << 8) | ((bits >> bitCount) & 0xff);
                bytesTaken++;
            }
            bits &= (1L << bitCount) - 1;
        }
        long account = (firstSixBytes & 0x7fffffffff80L) >> 7;
        return Optional.of(String.format("%012d", account));
    }

    /** Shown in places where the whole id is not needed, e.g. log lines. */
    public String masked() {
        return value.substring(0, 4) + "…" + value.substring(16);
    }

    @Override
    public String toString() {
        return value;
    }
}
