package com.leakedkeybot.incident;

/** How far a CloudTrail scan has got, for the thread's progress message. */
public record ScanProgress(int regionsDone, int regionsTotal, long events, boolean finished) {
}
