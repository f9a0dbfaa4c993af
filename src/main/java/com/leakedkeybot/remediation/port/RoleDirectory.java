package com.leakedkeybot.remediation.port;

/** What session revocation needs to know about a role. */
public interface RoleDirectory {

    /** The role's unique id ({@code AROA…}): sessions of the role act as {@code aws:userid = <id>:<session name>}. */
    String roleId(String roleName);
}
