package com.leakedkeybot.blastradius;

/** Where the policies that grant an IAM user its permissions come from (IAM, in production). */
@FunctionalInterface
public interface OwnerPermissionsSource {
    OwnerPermissions collect(String userName) throws PermissionsLookupException;
}
