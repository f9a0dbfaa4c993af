package com.leakedkeybot.aws;

import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClientBuilder;

/**
 * Where the bot's AWS clients send their calls, and as whom. In production that is the SDK's own default chains
 * (credentials from the environment, profile, container or instance role; {@code AWS_REGION};
 * {@code AWS_ENDPOINT_URL[_<SERVICE>]}). An explicit target (an emulator, a sandbox) names its endpoint, region and
 * credentials instead, so nothing JVM-wide decides where one bot's calls go.
 */
public final class AwsTarget {

    private final Optional<URI> endpoint;
    private final Optional<URI> cloudTrailEndpoint;
    private final Optional<Region> region;
    private final Optional<AwsCredentialsProvider> credentials;

    private AwsTarget(Optional<URI> endpoint, Optional<URI> cloudTrailEndpoint, Optional<Region> region,
                      Optional<AwsCredentialsProvider> credentials) {
        this.endpoint = endpoint;
        this.cloudTrailEndpoint = cloudTrailEndpoint;
        this.region = region;
        this.credentials = credentials;
    }

    /** Whatever the SDK's default chains find: the packaged bot's only way. */
    public static AwsTarget defaultChain() {
        return new AwsTarget(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** Every service at one endpoint, in one region, with static credentials. */
    public static AwsTarget at(URI endpoint, String region, String accessKeyId, String secretAccessKey) {
        return new AwsTarget(Optional.of(endpoint), Optional.empty(), Optional.of(Region.of(region)),
                Optional.of(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey))));
    }

    /** The same target, but CloudTrail at {@code endpoint} (an emulator may lack LookupEvents). */
    public AwsTarget withCloudTrailAt(URI endpoint) {
        return new AwsTarget(this.endpoint, Optional.of(endpoint), region, credentials);
    }

    /** The same endpoints and region, called as {@code credentials} (e.g. a role assumed in another account). */
    public AwsTarget as(AwsCredentialsProvider credentials) {
        return new AwsTarget(endpoint, cloudTrailEndpoint, region, Optional.of(credentials));
    }

    /** For a call the SDK has no client for here: the explicit endpoint, if any. */
    Optional<URI> endpoint() {
        return endpoint;
    }

    /** For a call the SDK has no client for here: the explicit credentials, else the SDK's default chain. */
    AwsCredentialsProvider credentials() {
        return credentials.orElseGet(DefaultCredentialsProvider::create);
    }

    /** STS, EC2 and DynamoDB are regional; without a configured region, us-east-1 (where IAM and global STS live) serves. */
    public Region homeRegion() {
        return region.orElseGet(() -> {
            try {
                return DefaultAwsRegionProviderChain.builder().build().getRegion();
            } catch (RuntimeException noRegionConfigured) {
                return Region.US_EAST_1;
            }
        });
    }

    /** Points {@code builder} here; without an explicit target it is left to the SDK's defaults. */
    <B extends AwsClientBuilder<B, ?>> B configure(B builder) {
        return configure(builder, endpoint);
    }

    /** A CloudTrail client builder for {@code region}, pointed here. */
    public CloudTrailClientBuilder cloudTrail(String region) {
        return configure(CloudTrailClient.builder().region(Region.of(region)), cloudTrailEndpoint.or(() -> endpoint));
    }

    private <B extends AwsClientBuilder<B, ?>> B configure(B builder, Optional<URI> at) {
        at.ifPresent(builder::endpointOverride);
        credentials.ifPresent(builder::credentialsProvider);
        return builder;
    }
}
