package com.leakedkeybot.blastradius;

import java.util.List;

/**
 * One statement of an IAM policy.
 *
 * @param actions    the Action (or NotAction, see {@code notAction}) patterns as written
 * @param resources  the Resource (or NotResource, see {@code notResource}) values as written; empty if absent
 * @param condition  the Condition block as compact JSON, or null when the statement has none
 */
public record PolicyStatement(String sid, Effect effect, List<ActionPattern> actions, boolean notAction,
                              List<String> resources, boolean notResource, String condition) {

    public enum Effect { ALLOW, DENY }

    public boolean conditional() {
        return condition != null;
    }

    /** True for Resource "*": the statement is not limited to some resources. */
    public boolean allResources() {
        return !notResource && resources.contains("*");
    }

    /** Whether the statement's Action (or NotAction) covers the action, e.g. {@code s3:GetObject}. */
    public boolean covers(String action) {
        boolean listed = actions.stream().anyMatch(pattern -> pattern.matches(action));
        return notAction != listed;
    }

    /** The resources as people read them, e.g. "*" or "everything except arn:aws:s3:::logs". */
    public List<String> resourcesForPeople() {
        if (!notResource) {
            return resources;
        }
        return resources.stream().map(r -> "everything except " + r).toList();
    }
}
