package com.leakedkeybot.slack.blocks;

import static com.leakedkeybot.slack.blocks.IncidentMessagesTest.assertJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.KeyOwnership;
import com.leakedkeybot.step.StepKind;
import com.leakedkeybot.step.StepOutcome;
import com.leakedkeybot.step.StepState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CommandMessagesTest {

    private final CommandMessages messages = new CommandMessages();

    @Test
    void rendersTheHelp() throws IOException {
        assertJson("help.json", messages.help());
    }

    @Test
    void listsOpenIncidentsWithTheirLinksAccountsAndWhetherTheKeyIsDeactivated() throws IOException {
        Incident member = IncidentMessagesTest.memberIncident(KeyOwnership.IAM_USER);
        Incident deactivated = IncidentMessagesTest.incident(KeyOwnership.IAM_USER, false)
                .withStep(StepState.offered(StepKind.DEACTIVATE_KEY, "2.0")
                        .running("U0APPROVER", IncidentMessagesTest.REPORTED, "pid1")
                        .finished(StepOutcome.success("done"), IncidentMessagesTest.REPORTED));
        assertJson("open-incidents.json", messages.openIncidents(List.of(member, deactivated),
                incident -> incident == member ? Optional.of("https://example.slack.com/archives/C0INCIDENT/p1700000000000100")
                        : Optional.empty()));
    }

    @Test
    void aLongListStaysWithinSlacksBlocksAndSaysHowManyAreLeftOut() {
        List<Incident> many = new ArrayList<>(Collections.nCopies(CommandMessages.LISTED + 7,
                IncidentMessagesTest.incident(KeyOwnership.IAM_USER, false)));
        String blocks = messages.openIncidents(many, incident -> Optional.empty()).blocksJson();
        assertTrue(blocks.contains("7 older open incidents are not shown"), blocks);
        assertEquals(CommandMessages.LISTED + 2, messages.openIncidents(many, i -> Optional.empty()).blocks().size());
    }

    @Test
    void anEmptyListSaysSo() {
        assertTrue(messages.openIncidents(List.of(), i -> Optional.empty()).blocksJson().contains("No incident is open"));
    }
}
