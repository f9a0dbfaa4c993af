package com.leakedkeybot.testkit;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Tees {@code System.out} and {@code System.err} into a buffer while open, so a test can assert that a secret never
 * reaches the logs. The app logs through slf4j-simple, which looks up {@code System.err} on every call (its
 * {@code org.slf4j.simpleLogger.cacheOutputStream} defaults to false), so swapping the stream is enough; output still
 * reaches the console. Close captures in reverse order of opening, as try-with-resources does. The streams are
 * JVM-wide, so test classes running in parallel take turns: a capture waits for another thread's to close first
 * (everything written meanwhile, by any thread, is captured).
 */
public final class LogCapture implements AutoCloseable {

    private static final ReentrantLock STREAMS = new ReentrantLock();

    private final PrintStream previousOut;
    private final PrintStream previousErr;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    private LogCapture() {
        previousOut = System.out;
        previousErr = System.err;
        System.setOut(tee(previousOut));
        System.setErr(tee(previousErr));
    }

    public static LogCapture start() {
        STREAMS.lock();
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
        STREAMS.unlock();
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
