package com.leakedkeybot.attribution;

import com.leakedkeybot.investigation.CallSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The bot's guess at when the key was exposed, when nobody said, for an approver to confirm.
 *
 * <p>The heuristic: the key's <em>long-standing baseline</em> is every source first seen within a day of the key's
 * earliest call in the window (the owner's machines and CI start the same day), plus every later source whose user
 * agent the baseline already used (CI runners change address every run, not tool). The proposal is the first-seen time
 * of the earliest source outside that baseline: a new address with a new tool. AWS services (CloudFormation acting
 * for whoever started a stack) tell nothing of who called, so they are left out. With a single source, or none outside
 * the baseline, there is nothing to propose: the key looks like one user's.
 */
public final class ExposureEstimate {

    static final Duration BASELINE_GRACE = Duration.ofDays(1);

    private ExposureEstimate() {
    }

    public static Optional<Instant> propose(List<CallSource> sources) {
        List<CallSource> callers = sources.stream().filter(s -> !s.awsService() && s.firstSeen() != null)
                .sorted(Comparator.comparing(CallSource::firstSeen)).toList();
        if (callers.size() < 2) {
            return Optional.empty();
        }
        Instant graceEnds = callers.get(0).firstSeen().plus(BASELINE_GRACE);
        Set<String> baselineAgents = new HashSet<>();
        for (CallSource source : callers) {
            if (!source.firstSeen().isAfter(graceEnds)) {
                baselineAgents.add(String.valueOf(source.userAgent()));
            } else if (!baselineAgents.contains(String.valueOf(source.userAgent()))) {
                return Optional.of(source.firstSeen());
            }
        }
        return Optional.empty();
    }
}
