package com.leakedkeybot.testkit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class LogCaptureTest {

    private static final Logger LOG = LoggerFactory.getLogger(LogCaptureTest.class);

    @Test
    void capturesSlf4jSimpleInitialisedBeforeTheCaptureStarted() {
        // slf4j-simple is initialised here, against the original System.err: a logger that cached its stream
        // would keep writing there and the capture below would miss it.
        LOG.info("before capture");

        try (LogCapture capture = LogCapture.start()) {
            LOG.info("deactivated key for alice");

            assertTrue(capture.text().contains("deactivated key for alice"));
            assertFalse(capture.text().contains("before capture"));
        }
    }

    @Test
    void capturesBothStreamsFromAnyThread() throws InterruptedException {
        try (LogCapture capture = LogCapture.start()) {
            Thread worker = new Thread(() -> System.err.println("from a worker thread"));
            worker.start();
            worker.join();
            System.out.println("from stdout");

            assertTrue(capture.text().contains("from a worker thread"));
            assertTrue(capture.text().contains("from stdout"));
        }
    }

    @Test
    void closeRestoresTheStreamsAndStopsCapturing() {
        var err = System.err;
        var out = System.out;
        LogCapture capture = LogCapture.start();

        capture.close();
        System.err.println("after close");

        assertSame(err, System.err);
        assertSame(out, System.out);
        assertFalse(capture.text().contains("after close"));
    }
}
