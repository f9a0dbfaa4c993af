package com.leakedkeybot.slack.blocks;

import static com.leakedkeybot.slack.blocks.IncidentMessagesTest.assertJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.leakedkeybot.audit.AuditEntry;
import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.Timeline;
import com.leakedkeybot.sandbox.BlockKitLimits;
import com.leakedkeybot.sandbox.BlockKitSchema;
import com.leakedkeybot.testkit.SampleIncidents;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimelineMessagesTest {

    private final TimelineMessages messages = new TimelineMessages();

    @Test
    void rendersTheTimelineOfAClosedIncident() throws IOException {
        List<SlackMessage> rendered = messages.timeline(Timeline.of(SampleIncidents.closedAfterAnAttack()));

        assertEquals(1, rendered.size());
        assertJson("timeline.json", rendered.get(0));
    }

    @Test
    void aLongTimelineIsSplitWithinSlacksLimitsAndLosesNoEntry() {
        Incident incident = SampleIncidents.closedAfterAnAttack();
        for (int i = 0; i < 3_000; i++) {
            incident = incident.audited(new AuditEntry(SampleIncidents.AT.plusSeconds(7_200 + i), "U0APPROVER",
                    "asked to run Rotate key", "refused: entry " + i));
        }

        List<SlackMessage> rendered = messages.timeline(Timeline.of(incident));

        assertTrue(rendered.size() > 1, "3,000 entries do not fit one message");
        StringBuilder all = new StringBuilder();
        for (SlackMessage message : rendered) {
            assertEquals(List.of(), BlockKitSchema.validate(message.blocks()), "Block Kit schema");
            assertEquals(List.of(), BlockKitLimits.check(message.blocks()), "Slack's limits");
            for (JsonNode block : message.blocks()) {
                all.append(block.path("text").path("text").asText()).append('\n');
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            int at = all.indexOf("refused: entry " + i + "\n");
            assertTrue(at >= 0, "entry " + i + " is missing");
            order.add(at);
        }
        assertEquals(order.stream().sorted().toList(), order, "entries stay oldest first");
    }

    @Test
    void textFromAwsAndPeopleCannotMentionOrLink() {
        Incident incident = SampleIncidents.closedAfterAnAttack().audited(new AuditEntry(SampleIncidents.AT,
                "<!channel>", "reported <https://evil.example|click>", "ok"));

        String json = messages.timeline(Timeline.of(incident)).get(0).blocksJson();

        assertFalse(json.contains("<!channel>"), json);
        assertFalse(json.contains("<https://evil.example"), json);
        assertTrue(json.contains("&lt;!channel&gt;"), json);
    }

    @Test
    void durationsReadAsAReviewWritesThem() {
        assertEquals("40 s", TimelineMessages.duration(Duration.ofSeconds(40)));
        assertEquals("12 min", TimelineMessages.duration(Duration.ofMinutes(12).plusSeconds(30)));
        assertEquals("1 h 05 min", TimelineMessages.duration(Duration.ofMinutes(65)));
        assertEquals("0 s", TimelineMessages.duration(Duration.ofSeconds(-3)));
    }
}
