package com.leakedkeybot.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SecretDetectorTest {

    static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    @Test
    void findsASecretAccessKeyAnywhereInTheText() {
        assertTrue(SecretDetector.containsSecret(SECRET));
        assertTrue(SecretDetector.containsSecret("AKIAIOSFODNN7EXAMPLE " + SECRET));
        assertTrue(SecretDetector.containsSecret("key=AKIAIOSFODNN7EXAMPLE\nsecret: " + SECRET + "."));
    }

    @Test
    void doesNotMistakeKeyIdsOrLongerTokensForSecrets() {
        assertFalse(SecretDetector.containsSecret("AKIAIOSFODNN7EXAMPLE"));
        assertFalse(SecretDetector.containsSecret(SECRET.substring(1)));
        assertFalse(SecretDetector.containsSecret(SECRET + "A"), "41 characters is not a 40-character secret");
        assertFalse(SecretDetector.containsSecret(null));
    }

    @Test
    void cutsSecretsOutOfText() {
        String stripped = SecretDetector.withoutSecrets("AKIAIOSFODNN7EXAMPLE " + SECRET);
        assertFalse(stripped.contains(SECRET));
        assertEquals("AKIAIOSFODNN7EXAMPLE", stripped.trim());
    }
}
