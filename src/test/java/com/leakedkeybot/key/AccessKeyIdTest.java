package com.leakedkeybot.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AccessKeyIdTest {

    @Test
    void decodesTheAccountFromAModernKeyId() {
        assertEquals(Optional.of("609629065308"), new AccessKeyId("ASIAY34FZKBOKMUTVV7A").encodedAccountId());
    }

    @Test
    void keepsLeadingZerosOfTheAccount() {
        // 'A' decodes to zero bits: the account must still print as 12 digits.
        assertEquals(Optional.of("000000000000"), new AccessKeyId("AKIAAAAAAAAAAAAAAAAA").encodedAccountId());
    }

    @ParameterizedTest
    @ValueSource(strings = {"AKIAIOSFODNN7EXAMPLE", "AKIAJ7ABCDEFGHIJKLMN"})
    void oldKeyIdsAreNotDecodable(String id) {
        assertEquals(Optional.empty(), new AccessKeyId(id).encodedAccountId());
    }

    @Test
    void idsWithCharactersOutsideBase32AreNotDecodable() {
        assertEquals(Optional.empty(), new AccessKeyId("AKIAY0000000000000A1").encodedAccountId());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "AKIA", "akiaiosfodnn7example", "AKIAIOSFODNN7EXAMPLE1", "AKIAIOSFODNN7EXAMPL",
            "BKIAIOSFODNN7EXAMPLE", "AKIA-OSFODNN7EXAMPLE", " AKIAIOSFODNN7EXAMPLE"})
    void rejectsTextThatIsNotShapedLikeAKeyId(String text) {
        assertTrue(AccessKeyId.parse(text).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> new AccessKeyId(text));
    }

    @Test
    void nullIsNotAKeyId() {
        assertTrue(AccessKeyId.parse(null).isEmpty());
    }

    @Test
    void tellsTheKindFromThePrefix() {
        assertEquals(KeyKind.LONG_TERM, new AccessKeyId("AKIAIOSFODNN7EXAMPLE").kind());
        assertEquals(KeyKind.TEMPORARY, new AccessKeyId("ASIAY34FZKBOKMUTVV7A").kind());
        assertEquals(KeyKind.BEARER_TOKEN, new AccessKeyId("ABIAY34FZKBOKMUTVV7A").kind());
        assertEquals(KeyKind.CONTEXT_SPECIFIC, new AccessKeyId("ACCAY34FZKBOKMUTVV7A").kind());
        assertEquals(KeyKind.UNKNOWN, new AccessKeyId("AIDAY34FZKBOKMUTVV7A").kind());
        assertTrue(KeyKind.LONG_TERM.supported());
        assertFalse(KeyKind.BEARER_TOKEN.supported());
    }

    @Test
    void masksTheMiddleOfTheId() {
        assertEquals("AKIA…MPLE", new AccessKeyId("AKIAIOSFODNN7EXAMPLE").masked());
    }
}
