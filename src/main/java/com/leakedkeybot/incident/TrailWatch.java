package com.leakedkeybot.incident;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * How far the watch of CloudTrail after the first scan has read, and who watches. CloudTrail delivers events minutes
 * after the call, so each read starts a delivery delay before the last one ended; the events already counted in that
 * overlap are known by id and skipped. Bounded: at most {@link #RECENT_KEPT} ids, and the containment check keeps
 * counters and capped samples.
 *
 * @param readUntil   the end of the last window read
 * @param recentIds   ids of the events of the last read made within the delivery delay before {@code readUntil}:
 *                    the next read overlaps them
 * @param watcher     the bot process that watches; null until one has
 * @param heartbeatAt when {@code watcher} last read: another replica takes over once it is older than the lease
 * @param eventsFound events the watch found after the first scan
 * @param containment null until a containment step succeeded
 */
public record TrailWatch(
        Instant readUntil,
        List<String> recentIds,
        String watcher,
        Instant heartbeatAt,
        long eventsFound,
        ContainmentCheck containment) {

    public static final int RECENT_KEPT = 500;

    public TrailWatch {
        recentIds = List.copyOf(recentIds);
    }

    /**
     * The watch of an incident whose first scan read CloudTrail up to {@code scannedUntil}.
     *
     * @param recentIds the scan's newest events, which the first read of the watch overlaps
     */
    public static TrailWatch from(Instant scannedUntil, List<String> recentIds) {
        return new TrailWatch(scannedUntil, recentIds.subList(0, Math.min(recentIds.size(), RECENT_KEPT)), null, null,
                0, null);
    }

    /** Whether {@code holder} may watch now: nobody does, it does already, or the watcher is silent past the lease. */
    public boolean claimableBy(String holder, Instant now, Duration lease) {
        return watcher == null || watcher.equals(holder) || !heartbeatAt.plus(lease).isAfter(now);
    }

    public TrailWatch claimedBy(String holder, Instant now) {
        return new TrailWatch(readUntil, recentIds, holder, now, eventsFound, containment);
    }

    /** Where the next read starts: a delivery delay before the last one ended. */
    public Instant nextFrom(Duration deliveryDelay) {
        return readUntil.minus(deliveryDelay);
    }

    public Set<String> recent() {
        return Set.copyOf(recentIds);
    }

    /**
     * The watch after a read by its watcher, which proves it alive as of {@code until}.
     *
     * @param until  the end of the window just read
     * @param recent ids of the events read in it within the delivery delay before {@code until}, newest first
     * @param found  events read in it that had not been counted before
     */
    public TrailWatch read(Instant until, List<String> recent, long found, ContainmentCheck check) {
        return new TrailWatch(until, recent.subList(0, Math.min(recent.size(), RECENT_KEPT)), watcher, until,
                eventsFound + found, check);
    }

    public TrailWatch withContainment(ContainmentCheck check) {
        return new TrailWatch(readUntil, recentIds, watcher, heartbeatAt, eventsFound, check);
    }
}
