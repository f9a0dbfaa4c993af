package com.leakedkeybot.slack.blocks;

import static com.leakedkeybot.slack.blocks.IncidentMessagesTest.assertJson;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.leakedkeybot.incident.ContainmentCheck;
import com.leakedkeybot.investigation.Investigation;
import com.leakedkeybot.investigation.TrailEvent;
import com.leakedkeybot.sandbox.TrailEvents;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WatchMessagesTest {

    private static final Instant CONTAINED = Instant.parse("2026-11-28T16:01:00Z");
    private static final String KEY = "AKIAY34FZKBOKMUTVV7A";

    private final WatchMessages messages = new WatchMessages();

    @Test
    void newActivityIsCountedByCategoryWithItsMostSignificantEventsNamed() throws IOException {
        Investigation investigation = new Investigation(List.of(KEY), Instant.parse("2026-11-28T15:50:00Z"),
                Instant.parse("2026-11-28T16:10:00Z"));
        investigation.record(TrailEvent.parse(TrailEvents.event("e1", Instant.parse("2026-11-28T16:03:00Z"),
                "us-east-1", KEY, "iam.amazonaws.com", "CreateUser").readOnly(false).request("userName", "backdoor")
                .response("{\"user\":{\"userName\":\"backdoor\"}}").json()));
        investigation.record(TrailEvent.parse(TrailEvents.event("e2", Instant.parse("2026-11-28T16:04:00Z"),
                "us-east-1", KEY, "s3.amazonaws.com", "ListBuckets").readOnly(true).error("AccessDenied").json()));

        assertJson("watch-activity.json", messages.activity(investigation.report()));
    }

    @Test
    void verifiedContainmentShowsTheDeniedAttempts() throws IOException {
        ContainmentCheck check = ContainmentCheck.since(CONTAINED)
                .counting(call("e2", KEY, "CreateUser", "AccessDenied", 60), true)
                .announcing(ContainmentCheck.Verdict.VERIFIED);

        assertJson("watch-containment-verified.json", messages.containment(check));
    }

    @Test
    void containmentNotVerifiedNamesTheCallsThatGotThroughCappedAndEscaped() throws IOException {
        ContainmentCheck check = ContainmentCheck.since(CONTAINED);
        for (int i = 0; i < 12; i++) {
            check = check.counting(call("e" + i, "ASIAY34FZKBOEXAMPLE1", i == 0 ? "<!channel> `x`" : "ListBuckets",
                    null, 30 + i), false);
        }
        SlackMessage message = messages.containment(check.announcing(ContainmentCheck.Verdict.NOT_VERIFIED));

        assertJson("watch-containment-not-verified.json", message);
        String json = message.blocksJson();
        assertFalse(json.contains("<!channel>"), json);
        assertTrue(json.contains("…and 2 more."), json);
    }

    private static ContainmentCheck.Call call(String id, String key, String name, String error, int secondsAfter) {
        return new ContainmentCheck.Call(CONTAINED.plusSeconds(secondsAfter), key, name, "us-east-1", "203.0.113.7",
                error, id);
    }
}
