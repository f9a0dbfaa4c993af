package com.leakedkeybot.remediation;

import com.leakedkeybot.attribution.SourceMark;
import com.leakedkeybot.attribution.Verdict;
import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.PolicyRevert;
import com.leakedkeybot.investigation.AffectedResource.Action;
import com.leakedkeybot.investigation.AffectedResource.Kind;
import com.leakedkeybot.investigation.AffectedResource;
import com.leakedkeybot.remediation.port.InlinePolicies;
import com.leakedkeybot.remediation.port.ObjectVersions;
import com.leakedkeybot.remediation.port.PolicyVersions;
import com.leakedkeybot.remediation.port.ResourceRemoval;
import com.leakedkeybot.remediation.port.TrustPolicies;
import com.leakedkeybot.step.StepId;
import com.leakedkeybot.step.StepKind;
import com.leakedkeybot.step.StepOutcome;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import static com.leakedkeybot.testkit.AttributedChanges.ATTACKER;
import static com.leakedkeybot.testkit.AttributedChanges.OWNER;
import static com.leakedkeybot.testkit.AttributedChanges.change;
import static com.leakedkeybot.testkit.AttributedChanges.incident;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * Clean-up, policy reverts and object restores propose (and carry out) only what came from sources marked or presumed
 * the attacker's, whatever the owner did with the same key before or after the exposure time. Each test exercises one
 * step, its AWS port mocked: what it proposes reads nothing but the incident (and, for a restore, versioning).
 */
class AttributedProposalsTest {

    private static final AffectedResource OWNERS_ROLE = change(OWNER, Kind.IAM_ROLE, "app-role", null, Action.CREATED,
            "CreateRole", -600);
    private static final AffectedResource OWNERS_USER = change(OWNER, Kind.IAM_USER, "deploy", null, Action.CREATED,
            "CreateUser", 30);
    private static final AffectedResource BACKDOOR = change(ATTACKER, Kind.IAM_USER, "backdoor", null, Action.CREATED,
            "CreateUser", 45);

    @Test
    void cleanUpProposesOnlyTheAttackersResourcesAndFollowsAMark() {
        ResourceRemoval removal = mock(ResourceRemoval.class);
        when(removal.removable(any())).thenReturn(true);
        CleanUpStep cleanUp = new CleanUpStep(removal);
        Incident incident = incident(List.of(OWNERS_ROLE, OWNERS_USER, BACKDOOR), List.of());

        assertEquals(List.of(step(StepKind.CLEAN_UP, BACKDOOR)), cleanUp.propose(incident).steps());

        Incident remarked = marked(marked(incident, ATTACKER.id(), Verdict.OWNER), OWNER.id(), Verdict.ATTACKER);
        assertEquals(List.of(step(StepKind.CLEAN_UP, OWNERS_ROLE), step(StepKind.CLEAN_UP, OWNERS_USER)),
                cleanUp.propose(remarked).steps());
    }

    @Test
    void cleanUpNeverRemovesTheOwnersResourceEvenWhenItsButtonIsClicked() {
        ResourceRemoval removal = mock(ResourceRemoval.class);
        when(removal.removable(any())).thenReturn(true);
        Incident incident = incident(List.of(OWNERS_USER, BACKDOOR), List.of());

        StepOutcome outcome = new CleanUpStep(removal).execute(incident, OWNERS_USER.target());

        assertFalse(outcome.succeeded());
        assertTrue(outcome.summary().contains("marked or presumed the owner's"), outcome.summary());
        verify(removal, never()).remove(any());
    }

    @Test
    void policyRevertsAreOfferedOnlyForTheAttackersChanges() {
        AffectedResource ownersPolicy = change(OWNER, Kind.IAM_ROLE_INLINE_POLICY, "app-access", "app-role",
                Action.CHANGED, "PutRolePolicy", 60);
        AffectedResource attackersPolicy = change(ATTACKER, Kind.IAM_USER_INLINE_POLICY, "escalate", "victim",
                Action.CHANGED, "PutUserPolicy", 50);
        PolicyRevert ownersRevert = new PolicyRevert(ownersPolicy, PolicyRevert.Plan.DELETE, "{}", null, 90);
        PolicyRevert attackersRevert = new PolicyRevert(attackersPolicy, PolicyRevert.Plan.DELETE, "{}", null, 90);
        RevertPolicyStep revert = new RevertPolicyStep(mock(InlinePolicies.class), mock(TrustPolicies.class),
                mock(PolicyVersions.class));
        Incident incident = incident(List.of(ownersPolicy, attackersPolicy), List.of(ownersRevert, attackersRevert));

        assertEquals(List.of(attackersRevert.step()), revert.propose(incident).steps());
        assertEquals(List.of(ownersRevert.step()), revert.propose(marked(marked(incident, OWNER.id(),
                Verdict.ATTACKER), ATTACKER.id(), Verdict.OWNER)).steps());
        assertFalse(revert.execute(incident, ownersRevert.target()).succeeded(), "the owner's change is not reverted");
    }

    @Test
    void aRestoreTakesBackOnlyTheAttackersWritesAndIsNotOfferedForABucketOnlyTheOwnerWrote() {
        ObjectVersions versions = mock(ObjectVersions.class);
        when(versions.versioning(any(), any())).thenReturn(ObjectVersions.Versioning.ENABLED);
        RestoreObjectsStep restore = new RestoreObjectsStep(versions);
        AffectedResource ownersWrite = change(OWNER, Kind.S3_OBJECT, "build/app.zip", "artifacts", Action.CHANGED,
                "PutObject", 20);
        AffectedResource attackersWrite = change(ATTACKER, Kind.S3_OBJECT, "index.html", "website", Action.CHANGED,
                "PutObject", 40);
        AffectedResource ownersWriteThere = change(OWNER, Kind.S3_OBJECT, "about.html", "website", Action.CHANGED,
                "PutObject", 70);
        Incident incident = incident(List.of(ownersWrite, attackersWrite, ownersWriteThere), List.of());

        assertEquals(List.of(new StepId(StepKind.RESTORE_OBJECTS, "website")), restore.propose(incident).steps());
        assertEquals(List.of("index.html"), incident.attackersObjectKeys("website"));
        assertEquals(List.of(), incident.attackersObjectWrites("artifacts"));
        assertFalse(restore.execute(incident, "artifacts").succeeded(), "nothing of the owner's is restored");
    }

    private static StepId step(StepKind kind, AffectedResource resource) {
        return new StepId(kind, resource.target());
    }

    private static Incident marked(Incident incident, String source, Verdict verdict) {
        return incident.withAttribution(incident.attribution().marked(source,
                new SourceMark(verdict, "U0APPROVER", Instant.parse("2026-11-20T15:00:00Z"))));
    }
}
