package com.leakedkeybot.aws;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The bot's SDK clients, pointed at an {@link AwsTarget}: in production the SDK's own default chains (environment,
 * profile, container or instance role; {@code AWS_ENDPOINT_URL[_<SERVICE>]}), so the bot adds no settings of its own.
 * Throttling is retried by the SDK's standard strategy with backoff.
 */
public final class AwsClients implements AutoCloseable {

    private static final int MAX_ATTEMPTS = 5;
    /** {@code https://sqs.<region>.amazonaws.com/<account>/<name>}: a queue is served in its own region only. */
    private static final Pattern QUEUE_REGION = Pattern.compile("https://sqs\\.([a-z0-9-]+)\\.amazonaws\\.com(\\.cn)?/.*");

    private final IamClient iam;
    private final StsClient sts;
    private final Ec2Client ec2;
    private final DynamoDbClient dynamoDb;
    private final SecretsManagerClient secretsManager;
    /** EC2 per region, for acting where CloudTrail saw an instance started; built on first use. */
    private final Map<String, Ec2Client> ec2ByRegion = new ConcurrentHashMap<>();
    /** Lambda per region, for removing functions the attacker created; built on first use. */
    private final Map<String, LambdaClient> lambdaByRegion = new ConcurrentHashMap<>();
    /** S3 per region, for restoring objects in their bucket's region and reading the trail's logs; built on first use. */
    private final Map<String, S3Client> s3ByRegion = new ConcurrentHashMap<>();
    private final ClientOverrideConfiguration overrides;
    private final AwsTarget target;

    private AwsClients(AwsTarget target, IamClient iam, StsClient sts, Ec2Client ec2, DynamoDbClient dynamoDb,
                       SecretsManagerClient secretsManager, ClientOverrideConfiguration overrides) {
        this.target = target;
        this.iam = iam;
        this.sts = sts;
        this.ec2 = ec2;
        this.dynamoDb = dynamoDb;
        this.secretsManager = secretsManager;
        this.overrides = overrides;
    }

    /** Clients for {@code target}: the SDK's default chains in production, an explicit endpoint in tests. */
    public static AwsClients at(AwsTarget target) {
        ClientOverrideConfiguration overrides = ClientOverrideConfiguration.builder()
                .retryStrategy(b -> b.maxAttempts(MAX_ATTEMPTS))
                .apiCallTimeout(Duration.ofSeconds(30))
                .build();
        var http = UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(5));
        Region home = target.homeRegion();
        IamClient iam = target.configure(IamClient.builder()).region(Region.AWS_GLOBAL).httpClientBuilder(http)
                .overrideConfiguration(overrides).build();
        StsClient sts = target.configure(StsClient.builder()).region(home).httpClientBuilder(http)
                .overrideConfiguration(overrides).build();
        Ec2Client ec2 = target.configure(Ec2Client.builder()).region(home).httpClientBuilder(http)
                .overrideConfiguration(overrides).build();
        // Building a client opens no connection: harmless when STATE_TABLE is not set.
        DynamoDbClient dynamoDb = target.configure(DynamoDbClient.builder()).region(home).httpClientBuilder(http)
                .overrideConfiguration(overrides).build();
        SecretsManagerClient secretsManager = target.configure(SecretsManagerClient.builder()).region(home)
                .httpClientBuilder(http).overrideConfiguration(overrides).build();
        return new AwsClients(target, iam, sts, ec2, dynamoDb, secretsManager, overrides);
    }

    public IamClient iam() {
        return iam;
    }

    public StsClient sts() {
        return sts;
    }

    /** For ec2:DescribeRegions: which regions the investigation reads. */
    public Ec2Client ec2() {
        return ec2;
    }

    /** For the shared incident state, when STATE_TABLE is set. */
    public DynamoDbClient dynamoDb() {
        return dynamoDb;
    }

    /** EC2 in one region (the target's endpoint settings still apply). */
    public Ec2Client ec2In(String region) {
        return ec2ByRegion.computeIfAbsent(region, r -> target.configure(Ec2Client.builder()).region(Region.of(r))
                .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(5)))
                .overrideConfiguration(overrides).build());
    }

    /** Lambda in one region (the target's endpoint settings still apply). */
    public LambdaClient lambdaIn(String region) {
        return lambdaByRegion.computeIfAbsent(region, r -> target.configure(LambdaClient.builder()).region(Region.of(r))
                .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(5)))
                .overrideConfiguration(overrides).build());
    }

    /**
     * S3 in one region (the target's endpoint settings still apply). A bucket in another region is still reached: the
     * client follows S3's redirect, so the trail's log bucket needs no region setting of its own.
     */
    public S3Client s3In(String region) {
        return s3ByRegion.computeIfAbsent(region, r -> target.configure(S3Client.builder()).region(Region.of(r))
                .crossRegionAccessEnabled(true)
                .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(5)))
                .overrideConfiguration(overrides).build());
    }

    /** The region the bot runs in, or us-east-1. */
    public String homeRegion() {
        return target.homeRegion().id();
    }

    /**
     * SQS for the intake queue, in the queue's region (from its URL; else the bot's). Long polls hold a request for
     * 20 s, so the call timeout leaves room for that; the caller closes the client.
     */
    public SqsClient sqsFor(String queueUrl) {
        Matcher region = QUEUE_REGION.matcher(queueUrl);
        return target.configure(SqsClient.builder())
                .region(region.matches() ? Region.of(region.group(1)) : target.homeRegion())
                .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(30)))
                .overrideConfiguration(overrides.toBuilder().apiCallTimeout(Duration.ofSeconds(60)).build())
                .build();
    }

    /** Where rotated keys' secrets wait for their owners. */
    public SecretsManagerClient secretsManager() {
        return secretsManager;
    }

    @Override
    public void close() {
        iam.close();
        sts.close();
        ec2.close();
        dynamoDb.close();
        secretsManager.close();
        ec2ByRegion.values().forEach(Ec2Client::close);
        lambdaByRegion.values().forEach(LambdaClient::close);
        s3ByRegion.values().forEach(S3Client::close);
    }
}
