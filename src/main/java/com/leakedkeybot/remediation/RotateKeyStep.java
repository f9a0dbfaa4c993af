package com.leakedkeybot.remediation;

import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.IncidentChannel;
import com.leakedkeybot.remediation.port.AwsActionFailure;
import com.leakedkeybot.remediation.port.KeyRotation;
import com.leakedkeybot.remediation.port.SecretVault;
import com.leakedkeybot.step.StepKind;
import com.leakedkeybot.step.StepOutcome;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runbook step 4, the rotation: a new key for the owner, created with the bot's own credentials (the quarantine
 * stops the owner from creating one), its secret stored in Secrets Manager, and the owner told privately where it is.
 * The secret never reaches the thread, a log line, an exception or the audit trail: only the secret's ARN does.
 */
public final class RotateKeyStep implements RemediationStep {

    private static final Logger LOG = LoggerFactory.getLogger(RotateKeyStep.class);

    private final KeyRotation keys;
    private final SecretVault vault;
    private final IncidentChannel channel;

    public RotateKeyStep(KeyRotation keys, SecretVault vault, IncidentChannel channel) {
        this.keys = keys;
        this.vault = vault;
        this.channel = channel;
    }

    /** One secret per incident and user, under a prefix the bot's policy is limited to. */
    public static String secretName(Incident incident) {
        return "leaked-key-bot/" + incident.id() + "/" + incident.facts().userName();
    }

    @Override
    public StepKind kind() {
        return StepKind.ROTATE_KEY;
    }

    @Override
    public StepOutcome execute(Incident incident, String target) {
        String user = incident.facts().userName();
        List<KeyRotation.Key> existing = keys.keys(user);
        if (existing.size() >= 2) {
            String other = existing.stream().map(KeyRotation.Key::accessKeyId)
                    .filter(id -> !id.equals(incident.keyId().value())).findFirst().orElse("the older key");
            return StepOutcome.failure("User " + user + " already has two access keys, IAM's limit: a new one cannot "
                    + "be created.", "Delete " + other + " (the user's other key) in the IAM console if nothing uses "
                    + "it, then retry. Keep the leaked key (inactive) until every workload has moved.");
        }
        KeyRotation.NewKey created = keys.create(user);
        String arn;
        try {
            arn = vault.store(secretName(incident), created);
        } catch (AwsActionFailure failure) {
            return StepOutcome.failure("New key " + created.accessKeyId() + " was created, but its secret could not "
                    + "be stored (" + failure.getMessage() + "), so it was discarded.", "Delete key "
                    + created.accessKeyId() + " of user " + user + " in the IAM console, fix the bot's Secrets "
                    + "Manager access, then retry.");
        }
        return StepOutcome.success("New key " + created.accessKeyId() + " created for user " + user + " by the bot. "
                + "Its secret is stored in Secrets Manager as " + arn + " and appears nowhere else. "
                + tellOwner(incident, user, arn, created.accessKeyId()));
    }

    @Override
    public StepOutcome reconcile(Incident incident, String target) {
        Optional<String> arn = vault.arnOf(secretName(incident));
        if (arn.isPresent()) {
            return StepOutcome.success("The new key's secret is stored in Secrets Manager as " + arn.get()
                    + " — confirmed by reading AWS after a restart. The owner may not have been told: give them the "
                    + "secret's ARN.");
        }
        return StepOutcome.failure("Outcome unknown — the bot restarted mid-action and no secret was stored.",
                "If IAM lists a key of user " + incident.facts().userName() + " created at the approval time, its "
                        + "secret is lost: delete that key, then retry.");
    }

    private String tellOwner(Incident incident, String user, String arn, String newKeyId) {
        String owner = keys.slackUserOf(user);
        if (owner == null) {
            return "The owner's Slack account is unknown (user " + user + " has no slack-user-id tag): the secret "
                    + "waits in Secrets Manager; hand its ARN to the owner.";
        }
        try {
            channel.tellKeyOwner(incident, owner, newKeyId, arn);
            return "The owner was told privately where to find it.";
        } catch (RuntimeException e) {
            LOG.warn("Could not message the owner of incident {}: {}", incident.id(), e.getMessage());
            return "The owner could not be messaged (" + e.getMessage() + "): the secret waits in Secrets Manager; "
                    + "hand its ARN to the owner.";
        }
    }
}
