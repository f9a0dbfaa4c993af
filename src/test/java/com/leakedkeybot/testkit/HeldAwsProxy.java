package com.leakedkeybot.testkit;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An HTTP proxy in front of moto that can hold IAM's UpdateAccessKey requests in the air, so a test can kill the bot
 * while its step is in flight, and then decide whether the held request ever reaches IAM (as with a real network,
 * where a request may or may not have landed when its sender died). It counts the requests it saw and the ones it
 * delivered: the ground truth of how often the bot changed IAM.
 */
public final class HeldAwsProxy implements AutoCloseable {

    private static final String UPDATE_ACCESS_KEY = "Action=UpdateAccessKey";

    private final AtomicInteger updatesSeen = new AtomicInteger();
    private final AtomicInteger updatesDelivered = new AtomicInteger();
    private final AtomicReference<CountDownLatch> holding = new AtomicReference<>();
    private final CountDownLatch held = new CountDownLatch(1);
    private volatile boolean deliverHeld;
    private final AwsProxy proxy;

    private HeldAwsProxy(URI target) {
        this.proxy = AwsProxy.start(target, this::admit);
    }

    public static HeldAwsProxy start(URI target) {
        return new HeldAwsProxy(target);
    }

    /** For the bot's AWS_ENDPOINT_URL. */
    public URI endpoint() {
        return proxy.endpoint();
    }

    /** From now on, UpdateAccessKey requests wait at the proxy until {@link #release}. */
    public void holdUpdates() {
        holding.set(new CountDownLatch(1));
    }

    /** Waits until an UpdateAccessKey request is being held. */
    public boolean awaitHeldUpdate(Duration timeout) throws InterruptedException {
        return held.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Lets held requests go: delivered to IAM, or dropped as if the network lost them. Stops holding. */
    public void release(boolean deliver) {
        deliverHeld = deliver;
        CountDownLatch latch = holding.getAndSet(null);
        if (latch != null) {
            latch.countDown();
        }
    }

    public int updatesSeen() {
        return updatesSeen.get();
    }

    /** UpdateAccessKey requests that reached IAM (moto). */
    public int updatesDelivered() {
        return updatesDelivered.get();
    }

    @Override
    public void close() {
        release(false);
        proxy.close();
    }

    private boolean admit(String body) throws InterruptedException {
        if (!body.contains(UPDATE_ACCESS_KEY)) {
            return true;
        }
        updatesSeen.incrementAndGet();
        CountDownLatch latch = holding.get();
        if (latch != null) {
            held.countDown();
            latch.await(60, TimeUnit.SECONDS);
            if (!deliverHeld) {
                return false;
            }
        }
        updatesDelivered.incrementAndGet();
        return true;
    }
}
