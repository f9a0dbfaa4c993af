package com.leakedkeybot.aws;

import com.leakedkeybot.investigation.TrailEvent;
import com.leakedkeybot.investigation.TrailEventSource;
import com.leakedkeybot.investigation.TrailHistory;
import com.leakedkeybot.investigation.TrailLookupException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.Event;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttributeKey;
import software.amazon.awssdk.services.cloudtrail.model.LookupEventsRequest;

/**
 * Reads a key's events, or everyone's events of one API call, with CloudTrail LookupEvents, one client per region. CloudTrail allows 2 LookupEvents
 * requests per second per region: each region's client is paced to the rate it is given, and throttling answers are
 * retried by the SDK with exponential backoff and jitter.
 */
public final class CloudTrailLookup implements TrailEventSource, TrailHistory, AutoCloseable {

    private static final int PAGE_SIZE = 50;

    private final AwsTarget target;
    private final double requestsPerSecond;
    private final SdkHttpClient httpClient = UrlConnectionHttpClient.create();
    private final Map<String, CloudTrailClient> clients = new ConcurrentHashMap<>();

    /**
     * @param target            where CloudTrail is (in production the SDK's defaults: AWS_ENDPOINT_URL_CLOUDTRAIL...)
     * @param requestsPerSecond each region's pace, CloudTrail's limit (2) in production
     */
    public CloudTrailLookup(AwsTarget target, double requestsPerSecond) {
        this.target = target;
        this.requestsPerSecond = requestsPerSecond;
    }

    @Override
    public void eventsForKey(String region, String accessKeyId, Instant from, Instant to, Consumer<TrailEvent> sink)
            throws TrailLookupException {
        lookup(region, LookupAttributeKey.ACCESS_KEY_ID, accessKeyId, from, to, event -> {
            sink.accept(event);
            return true;
        });
    }

    @Override
    public void eventsNamed(String region, String eventName, Instant from, Instant to, Predicate<TrailEvent> visit)
            throws TrailLookupException {
        lookup(region, LookupAttributeKey.EVENT_NAME, eventName, from, to, visit);
    }

    /** Pages through the lookup, fetching no further page once {@code visit} has had enough. */
    private void lookup(String region, LookupAttributeKey key, String value, Instant from, Instant to,
                        Predicate<TrailEvent> visit) throws TrailLookupException {
        LookupEventsRequest request = LookupEventsRequest.builder()
                .lookupAttributes(a -> a.attributeKey(key).attributeValue(value))
                .startTime(from).endTime(to).maxResults(PAGE_SIZE).build();
        try {
            for (Event event : client(region).lookupEventsPaginator(request).events()) {
                if (!visit.test(TrailEvent.parse(event.cloudTrailEvent()))) {
                    return;
                }
            }
        } catch (SdkException e) {
            throw new TrailLookupException(FailureReason.of(e), e);
        }
    }

    private CloudTrailClient client(String region) {
        return clients.computeIfAbsent(region, r -> target.cloudTrail(r).httpClient(httpClient)
                .overrideConfiguration(o -> o.retryStrategy(retryStrategy())
                        .addExecutionInterceptor(new PacingInterceptor(new RequestPacer(requestsPerSecond))))
                .build());
    }

    /**
     * The SDK's standard strategy with more patience for throttling: a scan is a background job that should wait
     * rather than fail, so the retry circuit breaker is off and throttled calls back off up to 20 s, 8 attempts.
     */
    static RetryStrategy retryStrategy() {
        return AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(8)
                .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(500), Duration.ofSeconds(20)))
                .circuitBreakerEnabled(false)
                .build();
    }

    @Override
    public void close() {
        clients.values().forEach(CloudTrailClient::close);
        httpClient.close();
    }
}
