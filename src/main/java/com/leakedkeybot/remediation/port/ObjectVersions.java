package com.leakedkeybot.remediation.port;

import java.time.Instant;
import java.util.List;

/** A versioned object store's history of one key, and the two reversible ways to change what the key holds. */
public interface ObjectVersions {

    enum Versioning { ENABLED, SUSPENDED, NEVER_ENABLED }

    /**
     * One entry of a key's history.
     *
     * @param deleteMarker the entry hides the key rather than holding content; its eTag is null
     */
    record Version(String versionId, boolean deleteMarker, Instant lastModified, String eTag) {
    }

    Versioning versioning(String region, String bucket);

    /** Every version and delete marker of exactly {@code key} (not of keys it prefixes), newest first. */
    List<Version> history(String region, String bucket, String key);

    /** Makes {@code versionId}'s content current again as a new version; the history keeps every version. */
    void restore(String region, String bucket, String key, String versionId);

    /** Puts a delete marker on the key: it disappears from listings, and removing the marker brings it back. */
    void hide(String region, String bucket, String key);
}
