package com.leakedkeybot.remediation;

import com.fasterxml.jackson.databind.JsonNode;
import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.PolicyRevert;
import com.leakedkeybot.investigation.AffectedResource.Action;
import com.leakedkeybot.investigation.AffectedResource.Kind;
import com.leakedkeybot.investigation.AffectedResource;
import com.leakedkeybot.investigation.DerivedCredential;
import com.leakedkeybot.investigation.TrailEvent;
import com.leakedkeybot.investigation.TrailHistory;
import com.leakedkeybot.investigation.TrailLookupException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Decides how to undo each policy document the investigated keys changed. The attacker's event says what they set,
 * never what was there: that is the latest earlier event that set the same document, made by a key not under
 * investigation, found by reading everyone's events of the calls that set it (LookupEvents by EventName, names
 * filtered here). Documents of users, roles and policies the attacker created are left to the clean-up, which
 * removes them whole.
 */
public final class PolicyRevertPlanner {

    private static final String IAM = "iam.amazonaws.com";

    private final TrailHistory history;

    public PolicyRevertPlanner(TrailHistory history) {
        this.history = history;
    }

    /** The calls that set (or delete) each kind of document the bot can revert. */
    private static List<String> settingCalls(Kind kind) {
        return switch (kind) {
            case IAM_USER_INLINE_POLICY -> List.of("PutUserPolicy", "DeleteUserPolicy");
            case IAM_ROLE_INLINE_POLICY -> List.of("PutRolePolicy", "DeleteRolePolicy");
            case IAM_GROUP_INLINE_POLICY -> List.of("PutGroupPolicy", "DeleteGroupPolicy");
            case IAM_ROLE_TRUST_POLICY -> List.of("UpdateAssumeRolePolicy", "CreateRole");
            case IAM_POLICY_VERSION -> List.of("CreatePolicyVersion", "SetDefaultPolicyVersion", "CreatePolicy");
            default -> List.of();
        };
    }

    /**
     * One revert per document the incident's keys changed, searched for in CloudTrail between {@code from} (the
     * investigation's window) and {@code to}.
     */
    public List<PolicyRevert> plan(Incident incident, Instant from, Instant to) throws TrailLookupException {
        Set<String> keys = investigatedKeys(incident);
        List<Target> targets = changes(incident).stream().map(Target::new).toList();
        // The attackers' own calls first: they fix how far back the other calls need reading.
        Map<Scan, Set<Target>> scans = new LinkedHashMap<>();
        targets.forEach(t -> scans.computeIfAbsent(new Scan(t.change.region(), t.change.eventName()),
                s -> new LinkedHashSet<>()).add(t));
        targets.forEach(t -> settingCalls(t.change.kind()).forEach(call -> scans.computeIfAbsent(
                new Scan(t.change.region(), call), s -> new LinkedHashSet<>()).add(t)));
        for (Map.Entry<Scan, Set<Target>> scan : scans.entrySet()) {
            Set<Target> interested = scan.getValue();
            Set<Target> settled = new HashSet<>();
            history.eventsNamed(scan.getKey().region(), scan.getKey().call(), from, to, event -> {
                if (!event.failed() && IAM.equals(event.eventSource())) {
                    for (Target target : interested) {
                        if (target.record(event, keys)) {
                            settled.add(target);
                        }
                    }
                }
                return settled.size() < interested.size(); // newest first: a settled document learns nothing older
            });
        }
        int days = (int) Duration.between(from, to).toDays();
        return targets.stream().map(t -> t.decide(keys, days)).toList();
    }

    /** One LookupEvents scan: everyone's events of one call in one region. */
    private record Scan(String region, String call) {
    }

    /** The leaked key and every key minted from it: their events are the attacker's. */
    private static Set<String> investigatedKeys(Incident incident) {
        Set<String> keys = new HashSet<>();
        keys.add(incident.keyId().value());
        incident.findings().derivedCredentials().stream().map(DerivedCredential::accessKeyId).forEach(keys::add);
        incident.findings().affectedResources().stream().map(AffectedResource::accessKeyId)
                .filter(Objects::nonNull).forEach(keys::add);
        return keys;
    }

    /** The changed documents, one per target (the newest change wins), minus those of resources the attacker made. */
    private static List<AffectedResource> changes(Incident incident) {
        List<AffectedResource> all = incident.findings().affectedResources();
        Set<String> created = new HashSet<>();
        all.stream().filter(r -> r.action() == Action.CREATED).filter(r -> r.kind() == Kind.IAM_USER
                        || r.kind() == Kind.IAM_ROLE || r.kind() == Kind.IAM_POLICY)
                .forEach(r -> created.add(r.kind() + " " + r.identifier()));
        Map<String, AffectedResource> byTarget = new LinkedHashMap<>();
        all.stream().filter(PolicyRevertPlanner::revertible)
                .filter(r -> !created.contains(owner(r)))
                .sorted(Comparator.comparing(AffectedResource::eventTime).reversed())
                .forEach(r -> byTarget.putIfAbsent(r.target(), r));
        return List.copyOf(byTarget.values());
    }

    private static boolean revertible(AffectedResource r) {
        return r.kind() == Kind.IAM_POLICY_VERSION ? r.action() == Action.CREATED
                : r.action() == Action.CHANGED && !settingCalls(r.kind()).isEmpty();
    }

    /** The resource whose removal would take this document with it, as "KIND name". */
    private static String owner(AffectedResource r) {
        return switch (r.kind()) {
            case IAM_USER_INLINE_POLICY -> Kind.IAM_USER + " " + r.parent();
            case IAM_ROLE_INLINE_POLICY -> Kind.IAM_ROLE + " " + r.parent();
            case IAM_ROLE_TRUST_POLICY -> Kind.IAM_ROLE + " " + r.identifier();
            case IAM_POLICY_VERSION -> Kind.IAM_POLICY + " " + r.parent();
            default -> "";
        };
    }

    /** One changed document and the events about it that the scans have met. */
    private static final class Target {

        private final AffectedResource change;
        private final List<TrailEvent> events = new ArrayList<>();

        Target(AffectedResource change) {
            this.change = change;
        }

        /** Keeps the event if it is about this document; true when it is the earlier state this scan was after. */
        boolean record(TrailEvent event, Set<String> keys) {
            if (!about(event)) {
                return false;
            }
            events.add(event);
            return attackers(keys).map(a -> !keys.contains(event.accessKeyId()) && setsState(event)
                    && event.eventTime().isBefore(a.eventTime())).orElse(false);
        }

        private boolean about(TrailEvent event) {
            JsonNode request = event.requestParameters();
            String holder = switch (change.kind()) {
                case IAM_USER_INLINE_POLICY -> "userName";
                case IAM_ROLE_INLINE_POLICY -> "roleName";
                case IAM_GROUP_INLINE_POLICY -> "groupName";
                default -> null;
            };
            if (holder != null) {
                return Objects.equals(change.parent(), request.path(holder).asText(null))
                        && change.identifier().equals(request.path("policyName").asText());
            }
            if (change.kind() == Kind.IAM_ROLE_TRUST_POLICY) {
                return change.identifier().equals(request.path("roleName").asText());
            }
            String policy = event.action().equals("CreatePolicy")
                    ? event.responseElements().path("policy").path("arn").asText() : request.path("policyArn").asText();
            return Objects.equals(change.parent(), policy);
        }

        /** Whether the event set what a revert goes back to; a version not made the default set nothing. */
        private static boolean setsState(TrailEvent event) {
            return !event.action().equals("CreatePolicyVersion")
                    || event.requestParameters().path("setAsDefault").asBoolean(false);
        }

        /** The attacker's event: for a version, the one that created it; else their newest change of the document. */
        private Optional<TrailEvent> attackers(Set<String> keys) {
            Stream<TrailEvent> theirs = events.stream().filter(e -> keys.contains(e.accessKeyId()));
            if (change.kind() == Kind.IAM_POLICY_VERSION) {
                return theirs.filter(e -> e.eventId() != null && e.eventId().equals(change.eventId())).findFirst();
            }
            return theirs.filter(e -> e.eventName().equals(change.eventName()))
                    .max(Comparator.comparing(TrailEvent::eventTime));
        }

        PolicyRevert decide(Set<String> keys, int days) {
            Optional<TrailEvent> attackers = attackers(keys);
            if (attackers.isEmpty()) {
                return new PolicyRevert(change, PolicyRevert.Plan.MANUAL, null, null, days);
            }
            TrailEvent attack = attackers.get();
            PolicyRevert.Earlier earlier = events.stream()
                    .filter(e -> !keys.contains(e.accessKeyId()) && setsState(e))
                    .filter(e -> e.eventTime().isBefore(attack.eventTime()))
                    .max(Comparator.comparing(TrailEvent::eventTime))
                    .map(Target::earlier).orElse(null);
            String document = document(attack);
            PolicyRevert.Plan plan = switch (change.kind()) {
                case IAM_ROLE_TRUST_POLICY -> earlier == null ? PolicyRevert.Plan.MANUAL : PolicyRevert.Plan.RESTORE;
                case IAM_POLICY_VERSION -> !setsState(attack) ? PolicyRevert.Plan.DELETE
                        : earlier == null ? PolicyRevert.Plan.MANUAL : PolicyRevert.Plan.RESTORE;
                default -> earlier == null || earlier.document() == null ? PolicyRevert.Plan.DELETE
                        : PolicyRevert.Plan.RESTORE;
            };
            return new PolicyRevert(change, plan, document, earlier, days);
        }

        private static PolicyRevert.Earlier earlier(TrailEvent event) {
            String version = switch (event.action()) {
                case "CreatePolicyVersion" -> event.responseElements().path("policyVersion").path("versionId")
                        .asText(null);
                case "SetDefaultPolicyVersion" -> event.requestParameters().path("versionId").asText(null);
                case "CreatePolicy" -> event.responseElements().path("policy").path("defaultVersionId").asText("v1");
                default -> null;
            };
            String document = version == null ? document(event) : null;
            return new PolicyRevert.Earlier(document, version, event.principalArn(), event.eventTime());
        }

        /** The document an event set; null for a deletion. CloudTrail logs it as a JSON string. */
        private static String document(TrailEvent event) {
            JsonNode request = event.requestParameters();
            JsonNode document = request.has("assumeRolePolicyDocument") ? request.path("assumeRolePolicyDocument")
                    : request.path("policyDocument");
            return document.isTextual() ? document.asText() : document.isObject() ? document.toString() : null;
        }
    }
}
