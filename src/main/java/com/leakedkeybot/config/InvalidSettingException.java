package com.leakedkeybot.config;

/** A setting is missing or malformed. The message names the variable and never contains its value. */
public class InvalidSettingException extends RuntimeException {

    public InvalidSettingException(String variable, String problem) {
        super(variable + " " + problem);
    }
}
