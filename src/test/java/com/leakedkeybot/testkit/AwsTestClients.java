package com.leakedkeybot.testkit;

import com.leakedkeybot.sandbox.MotoServer;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * SDK v2 clients pointed at an emulator such as {@link MotoServer}: fixed region and dummy static credentials, so no
 * test ever picks up a developer's real AWS profile. (A moto that enforces IAM auth needs an IAM user's
 * credentials: {@link AuthorizingMoto} builds those clients.)
 */
public final class AwsTestClients {

    static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));

    private AwsTestClients() {
    }

    public static IamClient iam(URI endpoint) {
        return configured(IamClient.builder(), endpoint, CREDENTIALS).build();
    }

    public static StsClient sts(URI endpoint) {
        return configured(StsClient.builder(), endpoint, CREDENTIALS).build();
    }

    /** STS signed as a session of {@code roleArn} (moto's AssumeRole), as the bot runs in production. */
    public static StsClient stsAsRole(URI endpoint, String roleArn) {
        try (StsClient sts = sts(endpoint)) {
            Credentials session = sts.assumeRole(r -> r.roleArn(roleArn).roleSessionName("i-0bot")).credentials();
            return configured(StsClient.builder(), endpoint, StaticCredentialsProvider.create(AwsSessionCredentials
                    .create(session.accessKeyId(), session.secretAccessKey(), session.sessionToken()))).build();
        }
    }

    /**
     * Credentials of a session in {@code account}: moto lets AssumeRole into any account id (the role need not exist)
     * and keeps IAM per account, so these read and change that account's own state, as a member account's
     * administrator would.
     */
    public static StaticCredentialsProvider inAccount(URI endpoint, String account) {
        try (StsClient sts = sts(endpoint)) {
            Credentials session = sts.assumeRole(r -> r.roleArn("arn:aws:iam::" + account + ":role/admin")
                    .roleSessionName("test-admin")).credentials();
            return StaticCredentialsProvider.create(AwsSessionCredentials
                    .create(session.accessKeyId(), session.secretAccessKey(), session.sessionToken()));
        }
    }

    /** IAM of {@code account}, as {@link #inAccount}. */
    public static IamClient iamIn(URI endpoint, String account) {
        return configured(IamClient.builder(), endpoint, inAccount(endpoint, account)).build();
    }

    public static DynamoDbClient dynamoDb(URI endpoint) {
        return configured(DynamoDbClient.builder(), endpoint, CREDENTIALS).build();
    }

    /** DynamoDB that gives up at the first failed request, rather than retry it with the SDK's backoff. */
    public static DynamoDbClient dynamoDbWithoutRetries(URI endpoint) {
        return configured(DynamoDbClient.builder(), endpoint, CREDENTIALS)
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
    }

    public static SecretsManagerClient secretsManager(URI endpoint) {
        return configured(SecretsManagerClient.builder(), endpoint, CREDENTIALS).build();
    }

    public static Ec2Client ec2(URI endpoint) {
        return configured(Ec2Client.builder(), endpoint, CREDENTIALS).build();
    }

    public static LambdaClient lambda(URI endpoint) {
        return configured(LambdaClient.builder(), endpoint, CREDENTIALS).build();
    }

    public static EventBridgeClient eventBridge(URI endpoint) {
        return configured(EventBridgeClient.builder(), endpoint, CREDENTIALS).build();
    }

    public static SqsClient sqs(URI endpoint) {
        return configured(SqsClient.builder(), endpoint, CREDENTIALS).build();
    }

    /** A client builder set up for the emulator, to be given more configuration or built. */
    static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> B configured(
            B builder, URI endpoint, AwsCredentialsProvider credentials) {
        return builder.endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder());
    }

    /** Path-style: moto's loopback address has no per-bucket host names. */
    public static S3Client s3(URI endpoint) {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(CREDENTIALS)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    /** Whether an IAM read finds its entity: false on NoSuchEntity, for asserting that something is gone. */
    public static boolean iamFinds(Runnable read) {
        try {
            read.run();
            return true;
        } catch (software.amazon.awssdk.services.iam.model.NoSuchEntityException e) {
            return false;
        }
    }
}
