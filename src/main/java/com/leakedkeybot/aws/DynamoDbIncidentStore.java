package com.leakedkeybot.aws;

import com.leakedkeybot.audit.AuditEntry;
import com.leakedkeybot.incident.Decision;
import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.IncidentId;
import com.leakedkeybot.incident.IncidentStore;
import com.leakedkeybot.incident.ThreadRef;
import com.leakedkeybot.state.IncidentJson;
import com.leakedkeybot.state.Retention;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Incident state shared by every replica, in one DynamoDB table (STATE_TABLE). Per incident, partition
 * {@code pk = INCIDENT#<id>} holds:
 * <ul>
 *   <li>{@code sk = STATE}: the incident without its audit trail, and {@code version}. Every change is a read, then a
 *   {@code PutItem} conditioned on the version read: of two replicas changing the same incident at once exactly one
 *   succeeds, and the other re-reads and re-applies its change to the winner's result. That is how one click, and one
 *   only, claims a step.</li>
 *   <li>{@code sk = AUDIT#<000000 index>}: one immutable item per audit entry, written with
 *   {@code attribute_not_exists}, so no entry can be overwritten.</li>
 * </ul>
 * New entries travel inside the conditional STATE write ({@code pending}, from index {@code pendingFrom}), so they are
 * committed together with the change they record, and are then copied to their own items; whatever a crash leaves
 * uncopied is copied by the next writer, and read from {@code pending} meanwhile. No transaction is needed, and the
 * bot needs only {@code PutItem} and {@code Query}.
 *
 * <p>Every change has an id, the same in all its attempts, and the STATE item names the latest ones
 * ({@code changes}). When the SDK retries a conditional write whose first attempt landed but whose answer was lost,
 * the retry fails its condition; finding its own id in the item, the store counts the change as written rather than
 * applying it a second time.
 *
 * <p>Sparse attributes feed two KEYS_ONLY indexes: {@code thread} (index {@code byThread}) and {@code inFlight}
 * (index {@code inFlight}, present only while a step is RUNNING or RECONCILING). {@code expiresAt} (epoch seconds,
 * the table's TTL attribute) is set on every item of a closed incident.
 */
public final class DynamoDbIncidentStore implements IncidentStore {

    public static final String THREAD_INDEX = "byThread";
    public static final String IN_FLIGHT_INDEX = "inFlight";
    public static final String TTL_ATTRIBUTE = "expiresAt";

    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbIncidentStore.class);
    private static final String STATE = "STATE";
    private static final String AUDIT = "AUDIT#";
    private static final String IN_FLIGHT = "yes";
    private static final int MAX_ATTEMPTS = 50;
    /**
     * How many of the latest changes the STATE item names. The SDK retries a write within seconds, so a retry whose
     * first attempt landed finds its change among these even if other writers came in between.
     */
    private static final int CHANGES_KEPT = 20;

    private final DynamoDbClient dynamo;
    private final String table;
    private final IncidentJson json;
    private final Retention retention;

    /**
     * The incident as stored: its version, the first audit entry not yet in an item of its own, and the ids of the
     * latest changes written, oldest first.
     */
    private record Stored(Incident incident, long version, int firstUncopied, boolean expiring, List<String> changes) {
    }

    public DynamoDbIncidentStore(DynamoDbClient dynamo, String table, IncidentJson json, Retention retention) {
        this.dynamo = dynamo;
        this.table = table;
        this.json = json;
        this.retention = retention;
    }

    @Override
    public void create(Incident incident) {
        if (!write(incident, null, newChangeId())) {
            throw new IllegalStateException("incident " + incident.id() + " exists already");
        }
    }

    @Override
    public Optional<Incident> find(IncidentId id) {
        return load(id).map(Stored::incident);
    }

    @Override
    public Optional<Incident> findByThread(ThreadRef thread) {
        return idsIn(THREAD_INDEX, "thread", threadKey(thread)).stream().findFirst().flatMap(this::find);
    }

    @Override
    public <T> Decision<T> decide(IncidentId id, Function<Incident, Decision<T>> change) {
        String changeId = newChangeId();
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Stored current = load(id).orElseThrow(() -> new IllegalArgumentException("no incident " + id));
            Decision<T> decided = change.apply(current.incident());
            Incident next = decided.incident();
            if (next.equals(current.incident())) {
                return Decision.unchanged(current.incident(), decided.value());
            }
            if (!next.id().equals(id)) {
                throw new IllegalStateException("a change may not rename incident " + id);
            }
            next.auditSince(current.incident());
            if (write(next, current, changeId)) {
                return decided;
            }
            backOff(attempt);
        }
        throw new IllegalStateException("incident " + id + " kept changing under " + MAX_ATTEMPTS + " attempts");
    }

    @Override
    public List<IncidentId> withStepsInFlight() {
        return idsIn(IN_FLIGHT_INDEX, "inFlight", IN_FLIGHT);
    }

    private Optional<Stored> load(IncidentId id) {
        Map<String, AttributeValue> state = null;
        Map<Integer, AuditEntry> copied = new HashMap<>();
        try {
            for (Map<String, AttributeValue> item : dynamo.queryPaginator(r -> r.tableName(table).consistentRead(true)
                    .keyConditionExpression("pk = :pk")
                    .expressionAttributeValues(Map.of(":pk", s(pk(id))))).items()) {
                String sk = item.get("sk").s();
                if (sk.equals(STATE)) {
                    state = item;
                } else if (sk.startsWith(AUDIT)) {
                    copied.put(Integer.parseInt(sk.substring(AUDIT.length())), json.readEntry(item.get("entry").s()));
                }
            }
        } catch (SdkException e) {
            throw AwsFailures.of("dynamodb:Query", e);
        }
        if (state == null) {
            return Optional.empty();
        }
        int count = Integer.parseInt(state.get("auditCount").n());
        int pendingFrom = Integer.parseInt(state.get("pendingFrom").n());
        List<AuditEntry> pending = json.readEntries(state.get("pending").s());
        List<AuditEntry> audit = new ArrayList<>(count);
        int firstUncopied = count;
        for (int i = 0; i < count; i++) {
            AuditEntry entry = copied.get(i);
            if (entry == null) {
                if (i < pendingFrom) {
                    throw new IllegalStateException("audit entry " + i + " of incident " + id + " is missing");
                }
                firstUncopied = Math.min(firstUncopied, i);
                entry = pending.get(i - pendingFrom);
            }
            audit.add(entry);
        }
        return Optional.of(new Stored(json.readState(state.get("incident").s(), Map.of(), audit),
                Long.parseLong(state.get("version").n()), firstUncopied, state.containsKey(TTL_ATTRIBUTE),
                changes(state)));
    }

    /**
     * Writes the incident's next STATE item, as change {@code change} (the same id in every attempt of one change).
     *
     * @return false when another writer got there first (the incident exists, or its version moved on)
     */
    private boolean write(Incident incident, Stored previous, String change) {
        List<AuditEntry> audit = incident.audit();
        int pendingFrom = previous == null ? 0 : previous.firstUncopied();
        Optional<Instant> expiresAt = retention.expiresAt(incident);
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", s(pk(incident.id())));
        item.put("sk", s(STATE));
        item.put("version", n(previous == null ? 1 : previous.version() + 1));
        item.put("incident", s(json.joinFields(json.writeStateFields(incident))));
        item.put("auditCount", n(audit.size()));
        item.put("pendingFrom", n(pendingFrom));
        item.put("pending", s(json.writeEntries(audit.subList(pendingFrom, audit.size()))));
        if (incident.thread() != null) {
            item.put("thread", s(threadKey(incident.thread())));
        }
        if (incident.hasStepInFlight()) {
            item.put("inFlight", s(IN_FLIGHT));
        }
        expiresAt.ifPresent(at -> item.put(TTL_ATTRIBUTE, n(at.getEpochSecond())));
        List<String> changes = new ArrayList<>(previous == null ? List.of() : previous.changes());
        changes.add(change);
        item.put("changes", AttributeValue.fromL(changes.subList(Math.max(0, changes.size() - CHANGES_KEPT),
                changes.size()).stream().map(DynamoDbIncidentStore::s).toList()));
        try {
            if (previous == null) {
                dynamo.putItem(r -> r.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
            } else {
                dynamo.putItem(r -> r.tableName(table).item(item).conditionExpression("version = :read")
                        .expressionAttributeValues(Map.of(":read", n(previous.version()))));
            }
        } catch (ConditionalCheckFailedException lost) {
            // Also what the SDK's retry of a write that landed, but whose answer was lost, gets: its own result
            // fails its condition. Only the change id tells that apart from another writer's change.
            if (!landed(incident.id(), change)) {
                return false;
            }
        } catch (SdkException e) {
            throw AwsFailures.of("dynamodb:PutItem", e);
        }
        // A closing change stamps the expiry on entries copied before it, so the whole trail expires together.
        boolean expiryIsNew = expiresAt.isPresent() && (previous == null || !previous.expiring());
        copyAudit(incident, expiryIsNew ? 0 : pendingFrom, expiresAt);
        return true;
    }

    /**
     * Gives entries from {@code from} on their own items. The condition lets a write through only where the item is
     * new or holds the identical entry (adding the expiry), so an entry, once written, never changes.
     */
    private void copyAudit(Incident incident, int from, Optional<Instant> expiresAt) {
        List<AuditEntry> audit = incident.audit();
        for (int i = from; i < audit.size(); i++) {
            String entry = json.writeEntry(audit.get(i));
            Map<String, AttributeValue> item = new HashMap<>();
            item.put("pk", s(pk(incident.id())));
            item.put("sk", s(String.format("%s%06d", AUDIT, i)));
            item.put("entry", s(entry));
            expiresAt.ifPresent(at -> item.put(TTL_ATTRIBUTE, n(at.getEpochSecond())));
            try {
                dynamo.putItem(r -> r.tableName(table).item(item)
                        .conditionExpression("attribute_not_exists(pk) OR entry = :entry")
                        .expressionAttributeValues(Map.of(":entry", s(entry))));
            } catch (ConditionalCheckFailedException e) {
                LOG.error("Audit entry {} of incident {} differs from the stored one; the stored one is kept",
                        i, incident.id());
            } catch (SdkException e) {
                // Committed already, inside the STATE item: the next writer copies it.
                LOG.warn("Audit entries of incident {} stay in its state item for now: {}", incident.id(), e.toString());
                return;
            }
        }
    }

    /** Whether the STATE item names {@code change} among its latest changes: that write of ours was applied. */
    private boolean landed(IncidentId id, String change) {
        try {
            return dynamo.query(r -> r.tableName(table).consistentRead(true)
                    .keyConditionExpression("pk = :pk AND sk = :state").projectionExpression("changes")
                    .expressionAttributeValues(Map.of(":pk", s(pk(id)), ":state", s(STATE)))).items().stream()
                    .anyMatch(state -> changes(state).contains(change));
        } catch (SdkException e) {
            throw AwsFailures.of("dynamodb:Query", e);
        }
    }

    /** The latest changes a STATE item names; none in items written before changes were named. */
    private static List<String> changes(Map<String, AttributeValue> state) {
        return state.containsKey("changes")
                ? state.get("changes").l().stream().map(AttributeValue::s).toList() : List.of();
    }

    private static String newChangeId() {
        return UUID.randomUUID().toString();
    }

    private List<IncidentId> idsIn(String index, String attribute, String value) {
        try {
            List<IncidentId> ids = new ArrayList<>();
            for (Map<String, AttributeValue> item : dynamo.queryPaginator(r -> r.tableName(table).indexName(index)
                    .keyConditionExpression("#key = :value")
                    .expressionAttributeNames(Map.of("#key", attribute))
                    .expressionAttributeValues(Map.of(":value", s(value)))).items()) {
                ids.add(new IncidentId(item.get("pk").s().substring("INCIDENT#".length())));
            }
            return ids;
        } catch (SdkException e) {
            throw AwsFailures.of("dynamodb:Query", e);
        }
    }

    /** Jittered, growing pauses, so replicas that collided do not collide again in lockstep. */
    private static void backOff(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 2L << Math.min(attempt, 6)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a contended incident update", e);
        }
    }

    private static String pk(IncidentId id) {
        return "INCIDENT#" + id.value();
    }

    private static String threadKey(ThreadRef thread) {
        return thread.channel() + "/" + thread.rootTs();
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
