package com.leakedkeybot.aws;

import com.leakedkeybot.audit.AuditEntry;
import com.leakedkeybot.incident.Decision;
import com.leakedkeybot.incident.Findings;
import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.IncidentId;
import com.leakedkeybot.incident.IncidentStore;
import com.leakedkeybot.incident.IncidentStoreContract;
import com.leakedkeybot.investigation.AffectedResource;
import com.leakedkeybot.sandbox.MotoServer;
import com.leakedkeybot.state.IncidentJson;
import com.leakedkeybot.state.Retention;
import com.leakedkeybot.step.StepId;
import com.leakedkeybot.step.StepKind;
import com.leakedkeybot.step.StepState;
import com.leakedkeybot.testkit.AwsProxy;
import com.leakedkeybot.testkit.AwsTestClients;
import com.leakedkeybot.testkit.SampleIncidents;
import com.leakedkeybot.testkit.SharedMoto;
import com.leakedkeybot.testkit.StateTables;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
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
        oneAtATime = AwsProxy.oneAtATime(SharedMoto.get().endpoint());
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
        return dynamo.queryPaginator(r -> r.tableName(table).keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("INCIDENT#" + incident.id()))))
                .items().stream().toList();
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

        try (Replica lost = new Replica(losingTheFirstWritesAnswer())) {
            lost.store().update(incident.id(), i -> i.audited(noted));
            assertSentAgain(lost.calls());
        }

        assertEquals(incident.audited(noted), store.find(incident.id()).orElseThrow(), "one entry, not two");
    }

    @Test
    void aClaimWhoseAnswerWasLostIsHeldNotRefused() {
        Incident incident = SampleIncidents.offered(SampleIncidents.newId());
        store.create(incident);
        StepId deactivate = StepId.of(StepKind.DEACTIVATE_KEY);

        Decision<Boolean> claim;
        try (Replica lost = new Replica(losingTheFirstWritesAnswer())) {
            claim = lost.store().decide(incident.id(), i -> {
                StepState step = i.step(deactivate).orElseThrow();
                Incident clicked = i.audited(new AuditEntry(SampleIncidents.AT, "U0APPROVER", "clicked", "seen"));
                return step.claimable()
                        ? new Decision<>(clicked.withStep(step.running("U0APPROVER", SampleIncidents.AT, "bot-1")), true)
                        : new Decision<>(clicked, false);
            });
            assertSentAgain(lost.calls());
        }

        assertTrue(claim.value(), "the click that claimed the step is told so");
        Incident stored = store.find(incident.id()).orElseThrow();
        assertTrue(stored.step(deactivate).orElseThrow().heldAs(claim.incident().step(deactivate).orElseThrow()));
        assertEquals(incident.audit().size() + 1, stored.audit().size(), "one click, one entry");
    }

    @Test
    void aCreationWhoseAnswerWasLostSucceeds() {
        Incident incident = SampleIncidents.offered(SampleIncidents.newId());

        try (Replica lost = new Replica(losingTheFirstWritesAnswer())) {
            lost.store().create(incident);
            assertSentAgain(lost.calls());
        }

        assertEquals(incident, store.find(incident.id()).orElseThrow());
    }

    @Test
    void anIncidentWhateverItsFindingsHoldIsStoredReadBackAndChangedWhileItsStateItemStaysSmall() {
        Incident attacked = attackedAtScale(SampleIncidents.newId());
        assertTrue(JSON.write(attacked).length() > 3_000_000, "several MB of JSON");

        store.create(attacked);
        assertEquals(attacked, store.find(attacked.id()).orElseThrow());
        Incident claimed = store.update(attacked.id(), claimCleanUp(0, "U0APPROVER"));
        Incident noted = store.update(attacked.id(),
                i -> i.audited(new AuditEntry(SampleIncidents.AT, "U0A", "noted", "ok")));

        assertEquals(StepState.Status.RUNNING, claimed.step(cleanUp(0)).orElseThrow().status());
        assertEquals(noted, store.find(attacked.id()).orElseThrow());
        assertEquals(noted, reopen().find(attacked.id()).orElseThrow());
        Map<String, AttributeValue> state = stateItem(attacked);
        assertTrue(itemSize(state) < 80_000, "the STATE item holds " + itemSize(state) + " bytes");
        assertTrue(items(attacked).stream().allMatch(i -> itemSize(i) < 300_000), "every item far below 400 KB");
        assertEquals(partKeysNamedBy(state), partKeysIn(items(attacked)), "parts superseded by the claim are gone");
    }

    @Test
    void aReaderWhosePartsWereSupersededMeanwhileReadsTheIncidentAgain() {
        Incident attacked = attackedAtScale(SampleIncidents.newId());
        store.create(attacked);
        AtomicBoolean superseded = new AtomicBoolean();
        AtomicInteger queries = new AtomicInteger();
        // At the reader's second Query, its first for a part: it has read the STATE item, and another replica's claim
        // replaces the steps part before the reader gets to it.
        try (Replica reader = new Replica(runningFirst(
                operation -> operation.equals("dynamodb:Query") && queries.incrementAndGet() == 2, superseded,
                () -> store.update(attacked.id(), claimCleanUp(0, "U0OTHER"))))) {

            Incident read = reader.store().find(attacked.id()).orElseThrow();

            assertTrue(superseded.get());
            assertEquals(StepState.Status.RUNNING, read.step(cleanUp(0)).orElseThrow().status());
            assertEquals(store.find(attacked.id()).orElseThrow(), read);
        }
    }

    @Test
    void aChangeThatLostTheRaceLeavesNoPartsBehind() {
        Incident attacked = attackedAtScale(SampleIncidents.newId());
        store.create(attacked);
        AtomicBoolean overtaken = new AtomicBoolean();
        // Just before this change writes anything, another replica's change gets there first.
        try (Replica loser = new Replica(runningFirst(operation -> operation.equals("dynamodb:PutItem"), overtaken,
                () -> store.update(attacked.id(), claimCleanUp(1, "U0OTHER"))))) {

            loser.store().update(attacked.id(), claimCleanUp(0, "U0APPROVER"));
        }

        assertTrue(overtaken.get());
        Incident after = store.find(attacked.id()).orElseThrow();
        assertEquals(StepState.Status.RUNNING, after.step(cleanUp(0)).orElseThrow().status());
        assertEquals(StepState.Status.RUNNING, after.step(cleanUp(1)).orElseThrow().status());
        assertEquals(partKeysNamedBy(stateItem(attacked)), partKeysIn(items(attacked)));
    }

    @Test
    void closingExpiresEveryPartAndRemovesThoseLeftBehind() {
        Incident attacked = attackedAtScale(SampleIncidents.newId());
        store.create(attacked);
        // A replica that cannot delete (its role lacks dynamodb:DeleteItem, say) leaves the steps part its claim replaced.
        try (Replica withoutDeletes = new Replica(AwsProxy.start(oneAtATime.endpoint(),
                operation -> !operation.equals("dynamodb:DeleteItem")), AwsTestClients::dynamoDbWithoutRetries)) {
            withoutDeletes.store().update(attacked.id(), claimCleanUp(0, "U0APPROVER"));
        }
        assertTrue(partKeysIn(items(attacked)).size() > partKeysNamedBy(stateItem(attacked)).size(), "left behind");
        Instant closedAt = Instant.parse("2026-12-01T00:00:00Z");

        newStore(Retention.ofClosedIncidents(Duration.ofDays(30))).update(attacked.id(),
                i -> i.audited(new AuditEntry(closedAt, "U0A", "closed", "ok")).closed(closedAt));

        String expiry = String.valueOf(closedAt.plus(Duration.ofDays(30)).getEpochSecond());
        for (Map<String, AttributeValue> item : items(attacked)) {
            assertTrue(item.containsKey(DynamoDbIncidentStore.TTL_ATTRIBUTE), item.get("sk").s() + " never expires");
            assertEquals(expiry, item.get(DynamoDbIncidentStore.TTL_ATTRIBUTE).n(), item.get("sk").s());
        }
        assertEquals(partKeysNamedBy(stateItem(attacked)), partKeysIn(items(attacked)));
    }

    private Map<String, AttributeValue> stateItem(Incident incident) {
        return items(incident).stream().filter(i -> i.get("sk").s().equals("STATE")).findFirst().orElseThrow();
    }

    /** The parts the STATE item names, as their chunks' keys. */
    private static Set<String> partKeysNamedBy(Map<String, AttributeValue> state) {
        Set<String> keys = new TreeSet<>();
        state.get("parts").m().values().forEach(part -> {
            for (int i = 0; i < Integer.parseInt(part.m().get("chunks").n()); i++) {
                keys.add(part.m().get("key").s() + "#%03d".formatted(i));
            }
        });
        return keys;
    }

    private static Set<String> partKeysIn(List<Map<String, AttributeValue>> items) {
        return items.stream().map(i -> i.get("sk").s()).filter(sk -> sk.startsWith("STATE#"))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private DynamoDbIncidentStore storeOn(DynamoDbClient client) {
        return new DynamoDbIncidentStore(client, table, JSON, Retention.ofClosedIncidents(Duration.ofDays(90)));
    }

    /** What a click on clean-up step {@code n} changes, as {@link #attackedAtScale} names the steps. */
    private static UnaryOperator<Incident> claimCleanUp(int n, String approver) {
        return i -> i.withStep(i.step(cleanUp(n)).orElseThrow().running(approver, SampleIncidents.AT, "bot-1"))
                .audited(new AuditEntry(SampleIncidents.AT, approver, "approved " + cleanUp(n).label(), "executing"));
    }

    private static StepId cleanUp(int n) {
        return new StepId(StepKind.CLEAN_UP, "IAM_USER|us-east-1||%04d-%s".formatted(n, "u".repeat(59)));
    }

    /**
     * An attacker's worst: 2,000 objects written under 1 KB keys fill the findings, and 2,000 resources created under
     * long names would each get a clean-up step.
     */
    private static Incident attackedAtScale(IncidentId id) {
        List<AffectedResource> objects = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            objects.add(new AffectedResource(AffectedResource.Kind.S3_OBJECT, "%04d/%s".formatted(i, "k".repeat(1_019)),
                    "victim-bucket", AffectedResource.Action.CHANGED, "us-east-1", "PutObject", "event-" + i,
                    SampleIncidents.AT, SampleIncidents.KEY.value(), null, "version-" + i));
        }
        Incident incident = SampleIncidents.offered(id)
                .withFindings(new Findings(null, SampleIncidents.AT, 2_000, objects, List.of(), List.of(), List.of()));
        for (int i = 0; i < 2_000; i++) {
            incident = incident.withStep(StepState.offered(cleanUp(i), "1700000001.%06d".formatted(i)));
        }
        return incident;
    }

    /** An item's size as DynamoDB counts it: names and values in bytes (numbers counted generously, as text). */
    private static long itemSize(Map<String, AttributeValue> item) {
        return item.entrySet().stream().mapToLong(a -> bytes(a.getKey()) + size(a.getValue())).sum();
    }

    private static long size(AttributeValue value) {
        return switch (value.type()) {
            case S -> bytes(value.s());
            case N -> value.n().length();
            case L -> 3 + value.l().stream().mapToLong(v -> 1 + size(v)).sum();
            case M -> 3 + itemSize(value.m()) + value.m().size();
            default -> throw new AssertionError("not stored by the bot: " + value.type());
        };
    }

    private static long bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    /**
     * The first write (the STATE item's, for an incident without parts) reaches DynamoDB and is applied, but its
     * answer is lost: the SDK sends it again, and the retry's condition fails on the write's own result.
     */
    private static AwsProxy losingTheFirstWritesAnswer() {
        AtomicBoolean lost = new AtomicBoolean();
        return AwsProxy.losingAnswers(oneAtATime.endpoint(),
                operation -> operation.equals("dynamodb:PutItem") && lost.compareAndSet(false, true));
    }

    /** The first write was sent again right away: the path a lost answer takes was taken. */
    private static void assertSentAgain(List<String> calls) {
        assertEquals("dynamodb:PutItem", calls.get(calls.indexOf("dynamodb:PutItem") + 1), calls.toString());
    }

    /** Lets {@code meanwhile} run just before the first request {@code at} matches. */
    private static AwsProxy runningFirst(Predicate<String> at, AtomicBoolean happened, Runnable meanwhile) {
        return AwsProxy.start(oneAtATime.endpoint(), operation -> {
            if (at.test(operation) && happened.compareAndSet(false, true)) {
                meanwhile.run();
            }
            return true;
        });
    }

    /** Another replica's store on the same table, reaching it through {@code proxy}. */
    private final class Replica implements AutoCloseable {
        private final AwsProxy proxy;
        private final DynamoDbClient client;

        Replica(AwsProxy proxy) {
            this(proxy, AwsTestClients::dynamoDb);
        }

        Replica(AwsProxy proxy, Function<URI, DynamoDbClient> clients) {
            this.proxy = proxy;
            this.client = clients.apply(proxy.endpoint());
        }

        IncidentStore store() {
            return storeOn(client);
        }

        List<String> calls() {
            return proxy.calls();
        }

        @Override
        public void close() {
            client.close();
            proxy.close();
        }
    }
}
