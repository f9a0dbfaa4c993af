package com.leakedkeybot.intake;

import java.time.Instant;

/** A report's source in one line of plain text, for the audit trail (the thread renders its own, escaped). */
final class IntakeDescriptions {

    private IntakeDescriptions() {
    }

    static String of(IntakeSource source) {
        String what;
        if (source instanceof IntakeSource.AwsHealth health) {
            what = "AWS Health " + health.eventTypeCode()
                    + (health.exposedUrl() == null ? "" : ", exposed at " + health.exposedUrl());
        } else if (source instanceof IntakeSource.GuardDuty finding) {
            what = "GuardDuty " + orUnknown(finding.findingType()) + ", API " + orUnknown(finding.api()) + " from "
                    + orUnknown(finding.remoteIp());
        } else {
            IntakeSource.GitHubSecretScanning alert = (IntakeSource.GitHubSecretScanning) source;
            what = "GitHub secret scanning alert in " + alert.repository() + " (" + alert.alertUrl() + ")";
        }
        Instant at = source.eventTime();
        return what + (at == null ? "" : "; event time " + at);
    }

    private static String orUnknown(String text) {
        return text == null ? "unknown" : text;
    }
}
