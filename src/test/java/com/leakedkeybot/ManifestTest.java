package com.leakedkeybot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.leakedkeybot.testkit.SharedData;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * manifest.yml (HTTP mode) and manifest.socket-mode.yml must be manifests Slack accepts, and ask for no more than the
 * bot needs.
 */
class ManifestTest {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static JsonSchema schema;

    @BeforeAll
    static void loadSchema() throws IOException {
        try (InputStream in = Files.newInputStream(SharedData.path("slack/slack-app-manifest.schema.json"))) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(in);
        }
    }

    private static final String SOCKET_MODE = "manifest.socket-mode.yml";

    @ParameterizedTest
    @ValueSource(strings = {"manifest.yml", SOCKET_MODE})
    void manifestFollowsTheSchema(String file) throws IOException {
        assertEquals(Set.of(), messages(manifest(file)));
    }

    @Test
    void socketModeDeliversEverythingOverTheSocketWithTheSameScopes() throws IOException {
        JsonNode socketMode = manifest(SOCKET_MODE);
        JsonNode http = manifest();

        assertTrue(socketMode.path("settings").path("socket_mode_enabled").asBoolean());
        assertTrue(socketMode.path("settings").path("interactivity").path("is_enabled").asBoolean());
        assertTrue(socketMode.findValues("url").isEmpty() && socketMode.findValues("request_url").isEmpty(),
                "Socket Mode has no URLs");
        assertEquals(http.path("oauth_config"), socketMode.path("oauth_config"));
        assertEquals(http.path("features").path("slash_commands").get(0).path("command"),
                socketMode.path("features").path("slash_commands").get(0).path("command"));
    }

    @Test
    void commandAndInteractivityGoToTheBoltEndpoint() throws IOException {
        JsonNode manifest = manifest();
        JsonNode commands = manifest.path("features").path("slash_commands");

        assertEquals(1, commands.size());
        assertEquals("/leaked-key", commands.get(0).path("command").asText());
        assertEquals("/slack/events", URI.create(commands.get(0).path("url").asText()).getPath());
        assertTrue(manifest.path("settings").path("interactivity").path("is_enabled").asBoolean());
        assertEquals("/slack/events",
                URI.create(manifest.path("settings").path("interactivity").path("request_url").asText()).getPath());
    }

    @Test
    void asksForExactlyTheMinimalBotScopes() throws IOException {
        JsonNode manifest = manifest();
        List<String> scopes = new ArrayList<>();
        manifest.path("oauth_config").path("scopes").path("bot").forEach(scope -> scopes.add(scope.asText()));

        assertEquals(List.of("commands", "chat:write", "im:write"), scopes);
        assertTrue(manifest.path("oauth_config").path("scopes").path("user").isMissingNode(), "no user scopes");
    }

    @Test
    void usesHttpModeWithoutEventSubscriptions() throws IOException {
        JsonNode settings = manifest().path("settings");

        assertFalse(settings.path("socket_mode_enabled").asBoolean(true));
        assertTrue(settings.path("event_subscriptions").isMissingNode());
    }

    /** Proves the validator setup: the schema's own example manifests pass it. */
    @ParameterizedTest
    @ValueSource(strings = {"example.yml", "minimal.yml", "slack-default-example.yml"})
    void schemaExamplesPass(String example) throws IOException {
        JsonNode manifest = YAML.readTree(SharedData.path("slack/examples/" + example).toFile());

        assertEquals(Set.of(), messages(manifest));
    }

    @Test
    void unknownTopLevelFieldFails() throws IOException {
        ObjectNode manifest = (ObjectNode) manifest();
        manifest.putObject("functions");

        Set<String> messages = messages(manifest);

        assertEquals(1, messages.size());
        assertTrue(messages.iterator().next().contains("'functions'"), () -> messages.toString());
    }

    private static JsonNode manifest() throws IOException {
        return manifest("manifest.yml");
    }

    private static JsonNode manifest(String file) throws IOException {
        return YAML.readTree(Path.of(System.getProperty("user.dir"), file).toFile());
    }

    private static Set<String> messages(JsonNode manifest) {
        return schema.validate(manifest).stream()
                .map(ValidationMessage::getMessage)
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
