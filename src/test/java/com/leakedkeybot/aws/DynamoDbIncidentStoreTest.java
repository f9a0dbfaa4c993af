package com.leakedkeybot.aws;

import com.leakedkeybot.audit.AuditEntry;
import com.leakedkeybot.incident.Decision;
import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.IncidentStore;
import com.leakedkeybot.incident.IncidentStoreContract;
import com.leakedkeybot.state.IncidentJson;
import com.leakedkeybot.state.Retention;
import com.leakedkeybot.step.StepId;
import com.leakedkeybot.step.StepKind;
import com.leakedkeybot.step.StepState;
import com.leakedkeybot.testkit.AwsProxy;
import com.leakedkeybot.testkit.AwsTestClients;
import com.leakedkeybot.testkit.SampleIncidents;
import com.leakedkeybot.testkit.StateTables;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
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
    private static DynamoDbClient dynamo;

    private String table;
    private IncidentStore store;

    @BeforeAll
    static void connect() {
        dynamo = AwsTestClients.dynamoDb(StateTables.endpoint());
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
    @Test
    void aChangeWhoseAnswerWasLostIsRecordedOnce() {
        Incident incident = SampleIncidents.offered(SampleIncidents.newId());
        store.create(incident);
        AuditEntry noted = new AuditEntry(SampleIncidents.AT, "U0A", "noted", "ok");

        try (AnswerLost lost = new AnswerLost()) {
            lost.store().update(incident.id(), i -> i.audited(noted));
            assertEquals(2, lost.stateWrites(), "the write was applied, its answer lost, and the SDK sent it again");
        }

        assertEquals(incident.audited(noted), store.find(incident.id()).orElseThrow(), "one entry, not two");
    }

    @Test
    void aClaimWhoseAnswerWasLostIsHeldNotRefused() {
        Incident incident = SampleIncidents.offered(SampleIncidents.newId());
        store.create(incident);
        StepId deactivate = StepId.of(StepKind.DEACTIVATE_KEY);

        Decision<Boolean> claim;
        try (AnswerLost lost = new AnswerLost()) {
            claim = lost.store().decide(incident.id(), i -> {
                StepState step = i.step(deactivate).orElseThrow();
                Incident clicked = i.audited(new AuditEntry(SampleIncidents.AT, "U0APPROVER", "clicked", "seen"));
                return step.claimable()
                        ? new Decision<>(clicked.withStep(step.running("U0APPROVER", SampleIncidents.AT, "bot-1")), true)
                        : new Decision<>(clicked, false);
            });
            assertEquals(2, lost.stateWrites(), "the claim was applied, its answer lost, and the SDK sent it again");
        }

        assertTrue(claim.value(), "the click that claimed the step is told so");
        Incident stored = store.find(incident.id()).orElseThrow();
        assertTrue(stored.step(deactivate).orElseThrow().heldAs(claim.incident().step(deactivate).orElseThrow()));
        assertEquals(incident.audit().size() + 1, stored.audit().size(), "one click, one entry");
    }

    @Test
    void aCreationWhoseAnswerWasLostSucceeds() {
        Incident incident = SampleIncidents.offered(SampleIncidents.newId());

        try (AnswerLost lost = new AnswerLost()) {
            lost.store().create(incident);
            assertEquals(2, lost.stateWrites());
        }

        assertEquals(incident, store.find(incident.id()).orElseThrow());
    }

    /**
     * A store on the same table whose first STATE write reaches DynamoDB and is applied, but whose answer is lost: the
     * SDK sends it again, and the retry's condition fails on the write's own result.
     */
    private final class AnswerLost implements AutoCloseable {
        private final AtomicInteger stateWrites = new AtomicInteger();
        private final AwsProxy proxy = AwsProxy.losingAnswers(StateTables.endpoint(),
                body -> body.contains("\"Item\"") && body.contains("\"sk\":{\"S\":\"STATE\"}")
                        && stateWrites.incrementAndGet() == 1);
        private final DynamoDbClient client = AwsTestClients.dynamoDb(proxy.endpoint());

        IncidentStore store() {
            return new DynamoDbIncidentStore(client, table, JSON, Retention.ofClosedIncidents(Duration.ofDays(90)));
        }

        int stateWrites() {
            return stateWrites.get();
        }

        @Override
        public void close() {
            client.close();
            proxy.close();
        }
    }
}
