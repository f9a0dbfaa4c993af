package com.leakedkeybot.remediation;

import com.leakedkeybot.incident.Decision;
import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.IncidentChannel;
import com.leakedkeybot.remediation.port.AwsActionFailure;
import com.leakedkeybot.remediation.port.KeyRotation;
import com.leakedkeybot.remediation.port.PolicySimulation;
import com.leakedkeybot.remediation.port.SecretVault;
import com.leakedkeybot.remediation.port.UserQuarantine;
import com.leakedkeybot.step.StepKind;
import com.leakedkeybot.step.StepOutcome;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runbook step 4, the rotation: a new key for the owner, created with the bot's own credentials (the quarantine
 * stops the owner from creating one), its secret stored in Secrets Manager, and the owner told privately where it is.
 * The secret never reaches the thread, a log line, an exception or the audit trail: only the secret's ARN does.
 *
 * <p>The secret is stored only where the leaked key cannot read it: while that key is active, IAM's policy simulator
 * must say its user's policies do not allow reading the secret, or the rotation waits for the deactivation. The
 * secret is created empty, guarded (only the user and the bot, a deletion date) and filled last.
 */
public final class RotateKeyStep implements RemediationStep {

    private static final Logger LOG = LoggerFactory.getLogger(RotateKeyStep.class);
    private static final String READ_SECRET = "secretsmanager:GetSecretValue";
    /** How long the owner has to fetch the secret; after that it is marked for deletion. */
    private static final int DAYS_TO_FETCH = 7;

    private final KeyRotation keys;
    private final SecretVault vault;
    private final PolicySimulation simulator;
    private final UserQuarantine quarantine;
    private final IncidentChannel channel;
    private final Clock clock;

    public RotateKeyStep(KeyRotation keys, SecretVault vault, PolicySimulation simulator, UserQuarantine quarantine,
                         IncidentChannel channel, Clock clock) {
        this.keys = keys;
        this.vault = vault;
        this.simulator = simulator;
        this.quarantine = quarantine;
        this.channel = channel;
        this.clock = clock;
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
        boolean leakedKeyActive = existing.stream()
                .anyMatch(k -> k.accessKeyId().equals(incident.keyId().value()) && k.active());
        if (leakedKeyActive) {
            Optional<StepOutcome> waits = waitForDeactivation(incident, user);
            if (waits.isPresent()) {
                return waits.get();
            }
        }
        String name = secretName(incident);
        Optional<SecretVault.Secret> earlier = vault.find(name);
        if (earlier.map(SecretVault.Secret::holdsValue).orElse(false)) {
            return StepOutcome.failure("Secrets Manager already holds a key's secret as " + earlier.get().arn()
                    + "; no second key was created.", "If IAM lists that key for user " + user + ", give the owner "
                    + "the secret's ARN; otherwise delete the secret, then retry.");
        }
        // An empty secret is what an interrupted attempt leaves: it is guarded again and used.
        String arn = earlier.map(SecretVault.Secret::arn).orElseGet(() -> vault.create(name));
        LocalDate deleteAfter = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).plusDays(DAYS_TO_FETCH);
        vault.guard(arn, user, deleteAfter);
        KeyRotation.NewKey created = keys.create(user);
        try {
            vault.putValue(arn, created);
        } catch (AwsActionFailure failure) {
            return StepOutcome.failure("New key " + created.accessKeyId() + " was created, but its secret could not "
                    + "be stored (" + failure.getMessage() + "), so it was discarded.", "Delete key "
                    + created.accessKeyId() + " of user " + user + " in the IAM console, fix the bot's Secrets "
                    + "Manager access, then retry.");
        }
        return StepOutcome.success("New key " + created.accessKeyId() + " created for user " + user + " by the bot. "
                + "Its secret is stored in Secrets Manager as " + arn + " and appears nowhere else; a resource policy "
                + "lets only user " + user + " and the bot read it, and it is tagged to be deleted after "
                + deleteAfter + ". " + tellOwner(incident, user, arn, created.accessKeyId(), deleteAfter)
                + stillQuarantined(user));
    }

    @Override
    public StepOutcome reconcile(Incident incident, String target) {
        Optional<SecretVault.Secret> secret = vault.find(secretName(incident)).filter(SecretVault.Secret::holdsValue);
        if (secret.isPresent()) {
            return StepOutcome.success("The new key's secret is stored in Secrets Manager as " + secret.get().arn()
                    + " — confirmed by reading AWS after a restart. The owner may not have been told: give them the "
                    + "secret's ARN.");
        }
        return StepOutcome.failure("Outcome unknown — the bot restarted mid-action and no secret was stored.",
                "If IAM lists a key of user " + incident.facts().userName() + " created at the approval time, its "
                        + "secret is lost: delete that key, then retry.");
    }

    /**
     * Whether the rotation must wait for the leaked key's deactivation: the key's user may read the secret (its
     * resource policy lets the user in, for the owner to fetch it), so whoever holds the leaked key could. When the
     * simulator cannot answer, the secret counts as readable.
     */
    private Optional<StepOutcome> waitForDeactivation(Incident incident, String user) {
        String secret = vault.arnPattern(secretName(incident));
        String waits = "Rotation waits: the leaked key " + incident.keyId() + " is still Active, and ";
        String then = "Deactivate the leaked key (Deactivate key), then retry: once it is inactive, the new key's "
                + "secret can no longer reach it.";
        PolicySimulation.Decision decision;
        try {
            decision = simulator.decide(user, READ_SECRET, secret);
        } catch (AwsActionFailure failure) {
            LOG.warn("Could not simulate {} for user {} of incident {}: {}", READ_SECRET, user, incident.id(),
                    failure.getMessage());
            return Optional.of(StepOutcome.failure(waits + "the bot could not ask IAM's policy simulator whether user "
                    + user + " may read the new key's secret (" + failure.getMessage() + "), so it counts as "
                    + "readable. No key was created.", then + " Or grant the bot iam:SimulatePrincipalPolicy."));
        }
        return switch (decision) {
            case DENIED -> Optional.empty();
            case ALLOWED -> Optional.of(StepOutcome.failure(waits + "IAM's policy simulator says user " + user
                    + "'s policies allow " + READ_SECRET + " on " + secret + ": whoever holds the leaked key could "
                    + "read the new one. No key was created.", then));
            case DEPENDS_ON_CONTEXT -> Optional.of(StepOutcome.failure(waits + "IAM's policy simulator cannot tell "
                    + "whether user " + user + " may use " + READ_SECRET + " on " + secret + ": its policies allow it "
                    + "under conditions on the request, so it counts as readable. No key was created.", then));
        };
    }

    private String tellOwner(Incident incident, String user, String arn, String newKeyId, LocalDate fetchBy) {
        String owner = keys.slackUserOf(user);
        if (owner == null) {
            return "The owner's Slack account is unknown (user " + user + " has no slack-user-id tag): the secret "
                    + "waits in Secrets Manager; hand its ARN to the owner.";
        }
        try {
            channel.tellKeyOwner(incident, owner, newKeyId, arn, fetchBy);
            return "The owner was told privately where to find it, and by when.";
        } catch (RuntimeException e) {
            LOG.warn("Could not message the owner of incident {}: {}", incident.id(), e.getMessage());
            return "The owner could not be messaged (" + e.getMessage() + "): the secret waits in Secrets Manager; "
                    + "hand its ARN to the owner.";
        }
    }

    /** The new key is the user's too: AWS's quarantine denies it whatever it denies the leaked one. */
    private String stillQuarantined(String user) {
        List<String> on;
        try {
            on = QuarantinesOnUser.read(quarantine, user).names();
        } catch (AwsActionFailure failure) {
            return " Whether AWS's quarantine is on user " + user + " could not be read (" + failure.getMessage()
                    + "): if it is, it limits the new key until it is lifted.";
        }
        return on.isEmpty() ? "" : " AWS's quarantine is still on user " + user + " (" + String.join(", ", on)
                + "): it limits the new key as it does the leaked one (e.g. ec2:RunInstances, and from V2 on "
                + "s3:GetObject and lambda:UpdateFunctionCode) until it is lifted — Lift quarantine is offered once "
                + "the leaked key is inactive and its older sessions are revoked.";
    }
}
