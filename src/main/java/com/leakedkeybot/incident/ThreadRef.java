package com.leakedkeybot.incident;

/** The chat thread of an incident: its channel and the timestamp of its root message. */
public record ThreadRef(String channel, String rootTs) {
}
