package com.leakedkeybot.aws;

import com.leakedkeybot.config.MemberAccess;
import com.leakedkeybot.remediation.port.AwsActionFailure;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * The organization's other accounts, reached through the responder role the bot assumes in each
 * ({@code MEMBER_ROLE_NAME}). One set of clients per account, built on first use and kept: their credentials come from
 * the SDK's {@link StsAssumeRoleCredentialsProvider}, which caches the session and renews it before it expires.
 */
public final class MemberAccounts implements AutoCloseable {

    /** What the member account's CloudTrail shows as the bot's session. */
    static final String SESSION_NAME = "leaked-key-bot";

    /** One member account, as its responder role. */
    public record Account(String id, String roleArn, AwsTarget target, AwsClients clients, CloudTrailLookup cloudTrail,
                          StsAssumeRoleCredentialsProvider credentials) implements AutoCloseable {
        @Override
        public void close() {
            cloudTrail.close();
            clients.close();
            credentials.close();
        }
    }

    private final AwsTarget home;
    private final StsClient sts;
    private final MemberAccess access;
    private final Supplier<BotPrincipal> self;
    private final double cloudTrailRequestsPerSecond;
    private final Map<String, Account> accounts = new ConcurrentHashMap<>();

    /**
     * @param sts  the bot's own STS client: every role is assumed as the bot
     * @param self the bot's own principal, for the partition of the roles' ARNs
     */
    public MemberAccounts(AwsTarget home, StsClient sts, MemberAccess access, Supplier<BotPrincipal> self,
                          double cloudTrailRequestsPerSecond) {
        this.home = home;
        this.sts = sts;
        this.access = access;
        this.self = self;
        this.cloudTrailRequestsPerSecond = cloudTrailRequestsPerSecond;
    }

    public boolean allows(String account) {
        return access.allows(account);
    }

    public String roleArn(String account) {
        return "arn:" + self.get().partition() + ":iam::" + account + ":role/" + access.roleName();
    }

    /** The account's clients; building them calls nothing (the role is assumed at the first call, see {@link #reach}). */
    public Account account(String id) {
        return accounts.computeIfAbsent(id, this::open);
    }

    /**
     * Assumes the account's role now (or takes the SDK's cached session), so that a role that cannot be assumed is
     * named as such rather than surfacing as the first IAM call's failure.
     *
     * @throws AwsActionFailure naming {@code sts:AssumeRole} on the role's ARN
     */
    public Account reach(String id) {
        Account account = account(id);
        try {
            account.credentials().resolveCredentials();
            return account;
        } catch (SdkException e) {
            throw AwsFailures.of("sts:AssumeRole on " + account.roleArn(), e);
        }
    }

    private Account open(String id) {
        String roleArn = roleArn(id);
        StsAssumeRoleCredentialsProvider credentials = StsAssumeRoleCredentialsProvider.builder()
                .stsClient(sts)
                .refreshRequest(r -> {
                    r.roleArn(roleArn).roleSessionName(SESSION_NAME);
                    access.externalId().ifPresent(r::externalId);
                })
                .build();
        AwsTarget target = home.as(credentials);
        return new Account(id, roleArn, target, AwsClients.at(target),
                new CloudTrailLookup(target, cloudTrailRequestsPerSecond), credentials);
    }

    @Override
    public void close() {
        accounts.values().forEach(Account::close);
        accounts.clear();
    }
}
