package com.leakedkeybot.testkit;

import com.leakedkeybot.aws.DynamoDbIncidentStore;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Creates the bot's state table as README's "State and restarts" section tells operators to (the bot itself never
 * creates tables, so its role needs no table administration). Tests reach their tables through an
 * {@link AwsProxy#oneAtATime} of their own: moto's conditional writes are atomic only in series, and a class's
 * tables are its own, so classes need not wait for each other.
 */
public final class StateTables {

    private StateTables() {
    }

    /** A fresh table with a unique name; returns the name. */
    public static String create(DynamoDbClient dynamo) {
        String name = "leaked-key-bot-state-" + UUID.randomUUID().toString().substring(0, 8);
        dynamo.createTable(r -> r.tableName(name)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("sk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("thread").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("inFlight").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH),
                        k -> k.attributeName("sk").keyType(KeyType.RANGE))
                .globalSecondaryIndexes(keysOnly(DynamoDbIncidentStore.THREAD_INDEX, "thread"),
                        keysOnly(DynamoDbIncidentStore.IN_FLIGHT_INDEX, "inFlight")));
        dynamo.updateTimeToLive(r -> r.tableName(name).timeToLiveSpecification(
                t -> t.attributeName(DynamoDbIncidentStore.TTL_ATTRIBUTE).enabled(true)));
        return name;
    }

    private static GlobalSecondaryIndex keysOnly(String index, String attribute) {
        return GlobalSecondaryIndex.builder().indexName(index)
                .keySchema(k -> k.attributeName(attribute).keyType(KeyType.HASH))
                .projection(p -> p.projectionType(ProjectionType.KEYS_ONLY))
                .build();
    }
}
