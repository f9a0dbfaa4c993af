package com.leakedkeybot.approval;

import java.time.Duration;

/**
 * This bot process as a runner of steps: the id it stamps on steps it claims, and how long another runner may stay
 * silent before its in-flight steps count as abandoned. Two live replicas never judge each other's steps abandoned,
 * because each renews its heartbeat well within the lease ({@link HeldSteps#renewAll}).
 *
 * @param holder unique per process start, so a restarted bot does not mistake its predecessor's steps for its own
 * @param length zero where no other process can be alive on the same state (the journal's directory lock)
 */
public record StepLease(String holder, Duration length) {
}
