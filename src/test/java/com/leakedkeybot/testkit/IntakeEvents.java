package com.leakedkeybot.testkit;

import java.net.URI;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The intake path as a team deploys it, on moto: an event bus of its own (tests share one moto), a rule forwarding
 * {@code aws.health} and {@code aws.guardduty} events to an SQS queue with a dead-letter queue, and helpers to put
 * events as AWS would. moto delivers to SQS without the envelope's {@code account}; nothing here relies on it.
 */
public final class IntakeEvents implements AutoCloseable {

    private final EventBridgeClient events;
    private final SqsClient sqs;
    private final String bus;
    private final String queueUrl;
    private final String deadLetterUrl;

    private IntakeEvents(EventBridgeClient events, SqsClient sqs, String bus, String queueUrl, String deadLetterUrl) {
        this.events = events;
        this.sqs = sqs;
        this.bus = bus;
        this.queueUrl = queueUrl;
        this.deadLetterUrl = deadLetterUrl;
    }

    /**
     * @param visibilityTimeoutSeconds how long a received message stays hidden
     * @param maxReceiveCount          receives before SQS moves a message to the dead-letter queue
     */
    public static IntakeEvents create(URI moto, int visibilityTimeoutSeconds, int maxReceiveCount) {
        EventBridgeClient events = AwsTestClients.eventBridge(moto);
        SqsClient sqs = AwsTestClients.sqs(moto);
        String name = "intake-" + UUID.randomUUID().toString().substring(0, 8);
        String deadLetterUrl = sqs.createQueue(r -> r.queueName(name + "-dlq")).queueUrl();
        String deadLetterArn = sqs.getQueueAttributes(r -> r.queueUrl(deadLetterUrl)
                .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
        String queueUrl = sqs.createQueue(r -> r.queueName(name).attributes(Map.of(
                QueueAttributeName.VISIBILITY_TIMEOUT, String.valueOf(visibilityTimeoutSeconds),
                QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + deadLetterArn
                        + "\",\"maxReceiveCount\":\"" + maxReceiveCount + "\"}"))).queueUrl();
        String queueArn = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
        events.createEventBus(r -> r.name(name));
        events.putRule(r -> r.name(name).eventBusName(name)
                .eventPattern("{\"source\":[\"aws.health\",\"aws.guardduty\"]}"));
        events.putTargets(r -> r.rule(name).eventBusName(name).targets(t -> t.id("bot-queue").arn(queueArn)));
        return new IntakeEvents(events, sqs, name, queueUrl, deadLetterUrl);
    }

    public String queueUrl() {
        return queueUrl;
    }

    /** An AWS Health AWS_RISK_* event naming {@code key} in its metadata and affected entities. */
    public void putHealth(String code, String key, String communicationId, String exposedUrl) {
        put("aws.health", "AWS Health Event", healthDetail(code, key, communicationId, exposedUrl));
    }

    public static String healthDetail(String code, String key, String communicationId, String exposedUrl) {
        return "{\"eventArn\":\"arn:aws:health:global::event/RISK/" + code + "/" + code + "_" + communicationId
                + "\",\"service\":\"RISK\",\"eventTypeCode\":\"" + code + "\",\"eventTypeCategory\":\"issue\","
                + "\"eventScopeCode\":\"ACCOUNT_SPECIFIC\",\"communicationId\":\"" + communicationId + "\","
                + "\"startTime\":\"Wed, 02 Dec 2026 10:00:00 GMT\",\"statusCode\":\"open\",\"eventRegion\":\"global\","
                + "\"eventDescription\":[{\"language\":\"en_US\",\"latestDescription\":\"Your AWS Access Key is "
                + "exposed.\"}],\"affectedEntities\":[{\"entityValue\":\"" + key + "\"}],"
                + "\"eventMetadata\":{\"publicKey\":\"" + key + "\",\"exposedUrl\":\"" + exposedUrl + "\"}}";
    }

    /** A GuardDuty finding about {@code key}: a call of {@code api} from {@code ip}. */
    public void putGuardDuty(String findingId, String type, String key, String api, String ip) {
        put("aws.guardduty", "GuardDuty Finding", guardDutyDetail(findingId, type, key, api, ip));
    }

    public static String guardDutyDetail(String findingId, String type, String key, String api, String ip) {
        return "{\"schemaVersion\":\"2.0\",\"accountId\":\"123456789012\",\"region\":\"us-east-1\",\"id\":\""
                + findingId + "\",\"type\":\"" + type + "\",\"severity\":5,\"createdAt\":\"2026-12-02T09:55:00.000Z\","
                + "\"resource\":{\"resourceType\":\"AccessKey\",\"accessKeyDetails\":{\"accessKeyId\":\"" + key
                + "\",\"principalId\":\"AIDAEXAMPLE\",\"userName\":\"someone\",\"userType\":\"IAMUser\"}},"
                + "\"service\":{\"serviceName\":\"guardduty\",\"eventFirstSeen\":\"2026-12-02T09:50:00.000Z\","
                + "\"eventLastSeen\":\"2026-12-02T09:51:00.000Z\",\"count\":1,\"action\":{\"actionType\":"
                + "\"AWS_API_CALL\",\"awsApiCallAction\":{\"api\":\"" + api + "\",\"serviceName\":\"iam.amazonaws.com\","
                + "\"callerType\":\"Remote IP\",\"remoteIpDetails\":{\"ipAddressV4\":\"" + ip + "\"}}}}}";
    }

    /** One event on the bus, as the rule would see it. */
    public void put(String source, String detailType, String detail) {
        PutEventsResponse put = events.putEvents(r -> r.entries(e -> e.eventBusName(bus).source(source)
                .detailType(detailType).detail(detail)));
        if (put.failedEntryCount() > 0) {
            throw new IllegalStateException("PutEvents failed: " + put.entries());
        }
    }

    /** A message sent straight to the queue, bypassing EventBridge: what a misconfigured producer might send. */
    public void sendRaw(String body) {
        sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(body));
    }

    /** Messages in the queue, visible or being handled. */
    public int inQueue() {
        return count(queueUrl);
    }

    public int inDeadLetterQueue() {
        return count(deadLetterUrl);
    }

    private int count(String url) {
        Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    @Override
    public void close() {
        events.close();
        sqs.close();
    }
}
