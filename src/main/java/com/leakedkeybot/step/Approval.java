package com.leakedkeybot.step;

import java.time.Instant;

/**
 * The first of the two approvals a four-eyes step needs, kept until the second arrives.
 *
 * @param attempt the attempt of the step it approves: an approval of a run that failed does not count for the retry
 */
public record Approval(String by, Instant at, int attempt) {
}
