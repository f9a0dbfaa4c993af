package com.leakedkeybot.investigation;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A temporary key minted by a key under investigation (GetSessionToken, GetFederationToken, AssumeRole...).
 * Only the key id is kept: the secret and session token never reach this record.
 *
 * @param accessKeyId       the minted ASIA key
 * @param parentAccessKeyId the key that called STS
 * @param mintedBy          the STS call, e.g. {@code AssumeRole}
 * @param roleArn           the role assumed, or null
 * @param sessionName       the role session name, or null
 * @param federatedUserName the GetFederationToken name, or null
 * @param principalArn      the ARN the new key acts as (assumed-role or federated-user ARN), or null
 */
public record DerivedCredential(
        String accessKeyId,
        String parentAccessKeyId,
        String mintedBy,
        String roleArn,
        String sessionName,
        String federatedUserName,
        String principalArn,
        Instant issuedAt,
        String region) {

    private static final String STS = "sts.amazonaws.com";
    // The longest lives AWS allows: 36 h for session and federation tokens, 12 h for a role session.
    private static final Duration LONGEST_TOKEN_LIFE = Duration.ofHours(36);
    private static final Duration LONGEST_ROLE_SESSION = Duration.ofHours(12);

    /** The credential a successful STS call handed out, if the event is one. */
    public static Optional<DerivedCredential> from(TrailEvent event) {
        if (!STS.equals(event.eventSource()) || event.failed()) {
            return Optional.empty();
        }
        String newKey = event.responseElements().path("credentials").path("accessKeyId").asText("");
        if (newKey.isEmpty() || newKey.equals(event.accessKeyId())) {
            return Optional.empty();
        }
        var request = event.requestParameters();
        var response = event.responseElements();
        String principal = response.path("assumedRoleUser").path("arn").asText(
                response.path("federatedUser").path("arn").asText(null));
        return Optional.of(new DerivedCredential(newKey, event.accessKeyId(), event.action(),
                request.path("roleArn").asText(null),
                request.path("roleSessionName").asText(null),
                event.action().equals("GetFederationToken") ? request.path("name").asText(null) : null,
                principal, event.eventTime(), event.awsRegion()));
    }

    /** The last moment this key can have been used: scans of it need not look further. */
    public Instant validUntil() {
        return issuedAt.plus(roleArn != null ? LONGEST_ROLE_SESSION : LONGEST_TOKEN_LIFE);
    }

    /** One line for people, e.g. "ASIA… from AKIA… via AssumeRole of arn:aws:iam::1:role/x (session s)". */
    public String describe() {
        StringBuilder line = new StringBuilder(accessKeyId).append(" minted by ").append(parentAccessKeyId)
                .append(" via ").append(mintedBy);
        if (roleArn != null) {
            line.append(" of ").append(roleArn);
        }
        if (sessionName != null) {
            line.append(" (session ").append(sessionName).append(')');
        }
        if (federatedUserName != null) {
            line.append(" as federated user ").append(federatedUserName);
        }
        return line.toString();
    }
}
