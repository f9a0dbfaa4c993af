package com.leakedkeybot.investigation;

/**
 * Follows a running scan, e.g. to keep a Slack progress message up to date. Called from scan threads: keep it quick.
 */
public interface ScanListener {

    ScanListener NONE = (regionsDone, regionsTotal, eventsSoFar) -> { };

    /** Regions done may go down again when a newly found derived key sends finished regions back to work. */
    void progress(int regionsDone, int regionsTotal, long eventsSoFar);

    /** Every event the scan reads, e.g. to remember the newest ones; called from scan threads. */
    default void read(TrailEvent event) {
    }

    /** The first successful event of an alarming kind, as soon as it is seen. */
    default void finding(NotableEvent finding) {
    }
}
