package com.leakedkeybot.aws;

import com.leakedkeybot.audit.AuditEntry;
import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.IncidentStore;
import com.leakedkeybot.incident.IncidentStoreContract;
import com.leakedkeybot.state.IncidentJson;
import com.leakedkeybot.state.Retention;
import com.leakedkeybot.testkit.AwsProxy;
import com.leakedkeybot.testkit.AwsTestClients;
import com.leakedkeybot.testkit.MotoServer;
import com.leakedkeybot.testkit.SampleIncidents;
import com.leakedkeybot.testkit.StateTables;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;


/** The store contract on DynamoDB (moto), plus the table layout other tools and operators rely on. */
class DynamoDbIncidentStoreTest extends IncidentStoreContract {

    private static final IncidentJson JSON = new IncidentJson();
    private static AwsProxy oneAtATime;
    private static DynamoDbClient dynamo;

    private String table;
    private IncidentStore store;

    @BeforeAll
    static void connect() {
        oneAtATime = AwsProxy.oneAtATime(MotoServer.shared().endpoint());
        dynamo = AwsTestClients.dynamoDb(oneAtATime.endpoint());
    }

    @AfterAll
    static void disconnect() {
        dynamo.close();
        oneAtATime.close();
    }

    @BeforeEach
    void freshTable() {
        table = StateTables.create(dynamo);
        store = newStore(Retention.ofClosedIncidents(Duration.ofDays(90)));
    }

    private DynamoDbIncidentStore newStore(Retention retention) {
        return new DynamoDbIncidentStore(dynamo, table, JSON, retention);
    }

    @Override
    protected IncidentStore store() {
        return store;
    }

    @Override
    protected IncidentStore reopen() {
        store = newStore(Retention.ofClosedIncidents(Duration.ofDays(90)));
        return store;
    }

    private List<Map<String, AttributeValue>> items(Incident incident) {
        return dynamo.query(r -> r.tableName(table).keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("INCIDENT#" + incident.id())))).items();
    }

    @Test
    void everyAuditEntryIsAnItemOfItsOwnAndTheStateItemCarriesAVersion() {
        Incident incident = SampleIncidents.offered(SampleIncidents.newId());
        store.create(incident);
        store.update(incident.id(), i -> i.audited(new AuditEntry(SampleIncidents.AT, "U0A", "noted", "ok")));

        List<Map<String, AttributeValue>> items = items(incident);

        assertEquals(List.of("AUDIT#000000", "AUDIT#000001", "AUDIT#000002", "STATE"),
                items.stream().map(i -> i.get("sk").s()).toList());
        assertEquals("noted", JSON.readEntry(items.get(2).get("entry").s()).action());
        Map<String, AttributeValue> state = items.get(3);
        assertEquals("2", state.get("version").n());
        assertFalse(state.get("incident").s().contains("\"audit\""), "the trail lives in its own items");
        assertFalse(state.containsKey(DynamoDbIncidentStore.TTL_ATTRIBUTE), "open incidents never expire");
    }

    @Test
    void aClosedIncidentExpiresWithItsWholeTrail() {
        Incident incident = SampleIncidents.offered(SampleIncidents.newId());
        store.create(incident);
        Instant closedAt = Instant.parse("2026-12-01T00:00:00Z");
        DynamoDbIncidentStore closing = newStore(Retention.ofClosedIncidents(Duration.ofDays(30)));

        closing.update(incident.id(), i -> i.audited(new AuditEntry(closedAt, "U0A", "closed", "ok")).closed(closedAt));

        String expiry = String.valueOf(closedAt.plus(Duration.ofDays(30)).getEpochSecond());
        List<Map<String, AttributeValue>> items = items(incident);
        assertEquals(4, items.size());
        for (Map<String, AttributeValue> item : items) {
            assertEquals(expiry, item.get(DynamoDbIncidentStore.TTL_ATTRIBUTE).n(), item.get("sk").s());
        }
    }

    @Test
    void aNoOpChangeWritesNothing() {
        Incident incident = SampleIncidents.offered(SampleIncidents.newId());
        store.create(incident);

        store.update(incident.id(), i -> i);

        assertTrue(items(incident).stream().anyMatch(i -> i.get("sk").s().equals("STATE")
                && i.get("version").n().equals("1")));
    }
}
