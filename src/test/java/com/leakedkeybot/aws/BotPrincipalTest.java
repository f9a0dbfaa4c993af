package com.leakedkeybot.aws;

import com.leakedkeybot.sandbox.MotoServer;
import com.leakedkeybot.testkit.AwsTestClients;
import com.leakedkeybot.testkit.SharedMoto;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Who the bot is, as a policy names it: a role session by its role, at any path; anything else as it is. */
class BotPrincipalTest {

    @Test
    void aRoleSessionIsNamedByItsRoleInItsPartitionAtAnyPath() {
        BotPrincipal bot = BotPrincipal.ofCaller("123456789012",
                "arn:aws-cn:sts::123456789012:assumed-role/LeakedKeyBot/i-0abc/extra");

        assertEquals("arn:aws-cn:iam::123456789012:role/LeakedKeyBot", bot.arn());
        assertEquals("aws-cn", bot.partition());
        assertEquals(List.of("arn:aws-cn:iam::123456789012:role/LeakedKeyBot",
                "arn:aws-cn:iam::123456789012:role/*/LeakedKeyBot"), bot.arnPatterns());
        assertEquals(List.of("arn:aws-cn:iam::123456789012:user/dev", "arn:aws-cn:iam::123456789012:user/*/dev"),
                bot.atAnyPath("user", "dev"));
    }

    @Test
    void anIamUserIsNamedExactlyPathIncluded() {
        BotPrincipal bot = BotPrincipal.ofCaller("123456789012", "arn:aws:iam::123456789012:user/ops/leaked-key-bot");

        assertEquals(List.of("arn:aws:iam::123456789012:user/ops/leaked-key-bot"), bot.arnPatterns());
    }

    @Test
    void stsNamesTheSessionAndTheLookupTheRole() {
        URI moto = SharedMoto.get().endpoint();
        String role = "LeakedKeyBot-" + UUID.randomUUID().toString().substring(0, 8);
        String roleArn;
        try (IamClient iam = AwsTestClients.iam(moto)) {
            roleArn = iam.createRole(r -> r.roleName(role).path("/bots/").assumeRolePolicyDocument("{\"Version\":"
                    + "\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
                    + "\"arn:aws:iam::123456789012:root\"},\"Action\":\"sts:AssumeRole\"}]}")).role().arn();
        }
        try (StsClient asRole = AwsTestClients.stsAsRole(moto, roleArn)) {

            BotPrincipal bot = new KeyAccountLookup(asRole).self();

            assertEquals(new BotPrincipal("123456789012", "arn:aws:iam::123456789012:role/" + role), bot);
            assertEquals(List.of("arn:aws:iam::123456789012:role/" + role, "arn:aws:iam::123456789012:role/*/" + role),
                    bot.arnPatterns(), "the role's path (" + roleArn + ") is not in the session ARN: any path matches");
        }
    }
}
