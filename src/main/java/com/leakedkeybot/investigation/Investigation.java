package com.leakedkeybot.investigation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Accumulates the events of the keys under investigation into counts and bounded samples, so memory stays flat
 * however many events the keys produced. Thread-safe: regions feed it concurrently.
 */
public final class Investigation {

    static final String LOOKUP_COVERAGE = "CloudTrail LookupEvents covers management events of the last 90 days only:"
            + " no S3 object reads or writes and no other data events; older history is in the trail's S3 logs.";
    private static final int NOTABLE_PER_CATEGORY = 10;
    /** Affected resources kept per incident: what an attacker does cannot grow the incident without bound. */
    public static final int MAX_RESOURCES = 2_000;
    /** Sources kept; calls from further ones are counted only. A key used from everywhere is itself the finding. */
    public static final int MAX_SOURCES = 200;

    private final List<String> rootKeys;
    private final Instant from;
    private final Instant to;
    private final EventClassifier classifier;
    private final AffectedResourceExtractor extractor;
    private final Consumer<NotableEvent> onNewFinding;
    private final CredentialChain chain;
    private final Map<String, KeyTally> keys = new HashMap<>();
    private final Map<EventCategory, CategoryTally> categories = new EnumMap<>(EventCategory.class);
    private final Map<String, AffectedResource> resources = new LinkedHashMap<>();
    private final Map<String, CallSourceTally> sources = new LinkedHashMap<>();
    private long callsFromOmittedSources;
    private final TreeSet<String> scannedRegions = new TreeSet<>();
    private final Map<String, String> failedRegions = new TreeMap<>();
    private final List<String> notes = new ArrayList<>();
    private long resourcesOmitted;
    private long events;

    /**
     * @param onNewFinding told, outside any lock, of the first successful event of each group in an
     *                     {@link EventCategory#alarming() alarming} category, e.g. to post it to Slack at once
     */
    public Investigation(Collection<String> rootKeys, Instant from, Instant to, EventClassifier classifier,
                         AffectedResourceExtractor extractor, Consumer<NotableEvent> onNewFinding) {
        this.rootKeys = List.copyOf(rootKeys);
        this.from = from;
        this.to = to;
        this.classifier = classifier;
        this.extractor = extractor;
        this.onNewFinding = onNewFinding;
        this.chain = new CredentialChain(rootKeys);
        for (EventCategory category : EventCategory.values()) {
            categories.put(category, new CategoryTally(category));
        }
    }

    public Investigation(Collection<String> rootKeys, Instant from, Instant to) {
        this(rootKeys, from, to, EventClassifier.standard(), AffectedResourceExtractor.standard(), finding -> { });
    }

    /** Counts one event; returns the credential it minted if that key is new to the investigation. */
    public Optional<DerivedCredential> record(TrailEvent event) {
        Classification verdict = classifier.classify(event);
        List<AffectedResource> touched = extractor.extract(event);
        boolean write = event.readOnly() != null ? !event.readOnly() : verdict.category() != EventCategory.RECONNAISSANCE;
        Optional<DerivedCredential> minted = DerivedCredential.from(event).filter(chain::add);
        Optional<NotableTally> opened;
        NotableEvent finding = null;
        synchronized (this) {
            events++;
            keys.computeIfAbsent(String.valueOf(event.accessKeyId()), k -> new KeyTally()).add(event);
            countSource(event, verdict.category());
            opened = categories.get(verdict.category()).add(event, write, verdict.denied(), touched);
            if (verdict.denied()) {
                categories.get(EventCategory.DENIED).add(event, write, true, List.of());
            }
            touched.forEach(this::keepResource);
            if (opened.isPresent() && verdict.category().alarming() && !event.failed()) {
                finding = opened.get().snapshot();
            }
        }
        if (finding != null) {
            onNewFinding.accept(finding);
        }
        return minted;
    }

    public Instant from() {
        return from;
    }

    public Instant to() {
        return to;
    }

    public CredentialChain chain() {
        return chain;
    }

    public synchronized long eventCount() {
        return events;
    }

    public synchronized void regionScanned(String region) {
        if (!failedRegions.containsKey(region)) {
            scannedRegions.add(region);
        }
    }

    /** Records why a region could not be read; the first reason per region is kept. */
    public synchronized void regionFailed(String region, String reason) {
        scannedRegions.remove(region);
        failedRegions.putIfAbsent(region, reason);
    }

    /** A limit of the scan worth telling readers about, e.g. derived keys not followed. */
    public synchronized void addCoverageNote(String note) {
        notes.add(note);
    }

    public synchronized InvestigationReport report() {
        // Discovery order depends on which region answered first: order minted keys by when they were minted.
        List<DerivedCredential> derived = chain.derived().stream()
                .sorted(Comparator.comparing(DerivedCredential::issuedAt).thenComparing(DerivedCredential::accessKeyId))
                .toList();
        List<KeyActivity> activity = new ArrayList<>();
        rootKeys.forEach(key -> activity.add(keys.getOrDefault(key, new KeyTally()).snapshot(key, null)));
        derived.forEach(credential -> activity.add(keys.getOrDefault(credential.accessKeyId(), new KeyTally())
                .snapshot(credential.accessKeyId(), credential)));
        List<CategorySummary> summaries = categories.values().stream().filter(t -> !t.isEmpty())
                .map(t -> t.summary(NOTABLE_PER_CATEGORY)).toList();
        List<AffectedResource> touched = resources.values().stream()
                .sorted(Comparator.comparing(AffectedResource::eventTime)).toList();
        List<RegionFailure> failures = failedRegions.entrySet().stream()
                .map(e -> new RegionFailure(e.getKey(), e.getValue())).toList();
        List<CallSource> seenFrom = sources.values().stream().map(CallSourceTally::snapshot)
                .sorted(Comparator.comparing(CallSource::firstSeen).thenComparing(CallSource::id)).toList();
        return new InvestigationReport(rootKeys, from, to, events, activity, summaries, touched, resourcesOmitted,
                derived, List.copyOf(scannedRegions), failures, coverageNotes(activity), seenFrom,
                callsFromOmittedSources);
    }

    private List<String> coverageNotes(List<KeyActivity> activity) {
        List<String> out = new ArrayList<>();
        out.add(LOOKUP_COVERAGE);
        out.add("Window searched: " + from + " to " + to + ".");
        if (!failedRegions.isEmpty()) {
            out.add(failedRegions.size() + " region(s) could not be read completely: " + String.join(", ", failedRegions.keySet())
                    + ". Activity there may be missing.");
        }
        if (events == 0) {
            out.add("No management events were found for these keys: the key may be unused, or used only for data"
                    + " events (e.g. S3 object reads), which LookupEvents does not return.");
        }
        if (resourcesOmitted > 0) {
            out.add(resourcesOmitted + " further affected resources were not kept (limit " + MAX_RESOURCES + ").");
        }
        if (callsFromOmittedSources > 0) {
            out.add(callsFromOmittedSources + " calls came from sources beyond the first " + MAX_SOURCES
                    + " (address and user agent); they are counted, not listed.");
        }
        if (activity.stream().anyMatch(KeyActivity::truncated)
                || categories.values().stream().anyMatch(CategoryTally::truncated)) {
            out.add("Some samples (IPs, user agents, event groups) were capped to bound memory; counts are complete.");
        }
        out.addAll(notes);
        return out;
    }

    /** Keyed by the source's plain identity: its hashed id is computed once per source, not per event. */
    private void countSource(TrailEvent event, EventCategory category) {
        String identity = CallSource.identity(event.sourceIp(), event.userAgent(), event.vpcEndpointId());
        CallSourceTally tally = sources.get(identity);
        if (tally == null && sources.size() >= MAX_SOURCES) {
            callsFromOmittedSources++;
            return;
        }
        if (tally == null) {
            tally = new CallSourceTally(event);
            sources.put(identity, tally);
        }
        tally.add(event, category);
    }

    private void keepResource(AffectedResource resource) {
        // Each version the key wrote counts: restoring an object needs to recognise every one of them.
        String identity = resource.kind() + "|" + resource.parent() + "|" + resource.identifier() + "|" + resource.action()
                + "|" + resource.version();
        if (resources.containsKey(identity)) {
            return;
        }
        if (resources.size() < MAX_RESOURCES) {
            resources.put(identity, resource);
        } else {
            resourcesOmitted++;
        }
    }
}
