package com.leakedkeybot.blastradius;

import com.leakedkeybot.reference.PackagedResource;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The access level of every documented IAM action, from the packaged {@code iam/access-levels.csv}
 * (see {@code iam/PROVENANCE.md}). An action missing here is unknown, which is not proof that it only reads.
 */
public final class AccessLevels {

    private static final String RESOURCE = "/iam/access-levels.csv";

    private final Map<String, AccessLevel> byLowerName;
    private final Map<String, String> canonicalNames;
    private final Map<String, List<String>> byService = new HashMap<>();

    private AccessLevels(Map<String, AccessLevel> byLowerName, Map<String, String> canonicalNames) {
        this.byLowerName = byLowerName;
        this.canonicalNames = canonicalNames;
        canonicalNames.forEach((lower, name) -> byService
                .computeIfAbsent(lower.substring(0, lower.indexOf(':')), s -> new ArrayList<>()).add(name));
    }

    public static AccessLevels standard() {
        return Standard.TABLE;
    }

    /** Read once per process: the table is packaged and never changes. */
    private static final class Standard {
        static final AccessLevels TABLE = load();
    }

    private static AccessLevels load() {
        try (InputStream in = PackagedResource.open(RESOURCE)) {
            Map<String, AccessLevel> levels = new HashMap<>();
            Map<String, String> names = new LinkedHashMap<>();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            reader.readLine(); // header
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                int comma = line.indexOf(',');
                String name = line.substring(0, comma);
                String lower = name.toLowerCase(Locale.ROOT);
                levels.put(lower, AccessLevel.fromLabel(line.substring(comma + 1)));
                names.put(lower, name);
            }
            return new AccessLevels(levels, names);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The level of one action, e.g. {@code iam:CreateAccessKey} → WRITE; empty when the action is unknown. */
    public Optional<AccessLevel> levelOf(String action) {
        return Optional.ofNullable(byLowerName.get(action.toLowerCase(Locale.ROOT)));
    }

    /** Every known action, in the documentation's spelling (e.g. {@code iam:CreateAccessKey}). */
    public Collection<String> actions() {
        return Collections.unmodifiableCollection(canonicalNames.values());
    }

    /** The known actions a policy pattern such as {@code s3:Put*} covers. */
    public List<String> matching(ActionPattern pattern) {
        Collection<String> candidates = pattern.service() == null ? canonicalNames.values()
                : byService.getOrDefault(pattern.service(), List.of());
        return candidates.stream().filter(pattern::matches).toList();
    }
}
