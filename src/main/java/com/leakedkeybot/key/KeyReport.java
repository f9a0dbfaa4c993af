package com.leakedkeybot.key;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a reporter typed after {@code /leaked-key}, judged once: either one supported key id, or a reason to refuse.
 * Either way it remembers whether the text held something shaped like a secret access key — never the secret itself.
 */
public sealed interface KeyReport {

    /** Longer texts are refused outright: a key id is 20 characters. */
    int MAX_TEXT_LENGTH = 256;

    boolean secretPasted();

    record Accepted(AccessKeyId keyId, boolean secretPasted) implements KeyReport {
    }

    record Rejected(Reason reason, boolean secretPasted, KeyKind kind) implements KeyReport {
    }

    enum Reason {
        EMPTY, TOO_LONG, MALFORMED, SEVERAL_IDS, UNSUPPORTED_KIND
    }

    static KeyReport of(String text) {
        if (text == null || text.isBlank()) {
            return new Rejected(Reason.EMPTY, false, null);
        }
        boolean secret = SecretDetector.containsSecret(text);
        if (text.length() > MAX_TEXT_LENGTH) {
            return new Rejected(Reason.TOO_LONG, secret, null);
        }
        Set<AccessKeyId> ids = new LinkedHashSet<>();
        List<String> other = new ArrayList<>();
        for (String token : SecretDetector.withoutSecrets(text).trim().split("[\\s,;]+")) {
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
        return new Accepted(id, secret);
    }
}
