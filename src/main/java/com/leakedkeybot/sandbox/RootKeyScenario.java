package com.leakedkeybot.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * The account's root user has an access key, and it leaks. No IAM call can contain a root key: the bot gives the
 * manual steps instead. moto has no root credentials, so the drill makes IAM answer as it does for one: the key
 * belongs to "root", and no IAM user has that name.
 */
final class RootKeyScenario implements Scenario {

    @Override
    public String name() {
        return "root-key";
    }

    @Override
    public String summary() {
        return "the root user's access key leaks: no button can contain it, the bot gives the manual steps";
    }

    @Override
    public Played play(DrillAccount account) {
        IamClient iam = account.admin();
        iam.createUser(r -> r.userName("root"));
        var leaked = iam.createAccessKey(r -> r.userName("root")).accessKey();
        iam.updateUser(r -> r.userName("root").newUserName("former-root-stand-in"));
        DrillAccount.Actor attacker = account.actor("root", leaked.accessKeyId(), leaked.secretAccessKey(),
                "203.0.113.66", "aws-cli/2.15.0");
        Instant at = Instant.now().minus(Duration.ofMinutes(20));
        attacker.aws().sts().getCallerIdentity();
        attacker.recorded(at, DrillAccount.REGION, "sts.amazonaws.com", "GetCallerIdentity", true, e -> e);
        return new Played(leaked.accessKeyId(), Optional.empty());
    }
}
