package com.leakedkeybot.remediation;

import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.investigation.AffectedResource;
import com.leakedkeybot.remediation.port.AwsActionFailure;
import com.leakedkeybot.remediation.port.ResourceRemoval;
import com.leakedkeybot.step.StepId;
import com.leakedkeybot.step.StepKind;
import com.leakedkeybot.step.StepOutcome;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Runbook step 5: removes one resource the leaked key (or a credential derived from it) created, as found in
 * CloudTrail from a source marked or presumed the attacker's. One step per resource, its target naming it; a target
 * that is not among those findings is never acted on, so nothing the attacker did not create can be removed through
 * this step. Destructive: two-person rule.
 */
public final class CleanUpStep implements RemediationStep {

    /** Parts of a resource that go with it when the bot removes their parent user or role. */
    private static final Set<AffectedResource.Kind> PARTS_OF_A_USER = Set.of(AffectedResource.Kind.IAM_ACCESS_KEY,
            AffectedResource.Kind.IAM_LOGIN_PROFILE, AffectedResource.Kind.IAM_USER_POLICY_ATTACHMENT,
            AffectedResource.Kind.IAM_GROUP_MEMBERSHIP);

    private final ResourceRemoval removal;

    public CleanUpStep(ResourceRemoval removal) {
        this.removal = removal;
    }

    /**
     * One proposal per resource the investigated keys created that the bot can remove; parts of a user or role the
     * attacker created (its keys, login profile, attachments, group memberships) go with it rather than on their own.
     */
    @Override
    public Proposals propose(Incident incident) {
        List<AffectedResource> created = incident.attackersChanges().stream()
                .filter(r -> r.action() == AffectedResource.Action.CREATED)
                .filter(r -> removable(r.kind())).toList();
        Set<String> createdUsers = identifiers(created, AffectedResource.Kind.IAM_USER);
        Set<String> createdRoles = identifiers(created, AffectedResource.Kind.IAM_ROLE);
        return Proposals.of(created.stream()
                .filter(r -> !(PARTS_OF_A_USER.contains(r.kind()) && createdUsers.contains(owningUser(r))))
                .filter(r -> !(r.kind() == AffectedResource.Kind.IAM_ROLE_POLICY_ATTACHMENT
                        && createdRoles.contains(r.parent())))
                .map(r -> new StepId(StepKind.CLEAN_UP, r.target())).distinct().toList());
    }

    private static Set<String> identifiers(List<AffectedResource> resources, AffectedResource.Kind kind) {
        return Set.copyOf(resources.stream().filter(r -> r.kind() == kind).map(AffectedResource::identifier)
                .toList());
    }

    /** The user a part belongs to: CloudTrail names a login profile by its user, other parts by their parent. */
    private static String owningUser(AffectedResource part) {
        String user = part.kind() == AffectedResource.Kind.IAM_LOGIN_PROFILE ? part.identifier() : part.parent();
        return user == null ? "" : user;
    }

    private boolean removable(AffectedResource.Kind kind) {
        return removal.removable(kind);
    }

    @Override
    public StepKind kind() {
        return StepKind.CLEAN_UP;
    }

    @Override
    public StepOutcome execute(Incident incident, String target) {
        Optional<AffectedResource> resource = find(incident, target);
        if (resource.isEmpty()) {
            return StepOutcome.notAmongFindings("This resource is not among what the attacker's sources "
                    + "created: the investigated keys did not create it, or its source is marked or presumed the "
                    + "owner's.");
        }
        try {
            removal.remove(resource.get());
        } catch (AwsActionFailure failure) {
            // Removed meanwhile (by a responder, or the attacker covering tracks): what the step is for is done.
            if (gone(resource.get())) {
                return StepOutcome.success("Already gone: " + resource.get().kind().label() + " "
                        + resource.get().identifier() + " no longer exists in AWS, so there was nothing to remove. If "
                        + "nobody on the team removed it, find out who did in CloudTrail.");
            }
            throw failure;
        }
        if (removal.exists(resource.get())) {
            return StepOutcome.failure("AWS still shows " + resource.get().describe() + " after the removal.",
                    "Remove it by hand in the console and tell the thread.");
        }
        return StepOutcome.success("Removed: " + resource.get().kind().label() + " " + resource.get().identifier()
                + " (AWS no longer shows it).");
    }

    @Override
    public StepOutcome reconcile(Incident incident, String target) {
        Optional<AffectedResource> resource = find(incident, target);
        if (resource.isPresent() && !removal.exists(resource.get())) {
            return StepOutcome.success("Removed: " + resource.get().kind().label() + " "
                    + resource.get().identifier() + " — confirmed by reading AWS after a restart.");
        }
        return StepOutcome.failure("Outcome unknown — the bot restarted mid-action; AWS still shows the resource.",
                "Retry to remove it.");
    }

    /** When AWS cannot even be read, the removal's own failure is the one to report. */
    private boolean gone(AffectedResource resource) {
        try {
            return !removal.exists(resource);
        } catch (AwsActionFailure unreadable) {
            return false;
        }
    }

    private static Optional<AffectedResource> find(Incident incident, String target) {
        return incident.attackersChanges().stream()
                .filter(r -> r.action() == AffectedResource.Action.CREATED && r.target().equals(target)).findFirst();
    }
}
