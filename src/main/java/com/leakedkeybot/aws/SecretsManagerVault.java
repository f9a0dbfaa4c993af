package com.leakedkeybot.aws;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.leakedkeybot.remediation.port.KeyRotation;
import com.leakedkeybot.remediation.port.SecretVault;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/** New keys' secrets in Secrets Manager ({@code secretsmanager:CreateSecret}, {@code DescribeSecret}). */
public final class SecretsManagerVault implements SecretVault {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SecretsManagerClient secrets;

    public SecretsManagerVault(SecretsManagerClient secrets) {
        this.secrets = secrets;
    }

    @Override
    public String store(String name, KeyRotation.NewKey key) {
        String value = JSON.createObjectNode().put("AccessKeyId", key.accessKeyId())
                .put("SecretAccessKey", key.secretAccessKey()).toString();
        try {
            return secrets.createSecret(r -> r.name(name).secretString(value)
                    .description("New access key " + key.accessKeyId() + ", created by Leaked Key Bot")).arn();
        } catch (SdkException e) {
            throw AwsFailures.of("secretsmanager:CreateSecret", e);
        }
    }

    @Override
    public Optional<String> arnOf(String name) {
        try {
            return Optional.of(secrets.describeSecret(r -> r.secretId(name)).arn());
        } catch (ResourceNotFoundException absent) {
            return Optional.empty();
        } catch (SdkException e) {
            throw AwsFailures.of("secretsmanager:DescribeSecret", e);
        }
    }
}
