package com.leakedkeybot.incident;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leakedkeybot.investigation.AffectedResource;
import com.leakedkeybot.step.StepId;
import com.leakedkeybot.step.StepKind;
import java.time.Instant;
import java.util.List;
import java.util.TreeSet;

/**
 * What undoing one change the investigated keys made to a policy document means, decided from CloudTrail once the
 * trail was read and kept with the incident, so the approver sees exactly what the button will do.
 *
 * @param change           the attacker's change: an inline policy or trust policy they set (CHANGED), or a managed
 *                         policy version they created (CREATED)
 * @param attackerDocument the document the attacker set, from their event; null when CloudTrail did not return it
 * @param earlier          what CloudTrail shows was set before, by a key not under investigation; null when the
 *                         window holds nothing earlier
 * @param searchedDays     how far back CloudTrail was searched
 */
public record PolicyRevert(AffectedResource change, Plan plan, String attackerDocument, Earlier earlier,
                           int searchedDays) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public enum Plan {
        /** Put the earlier document back; for a policy version, make the earlier default version the default again
         *  and delete the attacker's version. */
        RESTORE,
        /** Delete the inline policy (nothing earlier, or it had been deleted); for a policy version the attacker did
         *  not make the default, delete it. */
        DELETE,
        /** No button: a person must decide (a trust policy or default version with no history in the window). */
        MANUAL
    }

    /**
     * @param document  the earlier document, or null when the earlier event deleted the policy
     * @param versionId for a managed policy, the version that was the default
     * @param setBy     the principal ARN of the earlier event, or null for an AWS service
     */
    public record Earlier(String document, String versionId, String setBy, Instant setAt) {
    }

    /** The step's target: the same naming as the clean-up's. */
    public String target() {
        return change.target();
    }

    public StepId step() {
        return new StepId(StepKind.REVERT_POLICY, target());
    }

    /** For a managed policy version: the version that was the default before the attacker's, or null. */
    public String earlierDefault() {
        return earlier == null ? null : earlier.versionId();
    }

    /**
     * The principals the attacker's document lets in, as written (account roots, role ARNs, services, "*"), sorted;
     * empty when the document is unknown or unreadable.
     */
    public List<String> trustedPrincipals() {
        TreeSet<String> principals = new TreeSet<>();
        try {
            JsonNode statements = attackerDocument == null ? JSON.missingNode()
                    : JSON.readTree(attackerDocument).path("Statement");
            for (JsonNode statement : statements.isArray() ? statements : List.of(statements)) {
                if ("Allow".equals(statement.path("Effect").asText())) {
                    addPrincipals(statement.path("Principal"), principals);
                }
            }
        } catch (JsonProcessingException unreadable) {
            return List.of();
        }
        return List.copyOf(principals);
    }

    private static void addPrincipals(JsonNode principal, TreeSet<String> into) {
        if (principal.isTextual()) {
            into.add(principal.asText());
        } else if (principal.isArray()) {
            principal.forEach(p -> addPrincipals(p, into));
        } else {
            principal.forEach(values -> addPrincipals(values, into)); // {"AWS": …, "Service": …, "Federated": …}
        }
    }
}
