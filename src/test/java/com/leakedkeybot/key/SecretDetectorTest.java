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

    @Test
    void findsSecretsLabelledAsCredentialsFilesEnvironmentsAndSdkOutputLabelThem() {
        for (String pasted : new String[] {
                "aws_secret_access_key=" + SECRET,
                "aws_secret_access_key = " + SECRET,
                "AWS_SECRET_ACCESS_KEY=" + SECRET,
                "\"SecretAccessKey\": \"" + SECRET + "\"",
                "SecretAccessKey: wJalrXUtnFEMI/K7MDENG", // cut short, still a secret
                "aws_session_token=IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ"}) {
            assertTrue(SecretDetector.containsSecret(pasted), pasted);
            String stripped = SecretDetector.withoutSecrets("AKIAIOSFODNN7EXAMPLE " + pasted);
            assertEquals("AKIAIOSFODNN7EXAMPLE", stripped.trim(), "label and value are both cut out of " + pasted);
        }
    }

    @Test
    void aKeyIdLabelledAsSuchIsNotASecret() {
        assertFalse(SecretDetector.containsSecret("aws_access_key_id=AKIAIOSFODNN7EXAMPLE"));
        assertFalse(SecretDetector.containsSecret("the secret key leaked: AKIAIOSFODNN7EXAMPLE"),
                "a label with no value after a separator is prose");
    }
}
