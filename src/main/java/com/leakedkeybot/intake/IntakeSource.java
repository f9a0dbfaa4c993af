package com.leakedkeybot.intake;

import java.time.Instant;
import java.util.Set;

/**
 * Where an automatic report came from, and what the thread says about it. Never holds a secret: GitHub's alert is
 * reduced to the key id before anything is kept.
 */
public sealed interface IntakeSource {

    /** Who the incident names as its reporter. */
    String reporter();

    /**
     * When the source says the exposure happened or was seen: AWS Health's {@code startTime}, GuardDuty's first
     * sighting, the GitHub alert's {@code created_at}; null when the event did not say.
     */
    Instant eventTime();

    /** Whether AWS itself confirms the key was exposed or used by someone else: what AUTO_DEACTIVATE=health acts on. */
    default boolean confirmedByAws() {
        return false;
    }

    /** An AWS Health {@code AWS_RISK_*} event; {@code exposedUrl} is where AWS found the key, or null. */
    record AwsHealth(String eventTypeCode, String exposedUrl, Instant eventTime) implements IntakeSource {

        /** The codes by which AWS states a key is out, rather than suspects it. */
        private static final Set<String> CONFIRMED = Set.of("AWS_RISK_CREDENTIALS_EXPOSED",
                "AWS_RISK_CREDENTIALS_COMPROMISED");

        @Override
        public String reporter() {
            return "AWS Health";
        }

        @Override
        public boolean confirmedByAws() {
            return CONFIRMED.contains(eventTypeCode);
        }
    }

    /** A GuardDuty finding about an access key: the call it saw, from where (any part may be null). */
    record GuardDuty(String findingType, String api, String remoteIp, Instant eventTime) implements IntakeSource {

        @Override
        public String reporter() {
            return "GuardDuty";
        }
    }

    /** A GitHub secret scanning alert: the repository ({@code owner/name}) and the alert's page. */
    record GitHubSecretScanning(String repository, String alertUrl, Instant eventTime) implements IntakeSource {

        @Override
        public String reporter() {
            return "GitHub secret scanning";
        }
    }
}
