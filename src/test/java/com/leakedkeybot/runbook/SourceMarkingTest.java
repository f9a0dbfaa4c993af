package com.leakedkeybot.runbook;

import com.leakedkeybot.approval.Approvers;
import com.leakedkeybot.attribution.Attribution;
import com.leakedkeybot.attribution.SourceMark;
import com.leakedkeybot.attribution.Verdict;
import com.leakedkeybot.incident.Findings;
import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.IncidentChannel;
import com.leakedkeybot.incident.IncidentId;
import com.leakedkeybot.incident.IncidentStore;
import com.leakedkeybot.investigation.AffectedResource;
import com.leakedkeybot.investigation.CallSource;
import com.leakedkeybot.remediation.CleanUpStep;
import com.leakedkeybot.remediation.Responder;
import com.leakedkeybot.remediation.Responders;
import com.leakedkeybot.remediation.port.ResourceRemoval;
import com.leakedkeybot.step.StepId;
import com.leakedkeybot.step.StepKind;
import com.leakedkeybot.testkit.MockedSteps;
import com.leakedkeybot.testkit.SampleIncidents;
import com.leakedkeybot.testkit.TempIncidentStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** Approvers' marks regenerate the proposals, also when two marks land at once. */
class SourceMarkingTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T16:00:00Z"), ZoneOffset.UTC);
    private static final Instant CALLED = Instant.parse("2026-11-28T15:00:00Z");
    private static final CallSource OFFICE = source("198.51.100.10", "aws-cli/2.15");
    private static final CallSource LAPTOP = source("203.0.113.66", "aws-cli/2.13");
    private static final StepId BACKDOOR = new StepId(StepKind.CLEAN_UP, "IAM_USER|us-east-1||backdoor");

    @TempDir
    Path dir;
    private TempIncidentStore journal;
    private IncidentStore store;
    private final IncidentChannel channel = mock(IncidentChannel.class);
    private SourceMarking marking;

    @BeforeEach
    void open() {
        journal = TempIncidentStore.open(dir, CLOCK);
        store = journal.store();
        ResourceRemoval removal = mock(ResourceRemoval.class);
        when(removal.removable(any())).thenReturn(true);
        Runbook runbook = new Runbook(store, channel, Responders.only(new Responder(MockedSteps.completing(
                List.of(new CleanUpStep(removal)), store, channel, CLOCK), null, null)), false, CLOCK);
        marking = new SourceMarking(store, channel, new Approvers(Set.of("U0APPROVER", "U0OTHER"), true), runbook,
                CLOCK);
    }

    @AfterEach
    void close() throws Exception {
        journal.close();
    }

    private static CallSource source(String ip, String userAgent) {
        return new CallSource(CallSource.idOf(ip, userAgent, null), ip, null, userAgent, CALLED, CALLED, 1, Map.of(),
                List.of(SampleIncidents.KEY.value()));
    }

    /**
     * The laptop is marked the attacker's; before that mark's proposals are offered, another approver marks the
     * office the owner's, and the office created the user: it is not offered after that mark's withdrawal pass.
     */
    @Test
    void aMarkLandingWhileAnotherMarksProposalsAreOfferedIsNotOvertaken() {
        AffectedResource created = new AffectedResource(AffectedResource.Kind.IAM_USER, "backdoor", null,
                AffectedResource.Action.CREATED, "us-east-1", "CreateUser", "e1", CALLED,
                SampleIncidents.KEY.value(), null, null, OFFICE.id(), OFFICE.sourceIp(), OFFICE.userAgent());
        Incident sample = SampleIncidents.offered(SampleIncidents.newId());
        IncidentId id = sample.id();
        store.create(sample.withAttribution(Attribution.NONE).withFindings(new Findings(null, CALLED, 2,
                List.of(created), List.of(), List.of(), List.of(), List.of(OFFICE, LAPTOP))));
        doAnswer(call -> store.update(id, i -> i.withAttribution(i.attribution().marked(OFFICE.id(),
                new SourceMark(Verdict.OWNER, "U0OTHER", CLOCK.instant())))))
                .doNothing().when(channel).showSources(any());

        assertTrue(marking.mark(id, LAPTOP.id(), Verdict.ATTACKER, "U0APPROVER"));

        verify(channel, never()).postStep(any(), eq(BACKDOOR));
        assertTrue(store.find(id).orElseThrow().step(BACKDOOR).isEmpty());
    }
}
