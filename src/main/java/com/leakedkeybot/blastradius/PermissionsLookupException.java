package com.leakedkeybot.blastradius;

/** The owner's policies could not be read; the message is the reason shown to people. */
public class PermissionsLookupException extends Exception {

    public PermissionsLookupException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
