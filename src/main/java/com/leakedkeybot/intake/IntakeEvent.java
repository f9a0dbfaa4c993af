package com.leakedkeybot.intake;

import com.leakedkeybot.key.AccessKeyId;
import java.util.List;

/**
 * One automatic report of a key.
 *
 * @param deliveryIds every id by which a copy of this report is recognised (the EventBridge event id, Health's
 *                    {@code communicationId}, GuardDuty's finding id, GitHub's alert): delivery is at least once, and
 *                    a report carrying any id already on the key's open incident opens nothing new
 */
public record IntakeEvent(AccessKeyId keyId, IntakeSource source, List<String> deliveryIds) {

    public IntakeEvent {
        deliveryIds = List.copyOf(deliveryIds);
    }
}
