package com.leakedkeybot.sandbox;

import com.leakedkeybot.testkit.SharedData;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class BlockKitSchemaTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The slackblocks card fixture uses {@code slack_icon} and {@code subtext}, which the tightknit schema does not
     * know yet. The bot sends no cards; {@link #theTwoReferencesStillDisagreeOnCards} notices when this changes.
     */
    private static final String CARD_FIXTURE = "card_block.json";

    /** Proves the validator is wired to the schema correctly: independent fixtures of valid blocks pass it. */
    @ParameterizedTest
    @MethodSource("validBlockFixtures")
    void acceptsTheSlackblocksValidBlockFixtures(Path fixture) throws IOException {
        assertEquals(List.of(), BlockKitSchema.validate(asBlocks(fixture)));
    }

    @Test
    void theTwoReferencesStillDisagreeOnCards() throws IOException {
        List<String> messages = BlockKitSchema.validate(asBlocks(fixtureDir().resolve(CARD_FIXTURE)));

        assertEquals(List.of(
                "/0: must be valid to one and only one schema, but 0 are valid (type 'card')",
                "/0: property 'slack_icon' is not defined in the schema and the schema does not allow additional properties",
                "/0: property 'subtext' is not defined in the schema and the schema does not allow additional properties"),
                messages);
    }

    @Test
    void reportsOnlyTheKindOfElementThatWasSent() throws IOException {
        JsonNode badUrl = JSON.readTree("[{\"type\":\"actions\",\"elements\":[{\"type\":\"button\","
                + "\"text\":{\"type\":\"plain_text\",\"text\":\"Open\"},\"url\":\"not a url\"}]}]");

        assertEquals(List.of(
                "/0/elements/0/url: does not match the uri pattern must be a valid RFC 3986 URI",
                "/0/elements/0: must be valid to one and only one schema, but 0 are valid (type 'button')",
                "/0: must be valid to one and only one schema, but 0 are valid (type 'actions')"),
                BlockKitSchema.validate(badUrl));
    }

    @Test
    void namesAnUnknownBlockType() throws IOException {
        assertEquals(List.of("/0: must be valid to one and only one schema, but 0 are valid (type 'nonsense')"),
                BlockKitSchema.validate(JSON.readTree("[{\"type\":\"nonsense\"}]")));
    }

    /** The sandbox ships copies of the reference data: they must stay byte for byte what shared/data holds. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"tightknit/slack-block-kit.schema.json",
            "slackblocks-spec/limits.json"})
    void thePackagedCopiesAreTheReferenceData(String file) throws IOException {
        try (var packaged = BlockKitSchema.class.getResourceAsStream(
                "/sandbox/blockkit/" + file.substring(file.indexOf('/') + 1))) {
            assertEquals(Files.readString(SharedData.path("slack/blockkit/" + file)),
                    new String(packaged.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    static Stream<Path> validBlockFixtures() throws IOException {
        return Files.list(fixtureDir())
                .filter(p -> p.toString().endsWith(".json") && !p.getFileName().toString().equals(CARD_FIXTURE))
                .sorted();
    }

    private static Path fixtureDir() {
        return SharedData.path("slack/blockkit/slackblocks-spec/fixtures/valid/blocks/section_block_fields.json").getParent();
    }

    private static JsonNode asBlocks(Path fixture) throws IOException {
        return JSON.createArrayNode().add(JSON.readTree(fixture.toFile()));
    }
}
