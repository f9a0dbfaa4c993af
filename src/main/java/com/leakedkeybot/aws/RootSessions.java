package com.leakedkeybot.aws;

import com.leakedkeybot.key.AccessKeyId;
import com.leakedkeybot.remediation.port.RootCredentials;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * Root user keys of member accounts through {@code sts:AssumeRoot}: a session of the account's root user limited by
 * AWS's task policy {@value #TASK_POLICY}, at most 15 minutes, one per call (a root session is not kept). The bot's own
 * STS client makes the call: it must be regional (AssumeRoot has no global endpoint), as the bot's clients are.
 */
public final class RootSessions implements RootCredentials {

    static final String TASK_POLICY = "arn:aws:iam::aws:policy/root-task/IAMDeleteRootUserCredentials";
    /** AssumeRoot's longest session; a deletion needs seconds. */
    private static final int SESSION_SECONDS = 900;

    private final StsClient sts;
    private final AwsTarget target;

    /** @param target where IAM is (the session's credentials replace the target's) */
    public RootSessions(StsClient sts, AwsTarget target) {
        this.sts = sts;
        this.target = target;
    }

    @Override
    public boolean holds(String account, AccessKeyId keyId) {
        return asRoot(account, "iam:ListAccessKeys", iam -> iam.listAccessKeys().accessKeyMetadata().stream()
                .anyMatch(key -> key.accessKeyId().equals(keyId.value())));
    }

    /** Without a user name, IAM acts on the caller's own keys: the root user's, in a root session. */
    @Override
    public void delete(String account, AccessKeyId keyId) {
        asRoot(account, "iam:DeleteAccessKey", iam -> iam.deleteAccessKey(r -> r.accessKeyId(keyId.value())));
    }

    private <T> T asRoot(String account, String action, Function<IamClient, T> call) {
        Credentials session;
        try {
            session = sts.assumeRoot(r -> r.targetPrincipal(account).taskPolicyArn(p -> p.arn(TASK_POLICY))
                    .durationSeconds(SESSION_SECONDS)).credentials();
        } catch (SdkException e) {
            throw AwsFailures.of("sts:AssumeRoot", e);
        }
        AwsTarget asRoot = target.as(StaticCredentialsProvider.create(AwsSessionCredentials.create(
                session.accessKeyId(), session.secretAccessKey(), session.sessionToken())));
        try (IamClient iam = asRoot.configure(IamClient.builder()).region(Region.AWS_GLOBAL).build()) {
            return call.apply(iam);
        } catch (SdkException e) {
            throw AwsFailures.of(action, e);
        }
    }
}
