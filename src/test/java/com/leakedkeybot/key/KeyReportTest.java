package com.leakedkeybot.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyReportTest {

    @Test
    void acceptsOneKeyIdWithSurroundingSpace() {
        KeyReport.Accepted accepted = assertInstanceOf(KeyReport.Accepted.class, KeyReport.of("  AKIAIOSFODNN7EXAMPLE \n"));
        assertEquals("AKIAIOSFODNN7EXAMPLE", accepted.keyId().value());
        assertFalse(accepted.secretPasted());
    }

    @Test
    void acceptsTheIdButFlagsAPastedSecret() {
        KeyReport report = KeyReport.of("AKIAIOSFODNN7EXAMPLE " + SecretDetectorTest.SECRET);
        KeyReport.Accepted accepted = assertInstanceOf(KeyReport.Accepted.class, report);
        assertTrue(accepted.secretPasted());
    }

    @Test
    void aCredentialsFilePastedWithTheIdIsAcceptedAndFlagged() {
        KeyReport report = KeyReport.of("aws_access_key_id=AKIAIOSFODNN7EXAMPLE aws_secret_access_key="
                + SecretDetectorTest.SECRET);
        KeyReport.Rejected rejected = assertInstanceOf(KeyReport.Rejected.class, report,
                "the key id's own label is not a key id");
        assertTrue(rejected.secretPasted());
        KeyReport.Accepted accepted = assertInstanceOf(KeyReport.Accepted.class,
                KeyReport.of("AKIAIOSFODNN7EXAMPLE SecretAccessKey: " + SecretDetectorTest.SECRET));
        assertTrue(accepted.secretPasted());
        assertEquals("AKIAIOSFODNN7EXAMPLE", accepted.keyId().value());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\n"})
    void emptyTextIsRefused(String text) {
        assertEquals(KeyReport.Reason.EMPTY, assertInstanceOf(KeyReport.Rejected.class, KeyReport.of(text)).reason());
    }

    @Test
    void aSecretAloneIsRefusedAndFlagged() {
        KeyReport.Rejected rejected = assertInstanceOf(KeyReport.Rejected.class, KeyReport.of(SecretDetectorTest.SECRET));
        assertEquals(KeyReport.Reason.EMPTY, rejected.reason());
        assertTrue(rejected.secretPasted());
    }

    @ParameterizedTest
    @ValueSource(strings = {"AKIA123", "hello", "<!channel>", "<http://evil.example|click me>",
            "AKIAIOSFODNN7EXAMPLE please", "<!channel> AKIAIOSFODNN7EXAMPLE", "akiaiosfodnn7example"})
    void anythingButKeyIdsIsMalformed(String text) {
        assertEquals(KeyReport.Reason.MALFORMED, assertInstanceOf(KeyReport.Rejected.class, KeyReport.of(text)).reason());
    }

    @Test
    void severalIdsAreRefused() {
        KeyReport report = KeyReport.of("AKIAIOSFODNN7EXAMPLE, AKIAY34FZKBOKMUTVV7A");
        assertEquals(KeyReport.Reason.SEVERAL_IDS, assertInstanceOf(KeyReport.Rejected.class, report).reason());
    }

    @Test
    void theSameIdTwiceIsOneId() {
        assertInstanceOf(KeyReport.Accepted.class, KeyReport.of("AKIAIOSFODNN7EXAMPLE AKIAIOSFODNN7EXAMPLE"));
    }

    @Test
    void absurdlyLongTextIsRefusedBeforeParsing() {
        KeyReport report = KeyReport.of("AKIAIOSFODNN7EXAMPLE " + "x".repeat(10_000));
        assertEquals(KeyReport.Reason.TOO_LONG, assertInstanceOf(KeyReport.Rejected.class, report).reason());
    }

    @Test
    void otherCredentialPrefixesAreExplained() {
        KeyReport.Rejected rejected = assertInstanceOf(KeyReport.Rejected.class, KeyReport.of("ABIAY34FZKBOKMUTVV7A"));
        assertEquals(KeyReport.Reason.UNSUPPORTED_KIND, rejected.reason());
        assertEquals(KeyKind.BEARER_TOKEN, rejected.kind());
    }

    private static final java.time.Clock NOW = java.time.Clock.fixed(java.time.Instant.parse("2026-12-04T06:00:00Z"),
            java.time.ZoneOffset.UTC);

    @ParameterizedTest
    @ValueSource(strings = {"since 2026-11-20 10:00", "since 2026-11-20T10:00Z", "SINCE 2026-11-20T10:00:00Z",
            "since 2026-11-20 10:00 UTC", "since 2026-11-20T11:00+01:00", "since 2026-11-20T10:00"})
    void anExposureTimeAfterSinceIsReadAsUtcUnlessItSaysOtherwise(String since) {
        KeyReport.Accepted accepted = assertInstanceOf(KeyReport.Accepted.class,
                KeyReport.of("AKIAIOSFODNN7EXAMPLE " + since, NOW));
        assertEquals("AKIAIOSFODNN7EXAMPLE", accepted.keyId().value());
        assertEquals(java.time.Instant.parse("2026-11-20T10:00:00Z"), accepted.exposedSince());
    }

    @Test
    void aDayAloneMeansItsStartInUtcAndNoSinceMeansNoExposureTime() {
        assertEquals(java.time.Instant.parse("2026-11-20T00:00:00Z"), assertInstanceOf(KeyReport.Accepted.class,
                KeyReport.of("AKIAIOSFODNN7EXAMPLE since 2026-11-20", NOW)).exposedSince());
        assertEquals(null, assertInstanceOf(KeyReport.Accepted.class,
                KeyReport.of("AKIAIOSFODNN7EXAMPLE", NOW)).exposedSince());
    }

    @ParameterizedTest
    @ValueSource(strings = {"since", "since yesterday", "since 20/11/2026 10:00", "since 2026-11-31 10:00",
            "since 2026-11-20 25:00", "since 2026-11-20 10:00 <!channel>"})
    void anUnreadableExposureTimeIsRefusedAndOpensNothing(String since) {
        KeyReport.Rejected rejected = assertInstanceOf(KeyReport.Rejected.class,
                KeyReport.of("AKIAIOSFODNN7EXAMPLE " + since, NOW));
        assertEquals(KeyReport.Reason.UNREADABLE_EXPOSURE_TIME, rejected.reason());
    }

    @Test
    void anExposureTimeInTheFutureIsRefused() {
        assertEquals(KeyReport.Reason.FUTURE_EXPOSURE_TIME, assertInstanceOf(KeyReport.Rejected.class,
                KeyReport.of("AKIAIOSFODNN7EXAMPLE since 2026-12-04 06:01", NOW)).reason());
        assertInstanceOf(KeyReport.Accepted.class, KeyReport.of("AKIAIOSFODNN7EXAMPLE since 2026-12-04 06:00", NOW));
    }

    @Test
    void aSecretPastedWithAnExposureTimeIsStillFlaggedAndTheKeyStillRead() {
        KeyReport.Accepted accepted = assertInstanceOf(KeyReport.Accepted.class,
                KeyReport.of("AKIAIOSFODNN7EXAMPLE " + SecretDetectorTest.SECRET + " since 2026-11-20", NOW));
        assertTrue(accepted.secretPasted());
        assertEquals(java.time.Instant.parse("2026-11-20T00:00:00Z"), accepted.exposedSince());
    }
}
