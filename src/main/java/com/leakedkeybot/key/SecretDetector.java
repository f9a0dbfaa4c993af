package com.leakedkeybot.key;

import java.util.regex.Pattern;

/**
 * Spots what looks like a secret access key (40 characters of the base64 alphabet) in reported text, so that the bot
 * can refuse to repeat it and warn the reporter. It only answers yes or no: the match itself is never handed out.
 */
public final class SecretDetector {

    private static final Pattern SECRET = Pattern.compile("(?<![A-Za-z0-9/+=])[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=])");

    private SecretDetector() {
    }

    public static boolean containsSecret(String text) {
        return text != null && SECRET.matcher(text).find();
    }

    /** The text with every secret-looking run cut out, so that nothing downstream can hold on to one. */
    public static String withoutSecrets(String text) {
        return text == null ? null : SECRET.matcher(text).replaceAll(" ");
    }
}
