package com.leakedkeybot.incident;

import com.leakedkeybot.investigation.TrailEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether containment holds, as the trail shows it: the calls the attacker's credentials (the leaked key and every
 * key it minted) made after the containment time, counted, with a few kept as samples. Containment is verified when
 * none succeeded and the trail has been read far enough past the containment time for late events to have arrived.
 *
 * @param containedAt    when the latest containment step succeeded: calls are judged from then on
 * @param succeeded      calls that still succeeded after {@code containedAt}
 * @param stillSucceeded the first of them, at most {@link #SAMPLES}
 * @param denied         calls refused after {@code containedAt} (AccessDenied and the like)
 * @param deniedCalls    the first of them, at most {@link #SAMPLES}
 * @param announced      the verdict last told to the thread
 */
public record ContainmentCheck(
        Instant containedAt,
        long succeeded,
        List<Call> stillSucceeded,
        long denied,
        List<Call> deniedCalls,
        Verdict announced) {

    public static final int SAMPLES = 10;

    /** PENDING: no call succeeded, but the trail may still deliver calls made since containment. */
    public enum Verdict { PENDING, VERIFIED, NOT_VERIFIED }

    /** One call, with what a reader needs to find it in CloudTrail. */
    public record Call(Instant at, String accessKeyId, String eventName, String region, String sourceIp,
                       String errorCode, String eventId) {

        public static Call of(TrailEvent event) {
            return new Call(event.eventTime(), event.accessKeyId(), event.eventName(), event.awsRegion(),
                    event.sourceIp(), event.errorCode(), event.eventId());
        }
    }

    public ContainmentCheck {
        stillSucceeded = List.copyOf(stillSucceeded);
        deniedCalls = List.copyOf(deniedCalls);
        announced = announced == null ? Verdict.PENDING : announced;
    }

    public static ContainmentCheck since(Instant containedAt) {
        return new ContainmentCheck(containedAt, 0, List.of(), 0, List.of(), Verdict.PENDING);
    }

    /**
     * The check from a later containment step on: only calls after it count. The samples are what is left to judge
     * by, so counts beyond them are lost (the verdict depends only on whether any call succeeded).
     */
    public ContainmentCheck rebased(Instant at) {
        if (at.equals(containedAt)) {
            return this;
        }
        List<Call> succeededAfter = stillSucceeded.stream().filter(c -> c.at().isAfter(at)).toList();
        List<Call> deniedAfter = deniedCalls.stream().filter(c -> c.at().isAfter(at)).toList();
        return new ContainmentCheck(at, succeededAfter.size(), succeededAfter, deniedAfter.size(), deniedAfter,
                announced);
    }

    /** Counts a call of the attacker's credentials, if it was made after the containment time. */
    public ContainmentCheck counting(Call call, boolean refused) {
        if (call.at() == null || !call.at().isAfter(containedAt)) {
            return this;
        }
        if (refused) {
            return new ContainmentCheck(containedAt, succeeded, stillSucceeded, denied + 1, sampled(deniedCalls, call),
                    announced);
        }
        if (call.errorCode() != null) {
            return this; // failed for another reason: neither proves nor disproves containment
        }
        return new ContainmentCheck(containedAt, succeeded + 1, sampled(stillSucceeded, call), denied, deniedCalls,
                announced);
    }

    /**
     * @param readUntil     how far the trail has been read
     * @param deliveryDelay how late CloudTrail may deliver an event
     */
    public Verdict verdict(Instant readUntil, Duration deliveryDelay) {
        if (succeeded > 0) {
            return Verdict.NOT_VERIFIED;
        }
        return readUntil.minus(deliveryDelay).isBefore(containedAt) ? Verdict.PENDING : Verdict.VERIFIED;
    }

    public ContainmentCheck announcing(Verdict verdict) {
        return new ContainmentCheck(containedAt, succeeded, stillSucceeded, denied, deniedCalls, verdict);
    }

    private static List<Call> sampled(List<Call> kept, Call call) {
        if (kept.size() >= SAMPLES) {
            return kept;
        }
        List<Call> more = new ArrayList<>(kept);
        more.add(call);
        return more;
    }
}
