package com.leakedkeybot.testkit;

import com.leakedkeybot.sandbox.MotoServer;

/** One moto for the whole test JVM, started on first use: each start costs about a second. */
public final class SharedMoto {

    private SharedMoto() {
    }

    public static MotoServer get() {
        return Holder.INSTANCE;
    }

    /** Holder idiom: the JVM starts moto on first access, exactly once, and stops it when the JVM exits. */
    private static final class Holder {
        static final MotoServer INSTANCE = MotoServer.start();

        static {
            Runtime.getRuntime().addShutdownHook(new Thread(INSTANCE::close, "moto-server-shutdown"));
        }
    }
}
