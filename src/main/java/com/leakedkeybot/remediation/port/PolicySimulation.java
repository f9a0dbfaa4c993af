package com.leakedkeybot.remediation.port;

import com.leakedkeybot.incident.Decision;

/** What IAM's policy simulator says an IAM user's own policies (its groups' and boundary included) allow. */
public interface PolicySimulation {

    enum Decision {
        ALLOWED,
        /** Denied, explicitly or because nothing allows it. */
        DENIED,
        /** Not allowed as simulated, but the user's policies set conditions on request context the simulation lacks. */
        DEPENDS_ON_CONTEXT
    }

    /**
     * @param resourceArn may be an ARN pattern, e.g. for a resource that does not exist yet
     * @throws AwsActionFailure when the simulation is refused or fails
     */
    Decision decide(String userName, String action, String resourceArn);
}
