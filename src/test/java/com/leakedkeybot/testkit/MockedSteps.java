package com.leakedkeybot.testkit;

import com.leakedkeybot.blastradius.AccessLevels;
import com.leakedkeybot.blastradius.BlastRadiusAnalysis;
import com.leakedkeybot.blastradius.OwnerPermissionsSource;
import com.leakedkeybot.blastradius.QuarantinePolicies;
import com.leakedkeybot.incident.IncidentChannel;
import com.leakedkeybot.incident.IncidentStore;
import com.leakedkeybot.remediation.AnalysePermissionsStep;
import com.leakedkeybot.remediation.CleanUpStep;
import com.leakedkeybot.remediation.CloseIncidentStep;
import com.leakedkeybot.remediation.DeactivateKeyStep;
import com.leakedkeybot.remediation.DeleteOldKeyStep;
import com.leakedkeybot.remediation.DeleteRootKeyStep;
import com.leakedkeybot.remediation.LiftQuarantineStep;
import com.leakedkeybot.remediation.QuarantineStep;
import com.leakedkeybot.remediation.ReactivateKeyStep;
import com.leakedkeybot.remediation.RemediationStep;
import com.leakedkeybot.remediation.RestoreObjectsStep;
import com.leakedkeybot.remediation.RevertPolicyStep;
import com.leakedkeybot.remediation.RevokeRoleSessionsStep;
import com.leakedkeybot.remediation.RevokeSessionsStep;
import com.leakedkeybot.remediation.RotateKeyStep;
import com.leakedkeybot.remediation.port.AccessKeyControl;
import com.leakedkeybot.remediation.port.InlinePolicies;
import com.leakedkeybot.remediation.port.KeyRotation;
import com.leakedkeybot.remediation.port.ObjectVersions;
import com.leakedkeybot.remediation.port.OldKeys;
import com.leakedkeybot.remediation.port.PolicySimulation;
import com.leakedkeybot.remediation.port.PolicyVersions;
import com.leakedkeybot.remediation.port.ResourceRemoval;
import com.leakedkeybot.remediation.port.RoleDirectory;
import com.leakedkeybot.remediation.port.RootCredentials;
import com.leakedkeybot.remediation.port.SecretVault;
import com.leakedkeybot.remediation.port.TrustPolicies;
import com.leakedkeybot.remediation.port.UserQuarantine;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import static org.mockito.Mockito.mock;

/**
 * The real steps, every kind the runbook offers, on Mockito ports: for tests of the runbook and the incident flow,
 * where what matters is what is proposed, not what AWS does.
 */
public final class MockedSteps {

    private MockedSteps() {
    }

    /** @param versions the object store the restore proposals read (its versioning decides the offer) */
    public static List<RemediationStep> every(IncidentStore store, IncidentChannel channel, Clock clock,
                                              ObjectVersions versions) {
        InlinePolicies inline = mock(InlinePolicies.class);
        AccessKeyControl keys = mock(AccessKeyControl.class);
        UserQuarantine quarantine = mock(UserQuarantine.class);
        return List.of(new AnalysePermissionsStep(mock(OwnerPermissionsSource.class), BlastRadiusAnalysis.standard(),
                        store, channel, clock),
                new DeactivateKeyStep(keys), new ReactivateKeyStep(keys), new RevokeSessionsStep(inline),
                new RevokeRoleSessionsStep(inline, mock(RoleDirectory.class)),
                new QuarantineStep(quarantine, QuarantinePolicies.standard(AccessLevels.standard())),
                new LiftQuarantineStep(quarantine, keys),
                new RotateKeyStep(mock(KeyRotation.class), mock(SecretVault.class), mock(PolicySimulation.class),
                        quarantine, channel, clock),
                new DeleteOldKeyStep(keys, mock(OldKeys.class)), new CleanUpStep(mock(ResourceRemoval.class)),
                new RestoreObjectsStep(versions),
                new RevertPolicyStep(inline, mock(TrustPolicies.class), mock(PolicyVersions.class)),
                new DeleteRootKeyStep(mock(RootCredentials.class)), new CloseIncidentStep(store, channel, clock));
    }

    /** The steps a test gives, and for every other kind the mocked one. */
    public static List<RemediationStep> completing(List<RemediationStep> given, IncidentStore store,
                                                   IncidentChannel channel, Clock clock) {
        List<RemediationStep> all = new ArrayList<>(given);
        every(store, channel, clock, mock(ObjectVersions.class)).stream()
                .filter(step -> given.stream().noneMatch(g -> g.kind() == step.kind())).forEach(all::add);
        return all;
    }
}
