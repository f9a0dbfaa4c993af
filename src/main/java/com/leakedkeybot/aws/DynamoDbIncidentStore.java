package com.leakedkeybot.aws;

import com.leakedkeybot.audit.AuditEntry;
import com.leakedkeybot.incident.Decision;
import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.IncidentId;
import com.leakedkeybot.incident.IncidentStore;
import com.leakedkeybot.incident.ThreadRef;
import com.leakedkeybot.state.IncidentJson;
import com.leakedkeybot.state.Retention;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
 * uncopied is copied by the next writer, and read from {@code pending} meanwhile. No transaction is needed.
 *
 * <p>Whatever the attacker left in the findings, the STATE item stays small: when the incident's fields and pending
 * entries outgrow {@link #INLINE_BYTES}, the largest are kept apart, as {@link StateParts} in the same partition,
 * written before the STATE item that names them. A part is kept as long as its text is unchanged (the findings,
 * mostly), so a click rewrites only what it changed; a part no longer named is deleted by the writer that replaced
 * it, or by the one that lost the race to write it; what a crash leaves behind is deleted when the incident closes.
 *
 * <p>Every change has an id, the same in all its attempts, and the STATE item names the latest ones
 * ({@code changes}). When the SDK retries a conditional write whose first attempt landed but whose answer was lost,
 * the retry fails its condition; finding its own id in the item, the store counts the change as written rather than
 * applying it a second time.
 *
 * <p>Sparse attributes feed two KEYS_ONLY indexes: {@code thread} (index {@code byThread}) and {@code inFlight}
 * (index {@code inFlight}: {@code yes} while a step is RUNNING or RECONCILING, else {@code watch} while the
 * incident's CloudTrail is watched, absent otherwise). {@code expiresAt} (epoch seconds,
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
    /** The same sparse attribute, for a watched incident with no step in flight: no index needs adding. */
    private static final String WATCHED = "watch";
    private static final int MAX_ATTEMPTS = 50;
    /**
     * How many of the latest changes the STATE item names. The SDK retries a write within seconds, so a retry whose
     * first attempt landed finds its change among these even if other writers came in between.
     */
    private static final int CHANGES_KEPT = 20;
    /**
     * The STATE item's attributes that grow with the incident: its fields ({@code incident.<field>}) and the pending
     * audit entries. Beyond this many bytes, the largest are kept apart ({@link StateParts}), so the STATE item stays
     * below about 70 KB.
     */
    private static final int INLINE_BYTES = 64 * 1024;
    private static final String FIELD = "incident.";
    private static final String PENDING = "pending";
    /** What holds the incident's fields when some of them are kept apart. */
    private static final String INCIDENT_REST = "incidentRest";
    private static final String OPEN_KEY = "OPEN";

    private final DynamoDbClient dynamo;
    private final String table;
    private final IncidentJson json;
    private final Retention retention;
    private final StateParts parts;

    /**
     * The incident as stored: its version, the first audit entry not yet in an item of its own, the ids of the latest
     * changes written (oldest first), and the parts its STATE item names.
     */
    private record Stored(Incident incident, long version, int firstUncopied, boolean expiring, List<String> changes,
                          Map<String, StateParts.Part> parts) {
    }

    public DynamoDbIncidentStore(DynamoDbClient dynamo, String table, IncidentJson json, Retention retention) {
        this.dynamo = dynamo;
        this.table = table;
        this.json = json;
        this.retention = retention;
        this.parts = new StateParts(dynamo, table);
    }

    @Override
    public void create(Incident incident) {
        if (!write(incident, null, newChangeId())) {
            throw new IllegalStateException("incident " + incident.id() + " exists already");
        }
    }

    /**
     * A key's open incident is named by an item of its own ({@code KEY#<key id>}), claimed with a conditional put
     * before the incident is written. It is never deleted: a claim naming an incident that is closed (or that was
     * never written, when a process died between the two writes) is taken over, conditionally again.
     */
    @Override
    public Optional<IncidentId> createUnlessOpen(Incident incident) {
        String key = "KEY#" + incident.keyId().value();
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Optional<IncidentId> claimedBy = claimant(key);
            if (claimedBy.isPresent() && find(claimedBy.get()).filter(i -> !i.isClosed()).isPresent()) {
                return claimedBy;
            }
            if (claim(key, incident.id(), claimedBy)) {
                create(incident);
                return Optional.empty();
            }
            backOff(attempt);
        }
        throw new IllegalStateException("the open incident of key " + incident.keyId().masked() + " kept changing");
    }

    private Optional<IncidentId> claimant(String key) {
        try {
            return dynamo.query(r -> r.tableName(table).consistentRead(true).keyConditionExpression("pk = :pk")
                    .expressionAttributeValues(Map.of(":pk", s(key)))).items().stream().findFirst()
                    .map(item -> new IncidentId(item.get("incident").s()));
        } catch (SdkException e) {
            throw AwsFailures.of("dynamodb:Query", e);
        }
    }

    /** @return false when another writer changed the claim since {@code previous} was read */
    private boolean claim(String key, IncidentId incident, Optional<IncidentId> previous) {
        Map<String, AttributeValue> item = Map.of("pk", s(key), "sk", s(OPEN_KEY), "incident", s(incident.value()));
        try {
            if (previous.isEmpty()) {
                dynamo.putItem(r -> r.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
            } else {
                dynamo.putItem(r -> r.tableName(table).item(item).conditionExpression("incident = :previous")
                        .expressionAttributeValues(Map.of(":previous", s(previous.get().value()))));
            }
            return true;
        } catch (ConditionalCheckFailedException lost) {
            return false;
        } catch (SdkException e) {
            throw AwsFailures.of("dynamodb:PutItem", e);
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

    /**
     * Each key's claim item names its latest incident, and every open incident holds its key's claim: a Scan for the
     * claims, then each incident read, finds them all. A Scan reads the whole table, which a person's rare question
     * can afford.
     */
    @Override
    public List<IncidentId> open() {
        try {
            List<IncidentId> claimants = new ArrayList<>();
            for (Map<String, AttributeValue> item : dynamo.scanPaginator(r -> r.tableName(table)
                    .filterExpression("sk = :open").projectionExpression("incident")
                    .expressionAttributeValues(Map.of(":open", s(OPEN_KEY)))).items()) {
                claimants.add(new IncidentId(item.get("incident").s()));
            }
            return claimants.stream().filter(id -> find(id).filter(i -> !i.isClosed()).isPresent()).toList();
        } catch (SdkException e) {
            throw AwsFailures.of("dynamodb:Scan", e);
        }
    }

    @Override
    public List<IncidentId> withStepsInFlight() {
        return idsIn(IN_FLIGHT_INDEX, "inFlight", IN_FLIGHT);
    }

    /** Watched incidents, and those with a step in flight (which may be watched too: the caller checks). */
    @Override
    public List<IncidentId> watched() {
        List<IncidentId> ids = new ArrayList<>(idsIn(IN_FLIGHT_INDEX, "inFlight", WATCHED));
        ids.addAll(withStepsInFlight());
        return ids;
    }

    /**
     * Reads the incident: one consistent Query for its trail and STATE item, then the parts the STATE item names. A
     * part that a later change superseded, and deleted, in between makes it read the incident again.
     */
    private Optional<Stored> load(IncidentId id) {
        for (long partsMissingAt = -1; ; ) {
            Map<String, AttributeValue> state = null;
            Map<Integer, AuditEntry> copied = new HashMap<>();
            try {
                for (Map<String, AttributeValue> item : dynamo.queryPaginator(r -> r.tableName(table)
                        .consistentRead(true).keyConditionExpression("pk = :pk AND sk <= :state")
                        .expressionAttributeValues(Map.of(":pk", s(pk(id)), ":state", s(STATE)))).items()) {
                    String sk = item.get("sk").s();
                    if (sk.equals(STATE)) {
                        state = item;
                    } else if (sk.startsWith(AUDIT)) {
                        copied.put(Integer.parseInt(sk.substring(AUDIT.length())),
                                json.readEntry(item.get("entry").s()));
                    }
                }
            } catch (SdkException e) {
                throw AwsFailures.of("dynamodb:Query", e);
            }
            if (state == null) {
                return Optional.empty();
            }
            long version = Long.parseLong(state.get("version").n());
            Map<String, StateParts.Part> named = StateParts.of(state);
            Map<String, String> apart = new HashMap<>();
            named.forEach((name, part) -> parts.read(pk(id), part).ifPresent(text -> apart.put(name, text)));
            if (apart.size() == named.size()) {
                return Optional.of(stored(id, state, copied, named, apart));
            }
            if (version == partsMissingAt) {
                throw new IllegalStateException("parts of incident " + id + " are missing at version " + version);
            }
            partsMissingAt = version;
        }
    }

    /** The incident from its STATE item, the entries copied to their own items, and the parts, read. */
    private Stored stored(IncidentId id, Map<String, AttributeValue> state, Map<Integer, AuditEntry> copied,
                          Map<String, StateParts.Part> named, Map<String, String> apart) {
        int count = Integer.parseInt(state.get("auditCount").n());
        int pendingFrom = Integer.parseInt(state.get("pendingFrom").n());
        List<AuditEntry> pending = json.readEntries(state.containsKey(PENDING) ? state.get(PENDING).s()
                : apart.get(PENDING));
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
        Map<String, String> fieldsApart = new HashMap<>();
        apart.forEach((name, text) -> {
            if (name.startsWith(FIELD)) {
                fieldsApart.put(name.substring(FIELD.length()), text);
            }
        });
        String rest = state.containsKey("incident") ? state.get("incident").s() : state.get(INCIDENT_REST).s();
        return new Stored(json.readState(rest, fieldsApart, audit), Long.parseLong(state.get("version").n()),
                firstUncopied, state.containsKey(TTL_ATTRIBUTE), changes(state), named);
    }

    /**
     * Writes the incident's next STATE item, as change {@code change} (the same id in every attempt of one change),
     * after the parts it names that are new.
     *
     * @return false when another writer got there first (the incident exists, or its version moved on)
     */
    private boolean write(Incident incident, Stored previous, String change) {
        String pk = pk(incident.id());
        long read = previous == null ? 0 : previous.version();
        List<AuditEntry> audit = incident.audit();
        int pendingFrom = previous == null ? 0 : previous.firstUncopied();
        Optional<Instant> expiresAt = retention.expiresAt(incident);
        // A closing change stamps the expiry on what was written before it, so the whole incident expires together.
        boolean expiryIsNew = expiresAt.isPresent() && (previous == null || !previous.expiring());
        Map<String, String> fields = json.writeStateFields(incident);
        Map<String, String> growing = new LinkedHashMap<>();
        fields.forEach((field, text) -> growing.put(FIELD + field, text));
        growing.put(PENDING, json.writeEntries(audit.subList(pendingFrom, audit.size())));
        Map<String, StateParts.Part> previousParts = previous == null ? Map.of() : previous.parts();
        Map<String, StateParts.Part> named = new LinkedHashMap<>();
        for (String name : keptApart(growing)) {
            String text = growing.get(name);
            StateParts.Part part = previousParts.get(name);
            // A closing change writes its parts again, with the expiry.
            named.put(name, part != null && !expiryIsNew && part.holds(text) ? part
                    : parts.write(pk, read, change, name, text, expiresAt));
        }
        Map<String, String> inline = new LinkedHashMap<>(fields);
        inline.keySet().removeIf(field -> named.containsKey(FIELD + field));
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", s(pk));
        item.put("sk", s(STATE));
        item.put("version", n(read + 1));
        // Not "incident" when fields are apart: a replica that predates parts fails on the item rather than read an
        // incident without its findings and write that back.
        item.put(inline.size() == fields.size() ? "incident" : INCIDENT_REST, s(json.joinFields(inline)));
        item.put("auditCount", n(audit.size()));
        item.put("pendingFrom", n(pendingFrom));
        if (!named.containsKey(PENDING)) {
            item.put(PENDING, s(growing.get(PENDING)));
        }
        if (!named.isEmpty()) {
            item.put("parts", StateParts.attribute(named));
        }
        if (incident.thread() != null) {
            item.put("thread", s(threadKey(incident.thread())));
        }
        if (incident.hasStepInFlight()) {
            item.put("inFlight", s(IN_FLIGHT));
        } else if (incident.watched()) {
            item.put("inFlight", s(WATCHED));
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
                        .expressionAttributeValues(Map.of(":read", n(read))));
            }
        } catch (ConditionalCheckFailedException lost) {
            // Also what the SDK's retry of a write that landed, but whose answer was lost, gets: its own result
            // fails its condition. Only the change id tells that apart from another writer's change.
            if (!landed(incident.id(), change)) {
                parts.delete(pk, onlyIn(named, previousParts));
                return false;
            }
        } catch (SdkException e) {
            throw AwsFailures.of("dynamodb:PutItem", e);
        }
        parts.delete(pk, onlyIn(previousParts, named));
        if (expiryIsNew) {
            parts.sweep(pk, read + 1, named.values());
        }
        copyAudit(incident, expiryIsNew ? 0 : pendingFrom, expiresAt);
        return true;
    }

    private static List<StateParts.Part> onlyIn(Map<String, StateParts.Part> these,
                                                Map<String, StateParts.Part> notThose) {
        return these.values().stream().filter(part -> !notThose.containsValue(part)).toList();
    }

    /**
     * Which of the attributes that grow with the incident are kept apart: the largest, as many as must go for the
     * rest to fit in {@link #INLINE_BYTES}.
     */
    private static List<String> keptApart(Map<String, String> growing) {
        Map<String, Integer> bytes = new HashMap<>();
        growing.forEach((name, text) -> bytes.put(name, text.getBytes(StandardCharsets.UTF_8).length));
        long inline = bytes.values().stream().mapToLong(Integer::longValue).sum();
        List<String> apart = new ArrayList<>();
        for (String name : growing.keySet().stream()
                .sorted(Comparator.comparing(bytes::get, Comparator.reverseOrder())).toList()) {
            if (inline <= INLINE_BYTES) {
                break;
            }
            apart.add(name);
            inline -= bytes.get(name);
        }
        return apart;
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
