package com.leakedkeybot.testkit;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Tees {@code System.out} and {@code System.err} into a buffer while open, so a test can assert that a secret never
 * reaches the logs. The app logs through slf4j-simple, which looks up {@code System.err} on every call (its
 * {@code org.slf4j.simpleLogger.cacheOutputStream} defaults to false), so swapping the stream is enough; output still
 * reaches the console. Close captures in reverse order of opening, as try-with-resources does.
 */
public final class LogCapture implements AutoCloseable {

    private final PrintStream previousOut = System.out;
    private final PrintStream previousErr = System.err;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    private LogCapture() {
        System.setOut(tee(previousOut));
        System.setErr(tee(previousErr));
    }

    public static LogCapture start() {
        return new LogCapture();
    }

    /** Everything written to either stream since {@link #start()}. */
    public String text() {
        synchronized (buffer) {
            return buffer.toString(StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        System.out.flush();
        System.err.flush();
        System.setOut(previousOut);
        System.setErr(previousErr);
    }

    /** Application threads log concurrently: writes to the shared buffer are serialised on it. */
    private PrintStream tee(PrintStream original) {
        OutputStream both = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                synchronized (buffer) {
                    buffer.write(bytes, offset, length);
                }
                original.write(bytes, offset, length);
            }

            @Override
            public void flush() {
                original.flush();
            }
        };
        return new PrintStream(both, true, StandardCharsets.UTF_8);
    }
}
