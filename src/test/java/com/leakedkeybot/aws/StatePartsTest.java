package com.leakedkeybot.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatePartsTest {

    @Test
    void chunksStayWithinTheirBytesAndNeverCutACharacterInTwo() {
        // Characters of 1, 2, 3 and 4 UTF-8 bytes, so chunk boundaries fall inside characters of every width.
        String text = "aé€𝄞".repeat(100_000);

        List<String> chunks = StateParts.chunks(text);

        assertTrue(chunks.size() > 3, "about 1 MB in chunks of 256 KB");
        for (String chunk : chunks) {
            assertTrue(chunk.getBytes(StandardCharsets.UTF_8).length <= StateParts.CHUNK_BYTES);
        }
        assertEquals(text, String.join("", chunks));
    }
}
