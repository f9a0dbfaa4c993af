package com.leakedkeybot.slack.blocks;

import com.leakedkeybot.incident.IncidentId;
import com.leakedkeybot.step.StepId;
import com.leakedkeybot.step.StepKind;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;


class StepButtonsTest {

    private static final IncidentId ID = new IncidentId("LK-20261128-ABCDEF");

    @Test
    void aTargetTravelsInTheValueAndComesBackWhole() {
        StepId step = new StepId(StepKind.DEACTIVATE_KEY, "arn:aws:iam::123456789012:role/a/b");

        String value = StepButtons.value(ID, step);

        assertEquals("LK-20261128-ABCDEF arn:aws:iam::123456789012:role/a/b", value);
        assertEquals(Optional.of(new StepButtons.Clicked(ID, step)),
                StepButtons.parse(StepButtons.actionId(StepKind.DEACTIVATE_KEY), value));
    }

    @Test
    void buttonsPostedBeforeTargetsExistedStillNameTheirStep() {
        assertEquals(Optional.of(new StepButtons.Clicked(ID, StepId.of(StepKind.DEACTIVATE_KEY))),
                StepButtons.parse("step:deactivate", "LK-20261128-ABCDEF"));
    }

    @Test
    void foreignButtonsAreNotSteps() {
        assertEquals(Optional.empty(), StepButtons.parse("step:format-disk", "LK-20261128-ABCDEF"));
        assertEquals(Optional.empty(), StepButtons.parse("step:deactivate", "not-an-incident x"));
        assertEquals(Optional.empty(), StepButtons.parse("other:deactivate", "LK-20261128-ABCDEF"));
    }

    @Test
    void aValueBeyondSlacksLimitIsRefusedRatherThanCut() {
        StepId huge = new StepId(StepKind.DEACTIVATE_KEY, "x".repeat(StepButtons.MAX_VALUE));
        assertThrows(IllegalArgumentException.class, () -> StepButtons.value(ID, huge));
    }
}
