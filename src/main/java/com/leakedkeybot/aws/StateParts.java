package com.leakedkeybot.aws;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Large attributes of an incident's STATE item (the findings, the steps, pending audit entries…) kept apart in
 * items of their own under the incident's partition key, so that the STATE item stays far below DynamoDB's 400 KB
 * item limit whatever the attacker left in the findings.
 *
 * <p>A part is JSON text cut into chunks of at most {@link #CHUNK_BYTES} UTF-8 bytes, one item each:
 * {@code sk = STATE#<version the writer read, 10 digits>#<change id>#<name>#<000 index>}, the text in {@code chunk}.
 * That key is new for every write attempt and a chunk is never rewritten, so whatever a STATE item names stays as it
 * was; the STATE item names its parts in {@code parts} (name → key, chunk count, SHA-256 of the text). Keys sort
 * after {@code STATE}, so reading the trail and the STATE item never reads parts.
 */
final class StateParts {

    private static final String PREFIX = "STATE#";
    /** Far below the item limit, with room for the keys. */
    static final int CHUNK_BYTES = 256 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(StateParts.class);
    private static final int BASE_DIGITS = 10;

    /**
     * Where a part is and what it holds.
     *
     * @param key    its chunks' sort key before the index
     * @param sha256 of its text, to tell whether a new text is the same (and then keep the part rather than write it
     *               again) and that its chunks were read whole
     */
    record Part(String key, int chunks, String sha256) {

        boolean holds(String text) {
            return sha256.equals(StateParts.sha256(text));
        }
    }

    private final DynamoDbClient dynamo;
    private final String table;

    StateParts(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** Writes {@code text} as part {@code name} of the write of {@code change} that read version {@code base}. */
    Part write(String pk, long base, String change, String name, String text, Optional<Instant> expiresAt) {
        String key = PREFIX + String.format("%0" + BASE_DIGITS + "d", base) + "#" + change + "#" + name;
        List<String> chunks = chunks(text);
        for (int i = 0; i < chunks.size(); i++) {
            Map<String, AttributeValue> item = new HashMap<>();
            item.put("pk", AttributeValue.fromS(pk));
            item.put("sk", AttributeValue.fromS(chunkKey(key, i)));
            item.put("chunk", AttributeValue.fromS(chunks.get(i)));
            expiresAt.ifPresent(at -> item.put(DynamoDbIncidentStore.TTL_ATTRIBUTE,
                    AttributeValue.fromN(Long.toString(at.getEpochSecond()))));
            try {
                dynamo.putItem(r -> r.tableName(table).item(item));
            } catch (SdkException e) {
                throw AwsFailures.of("dynamodb:PutItem", e);
            }
        }
        return new Part(key, chunks.size(), sha256(text));
    }

    /**
     * The part's text; empty when its chunks are no longer all there: a later change superseded the part and deleted
     * them after the STATE item naming it was read.
     */
    Optional<String> read(String pk, Part part) {
        StringBuilder text = new StringBuilder();
        int chunks = 0;
        try {
            for (Map<String, AttributeValue> item : dynamo.queryPaginator(r -> r.tableName(table).consistentRead(true)
                    .keyConditionExpression("pk = :pk AND begins_with(sk, :key)")
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk),
                            ":key", AttributeValue.fromS(part.key() + "#")))).items()) {
                text.append(item.get("chunk").s());
                chunks++;
            }
        } catch (SdkException e) {
            throw AwsFailures.of("dynamodb:Query", e);
        }
        return chunks == part.chunks() && part.holds(text.toString()) ? Optional.of(text.toString())
                : Optional.empty();
    }

    /** Deletes parts no STATE item names, or ever will; what cannot be deleted now waits for {@link #sweep}. */
    void delete(String pk, Collection<Part> parts) {
        for (Part part : parts) {
            for (int i = 0; i < part.chunks(); i++) {
                if (!deleteItem(pk, chunkKey(part.key(), i))) {
                    return;
                }
            }
        }
    }

    /**
     * Deletes every chunk whose writer read a version before {@code version} and that {@code kept} does not name: the
     * STATE item is at {@code version} and names only {@code kept}, so those writers' STATE writes can never succeed,
     * and their parts (left by a crash, or a deletion that failed) can never be named. Parts written for
     * {@code version} and later may belong to a write still in progress, and are left alone.
     */
    void sweep(String pk, long version, Collection<Part> kept) {
        Set<String> keptKeys = kept.stream().map(Part::key).collect(Collectors.toSet());
        List<String> orphans = new ArrayList<>();
        try {
            for (Map<String, AttributeValue> item : dynamo.queryPaginator(r -> r.tableName(table).consistentRead(true)
                    .keyConditionExpression("pk = :pk AND begins_with(sk, :parts)").projectionExpression("sk")
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk),
                            ":parts", AttributeValue.fromS(PREFIX)))).items()) {
                String sk = item.get("sk").s();
                String key = sk.substring(0, sk.lastIndexOf('#'));
                if (base(key) < version && !keptKeys.contains(key)) {
                    orphans.add(sk);
                }
            }
        } catch (SdkException e) {
            LOG.warn("Left-over state parts of {} could not be listed: {}", pk, e.toString());
            return;
        }
        for (String sk : orphans) {
            if (!deleteItem(pk, sk)) {
                return;
            }
        }
    }

    /** The STATE item's {@code parts} attribute. */
    static AttributeValue attribute(Map<String, Part> parts) {
        Map<String, AttributeValue> named = new LinkedHashMap<>();
        parts.forEach((name, part) -> named.put(name, AttributeValue.fromM(Map.of(
                "key", AttributeValue.fromS(part.key()),
                "chunks", AttributeValue.fromN(Integer.toString(part.chunks())),
                "sha256", AttributeValue.fromS(part.sha256())))));
        return AttributeValue.fromM(named);
    }

    /** The parts a STATE item names, by name; none in items written before parts existed. */
    static Map<String, Part> of(Map<String, AttributeValue> state) {
        Map<String, Part> parts = new LinkedHashMap<>();
        if (state.containsKey("parts")) {
            state.get("parts").m().forEach((name, part) -> parts.put(name, new Part(part.m().get("key").s(),
                    Integer.parseInt(part.m().get("chunks").n()), part.m().get("sha256").s())));
        }
        return parts;
    }

    /** Pieces of at most {@link #CHUNK_BYTES} UTF-8 bytes, never cutting a character in two. */
    static List<String> chunks(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        List<String> chunks = new ArrayList<>();
        for (int from = 0, to; from < bytes.length; from = to) {
            to = Math.min(bytes.length, from + CHUNK_BYTES);
            while (to < bytes.length && (bytes[to] & 0xC0) == 0x80) { // a continuation byte: inside a character
                to--;
            }
            chunks.add(new String(bytes, from, to - from, StandardCharsets.UTF_8));
        }
        return chunks;
    }

    /** @return false when the deletion failed (logged): the next ones would most likely fail the same way */
    private boolean deleteItem(String pk, String sk) {
        try {
            dynamo.deleteItem(r -> r.tableName(table).key(Map.of("pk", AttributeValue.fromS(pk),
                    "sk", AttributeValue.fromS(sk))));
            return true;
        } catch (SdkException e) {
            LOG.warn("State parts of {} no longer needed stay in the table for now: {}", pk, e.toString());
            return false;
        }
    }

    /** The version the part's writer read: once the incident is past it, no STATE item can come to name the part. */
    private static long base(String key) {
        return Long.parseLong(key.substring(PREFIX.length(), PREFIX.length() + BASE_DIGITS));
    }

    private static String chunkKey(String key, int index) {
        return String.format("%s#%03d", key, index);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
