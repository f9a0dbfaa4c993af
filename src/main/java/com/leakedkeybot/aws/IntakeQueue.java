package com.leakedkeybot.aws;

import com.leakedkeybot.intake.EventBridgeEvents;
import com.leakedkeybot.intake.Intake;
import com.leakedkeybot.intake.IntakeEvent;
import com.leakedkeybot.intake.MalformedEventException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Long-polls the intake queue (INTAKE_QUEUE_URL), on a thread of its own, for what EventBridge forwards. A message is
 * deleted only once its report is durably recorded, or once it is known not to concern a leaked key. A message the
 * bot cannot read is logged by its id (never its body: an event may hold anything) and left in the queue, whose
 * redrive policy moves it to the dead-letter queue after a few receives.
 */
public final class IntakeQueue implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IntakeQueue.class);
    /** SQS's longest long poll: an idle bot asks three times a minute. */
    private static final int WAIT_SECONDS = 20;
    private static final int BATCH = 10;
    /** After SQS failed (throttled, unreachable, denied), the next receive waits this long. */
    private static final Duration BACKOFF = Duration.ofSeconds(5);

    private final SqsClient sqs;
    private final String queueUrl;
    private final Intake intake;
    private final Thread thread;
    /** Held while a batch is handled: stopping waits for it, so no message is half-handled by a stopped bot. */
    private final ReentrantLock handling = new ReentrantLock();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;

    private IntakeQueue(SqsClient sqs, String queueUrl, Intake intake) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.intake = intake;
        this.thread = new Thread(this::poll, "intake-queue");
        thread.setDaemon(true);
    }

    /** @param sqs closed with the queue */
    public static IntakeQueue start(SqsClient sqs, String queueUrl, Intake intake) {
        IntakeQueue queue = new IntakeQueue(sqs, queueUrl, intake);
        queue.thread.start();
        LOG.info("Reading automatic reports from the intake queue");
        return queue;
    }

    private void poll() {
        while (running) {
            List<Message> messages;
            try {
                messages = sqs.receiveMessage(r -> r.queueUrl(queueUrl).waitTimeSeconds(WAIT_SECONDS)
                        .maxNumberOfMessages(BATCH)).messages();
            } catch (SdkException | IllegalStateException e) {
                if (!running) {
                    return;
                }
                LOG.warn("Could not read the intake queue, trying again in {} s: {}", BACKOFF.toSeconds(),
                        e.getMessage());
                backOff();
                continue;
            }
            handling.lock();
            try {
                if (!running) {
                    return; // received as the bot stopped: they come back after their visibility timeout
                }
                messages.forEach(this::handle);
            } finally {
                handling.unlock();
            }
        }
    }

    private void handle(Message message) {
        try {
            Optional<IntakeEvent> event;
            try {
                event = EventBridgeEvents.read(message.body());
            } catch (MalformedEventException e) {
                LOG.warn("Intake message {} cannot be read ({}); left for the queue's dead-letter policy",
                        message.messageId(), e.getMessage());
                return;
            }
            if (event.isEmpty()) {
                LOG.info("Intake message {} is not about a leaked key; deleted", message.messageId());
                delete(message);
                return;
            }
            Intake.Outcome outcome = intake.receive(event.get());
            if (outcome.recorded()) {
                delete(message);
            } else {
                LOG.warn("Intake message {} was not recorded; it will be delivered again", message.messageId());
            }
        } catch (RuntimeException e) {
            // Never the poller's end: the message comes back, and after enough tries goes to the dead-letter queue.
            LOG.error("Intake message {} failed: {}", message.messageId(), e.getClass().getSimpleName());
        }
    }

    private void delete(Message message) {
        try {
            sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
        } catch (SdkException e) {
            // Delivered again later: the incident already records it, so the copy opens nothing.
            LOG.warn("Could not delete intake message {}: {}", message.messageId(), e.getMessage());
        }
    }

    private void backOff() {
        try {
            stopped.await(BACKOFF.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /**
     * Waits for a batch being handled, then stops. A long poll in flight is not waited for: whatever it returns is
     * left in the queue.
     */
    @Override
    public void close() {
        running = false;
        stopped.countDown();
        handling.lock();
        handling.unlock();
        thread.interrupt();
        sqs.close();
    }
}
