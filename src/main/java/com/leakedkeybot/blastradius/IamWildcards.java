package com.leakedkeybot.blastradius;

import java.util.regex.Pattern;

/**
 * IAM's wildcards in a policy's Action and Resource values: {@code *} is any run of characters, {@code /} and {@code :}
 * included, {@code ?} is one character, and nothing else is special.
 */
public final class IamWildcards {

    private IamWildcards() {
    }

    /** The value as a regex matching the same strings, case-sensitive (IAM compares ARNs case-sensitively). */
    public static Pattern regex(String value) {
        StringBuilder regex = new StringBuilder();
        for (char c : value.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
