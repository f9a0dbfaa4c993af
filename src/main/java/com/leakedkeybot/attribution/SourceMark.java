package com.leakedkeybot.attribution;

import java.time.Instant;

/** An approver's word on a source: whose calls they are, who said so, and when. */
public record SourceMark(Verdict verdict, String by, Instant at) {
}
