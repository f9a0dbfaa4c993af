package com.leakedkeybot.investigation;

/** A region the scan could not (fully) read, and why, e.g. "AccessDeniedException: ... explicit deny in an SCP". */
public record RegionFailure(String region, String reason) {
}
