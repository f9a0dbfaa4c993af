package com.leakedkeybot.aws;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.leakedkeybot.remediation.port.KeyRotation;
import com.leakedkeybot.remediation.port.SecretVault;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * New keys' secrets in Secrets Manager: created empty ({@code secretsmanager:CreateSecret}), guarded by a resource
 * policy ({@code PutResourcePolicy}) and a deletion-date tag ({@code TagResource}), then filled
 * ({@code PutSecretValue}); found again with {@code DescribeSecret}, which never returns the value.
 */
public final class SecretsManagerVault implements SecretVault {

    /** The day (UTC, ISO-8601) after which the secret should be deleted; Secrets Manager has no expiry of its own. */
    public static final String DELETE_AFTER_TAG = "leaked-key-bot:delete-after";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CURRENT = "AWSCURRENT";
    /**
     * What everyone else may still do: see the secret, its policy and its versions, and delete it once its date has
     * passed. Reading the value, and changing the policy that guards it, are not among them.
     */
    private static final List<String> LEFT_TO_OTHERS = List.of("secretsmanager:DescribeSecret",
            "secretsmanager:GetResourcePolicy", "secretsmanager:ListSecretVersionIds", "secretsmanager:DeleteSecret");

    private final SecretsManagerClient secrets;
    private final Supplier<BotPrincipal> bot;

    /** @param bot who the bot is (sts:GetCallerIdentity): its account, partition and the principal it is allowed as */
    public SecretsManagerVault(SecretsManagerClient secrets, Supplier<BotPrincipal> bot) {
        this.secrets = secrets;
        this.bot = bot;
    }

    @Override
    public String arnPattern(String name) {
        BotPrincipal self = bot.get();
        return "arn:" + self.partition() + ":secretsmanager:" + secrets.serviceClientConfiguration().region().id()
                + ":" + self.account() + ":secret:" + name + "-*";
    }

    @Override
    public Optional<Secret> find(String name) {
        try {
            DescribeSecretResponse secret = secrets.describeSecret(r -> r.secretId(name));
            return Optional.of(new Secret(secret.arn(), secret.versionIdsToStages().values().stream()
                    .anyMatch(stages -> stages.contains(CURRENT))));
        } catch (ResourceNotFoundException absent) {
            return Optional.empty();
        } catch (SdkException e) {
            throw AwsFailures.of("secretsmanager:DescribeSecret", e);
        }
    }

    @Override
    public String create(String name) {
        try {
            return secrets.createSecret(r -> r.name(name)
                    .description("A new access key for its IAM user, created by Leaked Key Bot")).arn();
        } catch (SdkException e) {
            throw AwsFailures.of("secretsmanager:CreateSecret", e);
        }
    }

    @Override
    public void guard(String arn, String ownerUserName, LocalDate deleteAfter) {
        String policy = onlyOwnerAndBot(ownerUserName);
        try {
            secrets.putResourcePolicy(r -> r.secretId(arn).resourcePolicy(policy).blockPublicPolicy(true));
        } catch (SdkException e) {
            throw AwsFailures.of("secretsmanager:PutResourcePolicy", e);
        }
        try {
            secrets.tagResource(r -> r.secretId(arn).tags(t -> t.key(DELETE_AFTER_TAG).value(deleteAfter.toString())));
        } catch (SdkException e) {
            throw AwsFailures.of("secretsmanager:TagResource", e);
        }
    }

    @Override
    public void putValue(String arn, KeyRotation.NewKey key) {
        String value = JSON.createObjectNode().put("AccessKeyId", key.accessKeyId())
                .put("SecretAccessKey", key.secretAccessKey()).toString();
        try {
            secrets.putSecretValue(r -> r.secretId(arn).secretString(value));
        } catch (SdkException e) {
            throw AwsFailures.of("secretsmanager:PutSecretValue", e);
        }
    }

    /**
     * One explicit deny, for every principal whose {@code aws:PrincipalArn} is neither the key's user nor the bot: an
     * explicit deny in a resource policy wins over whatever their own policies allow, administrators' included.
     */
    private String onlyOwnerAndBot(String ownerUserName) {
        BotPrincipal self = bot.get();
        ObjectNode policy = JSON.createObjectNode().put("Version", "2012-10-17");
        ObjectNode deny = policy.putArray("Statement").addObject().put("Sid", "OnlyTheKeyOwnerAndLeakedKeyBot")
                .put("Effect", "Deny").put("Principal", "*").put("Resource", "*");
        LEFT_TO_OTHERS.forEach(deny.putArray("NotAction")::add);
        ArrayNode allowed = deny.putObject("Condition").putObject("ArnNotLike").putArray("aws:PrincipalArn");
        self.atAnyPath("user", ownerUserName).forEach(allowed::add);
        self.arnPatterns().forEach(allowed::add);
        return policy.toString();
    }
}
