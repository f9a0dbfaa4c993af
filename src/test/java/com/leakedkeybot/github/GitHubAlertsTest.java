package com.leakedkeybot.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.leakedkeybot.key.AccessKeyId;
import com.leakedkeybot.testkit.FakeGitHubApi;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Against a fake of GitHub's API that refuses as GitHub does. */
class GitHubAlertsTest {

    private static final String TOKEN = "ghp_alertsreadtoken";
    private static final String KEY = "AKIAY34FZKBOKMUTVV7A";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    @Test
    void readsTheKeyIdWhetherTheSecretIsTheIdOrAPairHoldingIt() throws Exception {
        try (FakeGitHubApi github = FakeGitHubApi.start(TOKEN)) {
            github.addAlert("example/app", 1, "aws_access_key_id", KEY);
            github.addAlert("example/app", 2, "aws_access_key_id", "aws_access_key_id=" + KEY + " secret=" + SECRET);
            github.addAlert("example/app", 3, "aws_secret_access_key", SECRET);
            GitHubAlerts alerts = new GitHubAlerts(github.url(), TOKEN);

            assertEquals(Optional.of(new AccessKeyId(KEY)), alerts.keyIdOf("example/app", 1));
            assertEquals(Optional.of(new AccessKeyId(KEY)), alerts.keyIdOf("example/app", 2));
            assertEquals(Optional.empty(), alerts.keyIdOf("example/app", 3), "a secret alone names no key");
        }
    }

    @Test
    void refusalsAreExplainedWithoutTheTokenOrTheAnswer() {
        try (FakeGitHubApi github = FakeGitHubApi.start(TOKEN)) {
            github.addAlert("example/app", 1, "aws_access_key_id", KEY);

            String badToken = assertThrows(GitHubAlerts.UnavailableAlertException.class,
                    () -> new GitHubAlerts(github.url(), "ghp_wrong").keyIdOf("example/app", 1)).getMessage();
            assertTrue(badToken.startsWith("GitHub answered 401"), badToken);
            assertFalse(badToken.contains("ghp_wrong"));
            String missing = assertThrows(GitHubAlerts.UnavailableAlertException.class,
                    () -> new GitHubAlerts(github.url(), TOKEN).keyIdOf("example/app", 99)).getMessage();
            assertTrue(missing.startsWith("GitHub answered 404"), missing);
            assertThrows(GitHubAlerts.UnavailableAlertException.class,
                    () -> new GitHubAlerts(github.url(), TOKEN).keyIdOf("example/../../user", 1));
            assertEquals(0, github.reads());
        }
    }
}
