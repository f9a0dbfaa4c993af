package com.leakedkeybot.blastradius;

import java.util.Locale;
import java.util.regex.Pattern;

/** An IAM action as written in a policy, with IAM's matching: case-insensitive, {@code *} and {@code ?} wildcards. */
public record ActionPattern(String text, String service, Pattern regex) {

    public static ActionPattern of(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        int colon = lower.indexOf(':');
        String service = colon < 0 ? "*" : lower.substring(0, colon);
        return new ActionPattern(text, service.contains("*") || service.contains("?") ? null : service,
                IamWildcards.regex(lower));
    }

    public boolean matches(String action) {
        String lower = action.toLowerCase(Locale.ROOT);
        // Cheap service check first: policies such as ReadOnlyAccess list over a thousand patterns.
        if (service != null && !(lower.startsWith(service) && lower.length() > service.length()
                && lower.charAt(service.length()) == ':')) {
            return false;
        }
        return regex.matcher(lower).matches();
    }
}
