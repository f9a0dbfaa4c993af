package com.leakedkeybot.remediation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.leakedkeybot.testkit.BotPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The restore leaves to people exactly the objects the bot's policy keeps it from writing. */
class RestoreObjectsLogFilesTest {

    @Test
    void theRestoreAndThePolicyAgreeOnWhatIsALogFile() {
        for (String key : List.of("AWSLogs/123456789012/CloudTrail/us-east-1/2026/01/02/a.json.gz",
                "org/trails/AWSLogs/123456789012/CloudTrail/x.json.gz", "AWSLogs/", "a/b/AWSLogs/c",
                "ledger.csv", "AWSLogsArchive/x", "awslogs/x", "org/AWSLogs", "xAWSLogs/y", "reports/AWSLogs.csv")) {
            assertEquals(BotPolicy.deniesAlways("s3:PutObject", "arn:aws:s3:::finance/" + key),
                    RestoreObjectsStep.isLogFile(key), key);
        }
    }
}
