package com.leakedkeybot.key;

import java.util.regex.Pattern;

/**
 * Spots what looks like a secret in reported text, so that the bot can refuse to repeat it and warn the reporter: a
 * secret access key on its own (40 characters of the base64 alphabet), or any value labelled as a secret the way
 * credentials files, environment variables and SDK output label them ({@code aws_secret_access_key=…},
 * {@code "SecretAccessKey": "…"}, {@code AWS_SESSION_TOKEN=…}), whatever its length. It only answers yes or no: the
 * match itself is never handed out.
 */
public final class SecretDetector {

    private static final Pattern SECRET = Pattern.compile("(?<![A-Za-z0-9/+=])[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=])");
    private static final Pattern LABELLED = Pattern.compile(
            "(?i)[\"']?\\b(?:aws_?)?(?:secret_?access_?key|secret_?key|session_?token)[\"']?\\s*[:=]\\s*[\"']?[^\\s\"',;]+[\"']?");

    private SecretDetector() {
    }

    public static boolean containsSecret(String text) {
        return text != null && (LABELLED.matcher(text).find() || SECRET.matcher(text).find());
    }

    /** The text with every secret-looking run cut out, so that nothing downstream can hold on to one. */
    public static String withoutSecrets(String text) {
        return text == null ? null : SECRET.matcher(LABELLED.matcher(text).replaceAll(" ")).replaceAll(" ");
    }
}
