package com.leakedkeybot.investigation;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A key minted by a key under investigation: temporary keys from STS (GetSessionToken, GetFederationToken,
 * AssumeRole...) and long-term keys it created for IAM users (CreateAccessKey), whose use is the attacker's too.
 * Only the key id is kept: the secret and session token never reach this record.
 *
 * @param accessKeyId       the minted ASIA key
 * @param parentAccessKeyId the key that called STS
 * @param mintedBy          the STS call, e.g. {@code AssumeRole}
 * @param roleArn           the role assumed, or null
 * @param sessionName       the role session name, or null
 * @param federatedUserName the GetFederationToken name, or null
 * @param iamUserName       the IAM user a CreateAccessKey key belongs to, or null
 * @param principalArn      the ARN the new key acts as (assumed-role or federated-user ARN), or null
 */
public record DerivedCredential(
        String accessKeyId,
        String parentAccessKeyId,
        String mintedBy,
        String roleArn,
        String sessionName,
        String federatedUserName,
        String iamUserName,
        String principalArn,
        Instant issuedAt,
        String region) {

    private static final String STS = "sts.amazonaws.com";
    private static final String IAM = "iam.amazonaws.com";
    // The longest lives AWS allows: 36 h for session and federation tokens, 12 h for a role session.
    private static final Duration LONGEST_TOKEN_LIFE = Duration.ofHours(36);
    private static final Duration LONGEST_ROLE_SESSION = Duration.ofHours(12);

    /** The credential a successful STS call or CreateAccessKey handed out, if the event is one. */
    public static Optional<DerivedCredential> from(TrailEvent event) {
        if (event.failed()) {
            return Optional.empty();
        }
        if (IAM.equals(event.eventSource()) && event.action().equals("CreateAccessKey")) {
            var key = event.responseElements().path("accessKey");
            String created = key.path("accessKeyId").asText("");
            return created.isEmpty() ? Optional.empty() : Optional.of(new DerivedCredential(created, event.accessKeyId(),
                    event.action(), null, null, null, key.path("userName").asText(null), null, event.eventTime(),
                    event.awsRegion()));
        }
        if (!STS.equals(event.eventSource())) {
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
                event.action().equals("GetFederationToken") ? request.path("name").asText(null) : null, null,
                principal, event.eventTime(), event.awsRegion()));
    }

    /** The last moment this key can have been used (none for a created access key): scans need not look further. */
    public Instant validUntil() {
        if (iamUserName != null) {
            return Instant.MAX;
        }
        return issuedAt.plus(roleArn != null ? LONGEST_ROLE_SESSION : LONGEST_TOKEN_LIFE);
    }

    /** The keys that led to {@code accessKeyId} through {@code minted}: an investigated key first, it last. */
    public static List<String> lineage(String accessKeyId, List<DerivedCredential> minted) {
        List<String> path = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String key = accessKeyId; key != null && seen.add(key); ) {
            path.add(0, key);
            String current = key;
            key = minted.stream().filter(c -> c.accessKeyId().equals(current))
                    .map(DerivedCredential::parentAccessKeyId).findFirst().orElse(null);
        }
        return path;
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
        if (iamUserName != null) {
            line.append(" for user ").append(iamUserName);
        }
        return line.toString();
    }
}
