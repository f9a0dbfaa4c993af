package com.leakedkeybot.incident;

import com.leakedkeybot.blastradius.BlastRadius;
import com.leakedkeybot.investigation.AffectedResource;
import com.leakedkeybot.investigation.CallSource;
import com.leakedkeybot.investigation.DerivedCredential;
import com.leakedkeybot.investigation.Investigation;
import com.leakedkeybot.investigation.InvestigationReport;
import com.leakedkeybot.investigation.RegionFailure;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the investigation established, kept with the incident for the steps that act on it (the recommended path,
 * session revocation, clean-up). The full report is posted to the thread, not stored.
 *
 * @param blastRadius null until analysed, or when there is no IAM user to analyse
 * @param trailScannedAt null until CloudTrail has been read
 * @param policyReverts how each policy document the keys changed would be reverted, decided after the trail was
 *                      read; empty in incidents stored before reverts existed
 */
public record Findings(
        BlastRadius blastRadius,
        Instant trailScannedAt,
        long trailEvents,
        List<AffectedResource> affectedResources,
        List<DerivedCredential> derivedCredentials,
        List<RegionFailure> failedRegions,
        List<PolicyRevert> policyReverts,
        List<CallSource> sources) {

    public static final Findings NONE = new Findings(null, null, 0, List.of(), List.of(), List.of(), List.of(),
            List.of());

    /** Findings without sources: a trail read before sources were kept, or a test that needs none. */
    public Findings(BlastRadius blastRadius, Instant trailScannedAt, long trailEvents,
                    List<AffectedResource> affectedResources, List<DerivedCredential> derivedCredentials,
                    List<RegionFailure> failedRegions, List<PolicyRevert> policyReverts) {
        this(blastRadius, trailScannedAt, trailEvents, affectedResources, derivedCredentials, failedRegions,
                policyReverts, List.of());
    }

    public Findings {
        affectedResources = List.copyOf(affectedResources);
        derivedCredentials = List.copyOf(derivedCredentials);
        failedRegions = List.copyOf(failedRegions);
        policyReverts = policyReverts == null ? List.of() : List.copyOf(policyReverts);
        sources = sources == null ? List.of() : List.copyOf(sources);
    }

    /** The source of that id, if the investigation kept it. */
    public Optional<CallSource> source(String id) {
        return sources.stream().filter(s -> s.id().equals(id)).findFirst();
    }

    /** The keys that led to {@code accessKeyId}: the leaked key first, {@code accessKeyId} last. */
    public List<String> lineage(String accessKeyId) {
        return DerivedCredential.lineage(accessKeyId, derivedCredentials);
    }

    public Findings withBlastRadius(BlastRadius radius) {
        return new Findings(radius, trailScannedAt, trailEvents, affectedResources, derivedCredentials, failedRegions,
                policyReverts, sources);
    }

    public Findings withTrail(InvestigationReport report, Instant at) {
        return new Findings(blastRadius, at, report.totalEvents(), report.affectedResources(),
                report.derivedCredentials(), report.failedRegions(), policyReverts, report.sources());
    }

    /**
     * Adds what the watch found after the first scan: the resources it shows the keys touched (up to the
     * investigation's limit), the keys they minted, each once, and where the calls came from.
     */
    public Findings withWatchedTrail(InvestigationReport report) {
        List<AffectedResource> resources = new ArrayList<>(affectedResources);
        report.affectedResources().stream().filter(r -> !affectedResources.contains(r))
                .limit(Math.max(0, Investigation.MAX_RESOURCES - resources.size())).forEach(resources::add);
        Set<String> known = derivedCredentials.stream().map(DerivedCredential::accessKeyId).collect(Collectors.toSet());
        List<DerivedCredential> derived = new ArrayList<>(derivedCredentials);
        report.derivedCredentials().stream().filter(c -> !known.contains(c.accessKeyId())).forEach(derived::add);
        return new Findings(blastRadius, trailScannedAt, trailEvents + report.totalEvents(), resources, derived,
                failedRegions, policyReverts, CallSource.merged(sources, report.sources()));
    }

    public Findings withPolicyReverts(List<PolicyRevert> reverts) {
        return new Findings(blastRadius, trailScannedAt, trailEvents, affectedResources, derivedCredentials,
                failedRegions, reverts, sources);
    }
}
