package com.leakedkeybot.blastradius;

import java.util.List;

/**
 * An explicit Deny the analysis does not assume applies, because it has a condition or covers only some resources.
 *
 * @param actions   the Action patterns as written (prefixed "all except" for NotAction)
 * @param condition the Condition block as JSON, or null
 */
public record ScopedDeny(String policyName, List<String> actions, List<String> resources, String condition) {

    static ScopedDeny of(String policyName, PolicyStatement statement) {
        List<String> actions = statement.actions().stream()
                .map(a -> statement.notAction() ? "all except " + a.text() : a.text()).toList();
        return new ScopedDeny(policyName, actions, statement.resourcesForPeople(), statement.condition());
    }
}
