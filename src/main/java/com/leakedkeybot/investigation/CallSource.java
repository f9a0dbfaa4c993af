package com.leakedkeybot.investigation;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where calls of the investigated keys came from: one source address (an IP, or an AWS service acting for the key,
 * e.g. {@code cloudformation.amazonaws.com}) with one user agent, through one VPC endpoint or none. The owner's CI
 * and the attacker's laptop differ here even when the key is the same; behind one NAT address, the user agent still
 * tells them apart.
 *
 * @param id         short stable name of the source, {@link #idOf}; buttons and marks name the source by it
 * @param network    where CloudTrail says the address belongs, e.g. "AWS service" or "VPC endpoint vpce-…"; null
 *                   for a public address
 * @param categories each category of the source's calls with when it was first seen, most alarming first
 * @param accessKeys the keys that called from here (capped), the leaked key and keys it minted
 */
public record CallSource(
        String id,
        String sourceIp,
        String network,
        String userAgent,
        Instant firstSeen,
        Instant lastSeen,
        long calls,
        Map<EventCategory, Instant> categories,
        List<String> accessKeys) {

    private static final String AWS_SERVICE_SUFFIX = ".amazonaws.com";
    // CloudTrail's word for calls AWS made on a principal's behalf without naming a service.
    private static final String AWS_INTERNAL = "AWS Internal";
    /** Keys named per source, at most. */
    static final int KEYS_KEPT = 5;

    public CallSource {
        categories = categories == null ? Map.of() : copy(categories);
        accessKeys = accessKeys == null ? List.of() : List.copyOf(accessKeys);
    }

    /** Address, user agent and VPC endpoint: what makes two calls come from the same source. */
    static String identity(String sourceIp, String userAgent, String vpcEndpointId) {
        return Objects.toString(sourceIp, "") + "\n" + Objects.toString(userAgent, "") + "\n"
                + Objects.toString(vpcEndpointId, "");
    }

    /**
     * The source's {@link #identity}, hashed: short enough for a button's value, and the same in every process.
     * Twelve hex digits keep the odds of two of an incident's sources colliding negligible.
     */
    public static String idOf(String sourceIp, String userAgent, String vpcEndpointId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(identity(sourceIp, userAgent, vpcEndpointId).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /** Where the address belongs, as CloudTrail tells it. */
    static String networkOf(String sourceIp, String vpcEndpointId) {
        if (vpcEndpointId != null) {
            return "VPC endpoint " + vpcEndpointId;
        }
        return sourceIp != null && (sourceIp.endsWith(AWS_SERVICE_SUFFIX) || sourceIp.equals(AWS_INTERNAL))
                ? "AWS service" : null;
    }

    /**
     * An AWS service calling for the key (CloudFormation creating a stack's resources, say): it acts on whoever
     * started it, so it says nothing of who that was.
     */
    public boolean awsService() {
        return "AWS service".equals(network);
    }

    /**
     * {@code known} sources with {@code more} calls of later reads (the watch's) added: the same source's counts,
     * times, categories and keys combined, new sources appended up to {@link Investigation#MAX_SOURCES}.
     */
    public static List<CallSource> merged(List<CallSource> known, List<CallSource> more) {
        Map<String, CallSource> byId = new LinkedHashMap<>();
        known.forEach(source -> byId.put(source.id(), source));
        for (CallSource source : more) {
            if (byId.containsKey(source.id()) || byId.size() < Investigation.MAX_SOURCES) {
                byId.merge(source.id(), source, CallSource::joinedWith);
            }
        }
        return List.copyOf(byId.values());
    }

    private CallSource joinedWith(CallSource other) {
        Map<EventCategory, Instant> allCategories = new EnumMap<>(EventCategory.class);
        allCategories.putAll(categories);
        other.categories.forEach((category, at) -> allCategories.merge(category, at,
                (a, b) -> a.isBefore(b) ? a : b));
        CappedSet keys = new CappedSet(KEYS_KEPT);
        accessKeys.forEach(keys::add);
        other.accessKeys.forEach(keys::add);
        return new CallSource(id, sourceIp, network, userAgent, earlier(firstSeen, other.firstSeen),
                later(lastSeen, other.lastSeen), calls + other.calls, allCategories, keys.values());
    }

    private static Instant earlier(Instant a, Instant b) {
        return a == null || (b != null && b.isBefore(a)) ? b : a;
    }

    private static Instant later(Instant a, Instant b) {
        return a == null || (b != null && b.isAfter(a)) ? b : a;
    }

    private static Map<EventCategory, Instant> copy(Map<EventCategory, Instant> categories) {
        Map<EventCategory, Instant> ordered = new EnumMap<>(EventCategory.class);
        ordered.putAll(categories);
        return Collections.unmodifiableMap(ordered);
    }
}
