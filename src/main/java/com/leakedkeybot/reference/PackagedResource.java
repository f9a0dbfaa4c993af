package com.leakedkeybot.reference;

import java.io.InputStream;

/** Data files packaged in the jar (rule tables, IAM reference data); a missing one is a build error, not a runtime case. */
public final class PackagedResource {

    private PackagedResource() {
    }

    /** Opens a resource by absolute classpath path, e.g. {@code /event-categories.json}. */
    public static InputStream open(String path) {
        InputStream in = PackagedResource.class.getResourceAsStream(path);
        if (in == null) {
            throw new IllegalStateException(path + " is missing from the classpath");
        }
        return in;
    }
}
