package com.leakedkeybot.investigation;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * Events of one kind (same category, API call and outcome) grouped for the report, with a count and bounded samples.
 *
 * @param action     the API call without Lambda's version suffix, e.g. {@code CreateFunction}
 * @param write      whether the call changes state (CloudTrail's readOnly=false)
 * @param denied     AWS refused the calls
 * @param errorCode  the error of the first call, or null when the calls succeeded
 * @param targets    what the calls were aimed at, e.g. the secrets read (bounded)
 * @param resources  resources the calls created, changed or deleted (bounded; the report has the full list)
 * @param truncated  samples were dropped to bound memory
 */
public record NotableEvent(
        EventCategory category,
        String action,
        String service,
        boolean write,
        boolean denied,
        String errorCode,
        long count,
        Instant firstSeen,
        Instant lastSeen,
        List<String> regions,
        List<String> accessKeyIds,
        List<String> sourceIps,
        List<String> targets,
        List<AffectedResource> resources,
        boolean truncated) {

    private static final int SHOWN = 3;

    /** Most significant first: successful writes, refused writes, reads, refused reads; then earliest first. */
    public static final Comparator<NotableEvent> MOST_SIGNIFICANT_FIRST =
            Comparator.comparingInt(NotableEvent::significance).reversed().thenComparing(NotableEvent::firstSeen);

    int significance() {
        return (write ? 2 : 0) + (errorCode == null ? 1 : 0);
    }

    /**
     * One line for people, e.g. {@code CreateAccessKey: created access key AKIA… of user bob — iam in us-east-1,
     * key AKIA… from 203.0.113.5}.
     */
    public String summary() {
        StringBuilder line = new StringBuilder(action);
        if (count > 1) {
            line.append(" ×").append(count);
        }
        if (errorCode != null) {
            line.append(denied ? " denied (" : " failed (").append(errorCode).append(')');
        }
        List<String> what = resources.isEmpty() ? targets : resources.stream().map(AffectedResource::describe).toList();
        if (!what.isEmpty()) {
            line.append(resources.isEmpty() ? " on " : ": ").append(shortList(what, truncated));
        }
        line.append(" — ").append(service).append(" in ").append(shortList(regions, false));
        if (!accessKeyIds.isEmpty()) {
            line.append(", key ").append(shortList(accessKeyIds, false));
        }
        if (!sourceIps.isEmpty()) {
            line.append(" from ").append(shortList(sourceIps, false));
        }
        return line.toString();
    }

    private static String shortList(List<String> values, boolean more) {
        String shown = String.join(", ", values.subList(0, Math.min(SHOWN, values.size())));
        int hidden = values.size() - SHOWN;
        if (hidden > 0) {
            return shown + " (+" + hidden + (more ? " or more)" : " more)");
        }
        return more ? shown + " (and more)" : shown;
    }
}
