package com.leakedkeybot.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the read-only reference data in {@code shared/data}. It sits beside the project both in a developer's
 * worktree and in CI's fresh clone, so it is resolved relative to the project root (Maven's working directory),
 * never by an absolute path.
 */
public final class SharedData {

    private SharedData() {
    }

    /** The file {@code ../shared/data/<relative>}; fails loudly when it is missing so no test silently checks nothing. */
    public static Path path(String relative) {
        Path file = Path.of(System.getProperty("user.dir")).resolve("../shared/data").resolve(relative).normalize();
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("Reference file missing: " + file + " (shared/ must sit beside the project)");
        }
        return file;
    }
}
