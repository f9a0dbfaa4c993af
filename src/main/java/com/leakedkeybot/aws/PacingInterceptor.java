package com.leakedkeybot.aws;

import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Paces every HTTP attempt of a client, SDK retries included (beforeTransmission runs once per attempt), so
 * backoff retries cannot burst past the limit either.
 */
final class PacingInterceptor implements ExecutionInterceptor {

    private final RequestPacer pacer;

    PacingInterceptor(RequestPacer pacer) {
        this.pacer = pacer;
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes executionAttributes) {
        try {
            pacer.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw AbortedException.create("Interrupted while waiting for the CloudTrail request rate", e);
        }
    }
}
