package com.leakedkeybot.intake;

/**
 * An event the bot cannot read. Its message says what is wrong in the bot's own words and never quotes the event: an
 * event may carry anything, secrets included.
 */
public final class MalformedEventException extends Exception {

    public MalformedEventException(String reason) {
        super(reason);
    }
}
