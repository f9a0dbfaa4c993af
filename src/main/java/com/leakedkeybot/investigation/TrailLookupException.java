package com.leakedkeybot.investigation;

/** A lookup AWS refused or that could not complete; the message is the reason shown to people. */
public class TrailLookupException extends Exception {

    public TrailLookupException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
