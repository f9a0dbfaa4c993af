package com.leakedkeybot.state;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.leakedkeybot.audit.AuditEntry;
import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.IncidentId;
import com.leakedkeybot.key.AccessKeyId;
import java.io.IOException;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Incidents as JSON, the one format both stores keep: a whole incident (the journal), or its state and its audit
 * entries apart (DynamoDB keeps each entry as its own item). Ids are plain strings and times ISO-8601, so a stored
 * record can be read by a person during an incident review. Decoding goes through the records' own constructors, so
 * stored data is validated like fresh data.
 */
public final class IncidentJson {

    private static final String AUDIT = "audit";
    private static final TypeReference<List<AuditEntry>> ENTRIES = new TypeReference<>() {
    };

    private final ObjectMapper json = JsonMapper.builder()
            .addModule(new Jdk8Module())
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .addMixIn(IncidentId.class, SingleValue.class)
            .addMixIn(AccessKeyId.class, SingleValue.class)
            .addMixIn(Incident.class, DerivedFieldsOfIncident.class)
            .build();

    public String write(Incident incident) {
        return text(json.valueToTree(incident));
    }

    public Incident read(String text) {
        return decode(text, Incident.class);
    }

    /**
     * The incident without its audit trail (stored entry by entry elsewhere), field by field: each top-level field's
     * JSON, in the record's order, so that a store can keep large fields apart.
     */
    public Map<String, String> writeStateFields(Incident incident) {
        ObjectNode node = json.valueToTree(incident);
        node.remove(AUDIT);
        Map<String, String> fields = new LinkedHashMap<>();
        node.fields().forEachRemaining(field -> fields.put(field.getKey(), text(field.getValue())));
        return fields;
    }

    /** One JSON object of fields as {@link #writeStateFields} wrote them, all or some. */
    public String joinFields(Map<String, String> fields) {
        StringWriter out = new StringWriter();
        try (JsonGenerator object = json.getFactory().createGenerator(out)) {
            object.writeStartObject();
            for (Map.Entry<String, String> field : fields.entrySet()) {
                object.writeFieldName(field.getKey());
                object.writeRawValue(field.getValue());
            }
            object.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("incident could not be encoded", e);
        }
        return out.toString();
    }

    /**
     * The incident from its state as {@link #joinFields} wrote it, the fields kept apart from it (as
     * {@link #writeStateFields} wrote them) and its audit trail.
     */
    public Incident readState(String state, Map<String, String> apart, List<AuditEntry> audit) {
        try {
            ObjectNode node = (ObjectNode) json.readTree(state);
            for (Map.Entry<String, String> field : apart.entrySet()) {
                node.set(field.getKey(), json.readTree(field.getValue()));
            }
            node.set(AUDIT, json.valueToTree(audit));
            return json.treeToValue(node, Incident.class);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalStateException("stored incident state is not readable: " + e.getClass().getSimpleName());
        }
    }

    public String writeEntry(AuditEntry entry) {
        return text(json.valueToTree(entry));
    }

    public AuditEntry readEntry(String text) {
        return decode(text, AuditEntry.class);
    }

    public String writeEntries(List<AuditEntry> entries) {
        return text(json.valueToTree(entries));
    }

    public List<AuditEntry> readEntries(String text) {
        try {
            return json.readValue(text, ENTRIES);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored audit entries are not readable: " + e.getClass().getSimpleName());
        }
    }

    private String text(JsonNode node) {
        try {
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("incident could not be encoded", e);
        }
    }

    private <T> T decode(String text, Class<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            // The class name only: Jackson's message quotes the stored text.
            throw new IllegalStateException("stored " + type.getSimpleName() + " is not readable: "
                    + e.getClass().getSimpleName());
        }
    }

    /** {@link Incident#isClosed()} follows from {@code closedAt}: storing it too could only let the two disagree. */
    @JsonIgnoreProperties({"closed"})
    private abstract static class DerivedFieldsOfIncident {
    }

    /** Single-value records (incident and key ids) as plain strings rather than {"value": …}. */
    private abstract static class SingleValue {
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        SingleValue(String value) {
        }

        @JsonValue
        abstract String value();
    }
}
