package com.leakedkeybot.slack.blocks;

import static com.leakedkeybot.slack.blocks.IncidentMessagesTest.assertJson;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.leakedkeybot.intake.IntakeSource;
import java.io.IOException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Rendering is compared as JSON against the expected messages in src/test/resources/messages/. */
class IntakeMessagesTest {

    private final IntakeMessages messages = new IntakeMessages();

    @Test
    void namesTheHealthEventAndWhereTheKeyWasFound() throws IOException {
        assertJson("intake-health.json", messages.source(new IntakeSource.AwsHealth("AWS_RISK_CREDENTIALS_EXPOSED",
                "https://github.com/example/app/blob/main/.env", Instant.parse("2026-12-02T10:00:00Z")), false));
    }

    @Test
    void namesTheGuardDutyFindingItsCallAndAddressWhenJoining() throws IOException {
        assertJson("intake-guardduty.json", messages.source(new IntakeSource.GuardDuty(
                "UnauthorizedAccess:IAMUser/MaliciousIPCaller", "iam.amazonaws.com:ListUsers", "198.51.100.7",
                Instant.parse("2026-12-02T09:50:00Z")), true));
    }

    @Test
    void namesTheRepositoryAndLinksTheAlert() throws IOException {
        assertJson("intake-github.json", messages.source(new IntakeSource.GitHubSecretScanning("example/app",
                "https://github.com/example/app/security/secret-scanning/42", Instant.parse("2026-12-02T08:00:00Z")),
                false));
    }

    @Test
    void textFromTheEventCannotInjectMentionsOrLinks() {
        String blocks = messages.source(new IntakeSource.AwsHealth("AWS_RISK_CREDENTIALS_EXPOSED",
                "https://evil.example/|<!channel>", null), false).blocksJson();
        assertFalse(blocks.contains("<!channel>"), blocks);
        assertFalse(blocks.contains("<https://evil"), "not linked: " + blocks);
        String guardDuty = messages.source(new IntakeSource.GuardDuty("<@U0BOSS> x", null, "<http://x|y>", null),
                false).blocksJson();
        assertFalse(guardDuty.contains("<@U0BOSS>") || guardDuty.contains("<http://x"), guardDuty);
        assertTrue(guardDuty.contains("not given"));
    }
}
