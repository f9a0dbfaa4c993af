package com.leakedkeybot.sandbox;

import java.security.SecureRandom;
import java.util.HexFormat;

/** The sandbox workspace's own bot token and signing secret: random per start, known only to this process. */
record SandboxSecrets(String botToken, String signingSecret) {

    static SandboxSecrets random() {
        SecureRandom random = new SecureRandom();
        return new SandboxSecrets("xoxb-sandbox-" + hex(random, 12), hex(random, 32));
    }

    private static String hex(SecureRandom random, int bytes) {
        byte[] value = new byte[bytes];
        random.nextBytes(value);
        return HexFormat.of().formatHex(value);
    }

    @Override
    public String toString() {
        return "SandboxSecrets[hidden]";
    }
}
