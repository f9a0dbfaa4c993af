package com.leakedkeybot.remediation.port;

import com.leakedkeybot.investigation.AffectedResource;

/** Removes what an attacker created, one resource at a time, and checks whether it is still there. */
public interface ResourceRemoval {

    /** Whether the bot knows how to remove resources of this kind. */
    boolean removable(AffectedResource.Kind kind);

    void remove(AffectedResource resource);

    boolean exists(AffectedResource resource);
}
