package com.leakedkeybot;

import com.leakedkeybot.testkit.SharedMoto;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.leakedkeybot.sandbox.FakeCloudTrail;
import com.leakedkeybot.sandbox.FakeSlackApi;
import com.leakedkeybot.sandbox.MotoServer;
import com.leakedkeybot.sandbox.SlackRequests;
import com.leakedkeybot.sandbox.TrailEvents;
import com.leakedkeybot.testkit.Await;
import com.leakedkeybot.testkit.AwsProxy;
import com.leakedkeybot.testkit.BotProcess;
import com.leakedkeybot.testkit.RunningBot;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged bot reaches AWS the SDK's own way, configured by the SDK's standard variables only (as BotProcess sets
 * them): AWS_ENDPOINT_URL for every service, AWS_ENDPOINT_URL_CLOUDTRAIL for CloudTrail alone, AWS_ACCESS_KEY_ID for
 * credentials. In-process tests name an explicit target instead; this is the default chain's test.
 */
class AwsEnvironmentIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    /** No IAM user owns it: the incident opens with a few posts, then the scan reads CloudTrail. */
    private static final String UNOWNED_KEY = "AKIAIOSFODNN7EXAMPLE";

    @TempDir
    Path stateDir;

    @Test
    void eachServiceIsWhereTheSdksStandardVariablesSay() throws Exception {
        try (FakeSlackApi slack = FakeSlackApi.start(RunningBot.BOT_TOKEN);
             AwsProxy aws = AwsProxy.start(SharedMoto.get().endpoint());
             FakeCloudTrail cloudTrail = FakeCloudTrail.start()) {
            cloudTrail.add("sa-east-1", TrailEvents.event("e1", Instant.now().minus(Duration.ofHours(1)), "sa-east-1",
                    UNOWNED_KEY, "s3.amazonaws.com", "ListBuckets").readOnly(true).json());
            try (BotProcess bot = BotProcess.start(slack, aws.endpoint(), stateDir, Map.of(
                    "AWS_ENDPOINT_URL_CLOUDTRAIL", cloudTrail.endpoint().toString(), "CLOUDTRAIL_REGIONS", "sa-east-1"))) {
                new SlackRequests(RunningBot.SIGNING_SECRET, slack.responseUrl("command"))
                        .slashCommand(bot.eventsUrl(), Map.of("text", UNOWNED_KEY));

                Await.until("a LookupEvents at AWS_ENDPOINT_URL_CLOUDTRAIL", WAIT, () -> cloudTrail.served("sa-east-1") > 0);
                bot.kill(); // the rest of the scan is not this test's subject: no need to wait for it to drain
            }
            assertFalse(cloudTrail.arrivals("sa-east-1", "testing").isEmpty(), "signed with AWS_ACCESS_KEY_ID");
            assertTrue(aws.calls(UNOWNED_KEY).contains("iam:GetAccessKeyLastUsed"), "IAM at AWS_ENDPOINT_URL: "
                    + aws.calls(UNOWNED_KEY));
            assertFalse(aws.calls().stream().anyMatch(call -> call.startsWith("cloudtrail:")),
                    "CloudTrail only at its own endpoint: " + aws.calls());
        }
    }
}
