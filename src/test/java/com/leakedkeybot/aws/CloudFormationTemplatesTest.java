package com.leakedkeybot.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.leakedkeybot.config.MemberAccess;
import com.leakedkeybot.testkit.BotPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The CloudFormation templates of the bot's role and of the member accounts' responder role: both hold the bot's
 * policy word for word, the responder trusts the bot's role only, and the member template names no account (a
 * StackSet deploys the same template everywhere).
 */
class CloudFormationTemplatesTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path MEMBER = Path.of("cloudformation/member-responder-role.yaml");
    private static final Path BOT = Path.of("cloudformation/leaked-key-bot-role.yaml");

    private static JsonNode template(Path file) throws IOException {
        return YAML.readTree(Files.readString(file));
    }

    private static JsonNode policyOf(JsonNode role) {
        JsonNode policies = role.path("Properties").path("Policies");
        assertEquals(1, policies.size(), "one policy, the bot's");
        return policies.get(0).path("PolicyDocument");
    }

    @Test
    void bothRolesHoldTheBotsPolicyWordForWord() throws IOException {
        JsonNode policy = new ObjectMapper().readTree(BotPolicy.json());
        assertEquals(policy, policyOf(template(MEMBER).path("Resources").path("ResponderRole")));
        assertEquals(policy, policyOf(template(BOT).path("Resources").path("BotRole")));
    }

    @Test
    void theResponderTrustsTheBotsRoleOnlyWithAnOptionalExternalId() throws IOException {
        JsonNode member = template(MEMBER);
        JsonNode trust = member.path("Resources").path("ResponderRole").path("Properties")
                .path("AssumeRolePolicyDocument").path("Statement");
        assertEquals(1, trust.size());
        JsonNode statement = trust.get(0);
        assertEquals("Allow", statement.path("Effect").asText());
        assertEquals("sts:AssumeRole", statement.path("Action").asText());
        assertEquals(1, statement.path("Principal").size(), "no service, no account root: " + statement);
        assertEquals("BotRoleArn", statement.path("Principal").path("AWS").asText(), "the parameter, by !Ref");
        JsonNode condition = statement.path("Condition");
        assertEquals("HasExternalId", condition.get(0).asText());
        assertEquals("ExternalId", condition.get(1).path("StringEquals").path("sts:ExternalId").asText());
        assertEquals("", member.path("Parameters").path("ExternalId").path("Default").asText(), "optional");
    }

    @Test
    void theMemberTemplateIsStackSetReadyAndMatchesTheBotsDefaults() throws IOException {
        String text = Files.readString(MEMBER);
        assertFalse(Pattern.compile("(?<![0-9{])[0-9]{12}(?![0-9}])").matcher(text).find(), "no account id in it");
        JsonNode member = template(MEMBER);
        assertEquals(MemberAccess.DEFAULT_ROLE_NAME, member.path("Parameters").path("RoleName").path("Default").asText());
        assertTrue(BotPolicy.allows("sts:AssumeRole", "arn:aws:iam::210987654321:role/"
                + MemberAccess.DEFAULT_ROLE_NAME), "the bot may assume the role the template creates");
        assertFalse(BotPolicy.allows("sts:AssumeRole", "arn:aws:iam::210987654321:role/OrganizationAccountAccessRole"),
                "and no administrator role");
    }
}
