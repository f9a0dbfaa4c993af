package com.leakedkeybot.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.remediation.StepId;
import com.leakedkeybot.remediation.StepKind;
import com.leakedkeybot.remediation.StepState;
import com.leakedkeybot.testkit.SampleIncidents;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IncidentJsonTest {

    private final IncidentJson json = new IncidentJson();

    @Test
    void idsAreStringsTimesAreIsoAndStepsAreKeyedByName() {
        Incident incident = SampleIncidents.offered(SampleIncidents.newId());

        String text = json.write(incident);

        assertTrue(text.startsWith("{\"id\":\"" + incident.id() + "\",\"keyId\":\"" + incident.keyId() + "\""), text);
        assertTrue(text.contains("\"reportedAt\":\"2026-11-28T14:00:00Z\""), text);
        assertTrue(text.contains("\"steps\":{\"" + StepKind.DEACTIVATE_KEY.name() + "\":"), text);
        assertEquals(incident, json.read(text));
    }

    @Test
    void stepsWithATargetAreKeyedByKindAndTargetAndRoundTrip() {
        StepId role = new StepId(StepKind.DEACTIVATE_KEY, "arn:aws:iam::123456789012:role/path/deploy");
        Incident incident = SampleIncidents.offered(SampleIncidents.newId()).withStep(StepState.offered(role, "9.0"));

        String text = json.write(incident);

        assertTrue(text.contains("\"DEACTIVATE_KEY/arn:aws:iam::123456789012:role/path/deploy\":{"), text);
        Incident read = json.read(text);
        assertEquals(incident, read);
        assertEquals("9.0", read.step(role).orElseThrow().messageTs());
        assertEquals(json.readState(json.writeState(incident), incident.audit()), incident);
    }

    @Test
    void stepsStoredBeforeTargetsExistedReadAsSingletons() {
        Incident incident = SampleIncidents.offered(SampleIncidents.newId());
        String old = json.write(incident).replace("\"target\":\"\",", "");

        assertFalse(old.contains("\"target\""), old);
        assertEquals(incident, json.read(old));
    }

    @Test
    void stateAndAuditApartMakeTheSameIncident() {
        Incident incident = SampleIncidents.offered(SampleIncidents.newId());

        String state = json.writeState(incident);

        assertFalse(state.contains("\"audit\""));
        assertEquals(incident, json.readState(state, json.readEntries(json.writeEntries(incident.audit()))));
    }

    @Test
    void storedDataIsValidatedLikeFreshDataAndErrorsDoNotQuoteIt() {
        String text = json.write(SampleIncidents.offered(SampleIncidents.newId()))
                .replace(SampleIncidents.KEY.value(), "not-a-key-id-SECRETISH");

        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> json.read(text));

        assertFalse(refused.getMessage().contains("SECRETISH"), refused.getMessage());
    }

    @Test
    void openIncidentsNeverExpire() {
        Retention retention = Retention.ofClosedIncidents(Duration.ofDays(90), json);

        assertEquals(Optional.empty(), json.closedAt(SampleIncidents.offered(SampleIncidents.newId())));
        assertEquals(Optional.empty(), retention.expiresAt(SampleIncidents.offered(SampleIncidents.newId())));
        Instant closed = Instant.parse("2026-12-01T00:00:00Z");
        assertEquals(Optional.of(closed.plus(Duration.ofDays(90))),
                new Retention(Duration.ofDays(90), i -> Optional.of(closed)).expiresAt(SampleIncidents.offered(SampleIncidents.newId())));
    }
}
