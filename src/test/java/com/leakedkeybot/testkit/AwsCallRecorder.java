package com.leakedkeybot.testkit;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Records every AWS operation the bot sends, through the SDK's own global-interceptor mechanism (registered in
 * src/test/resources/software/amazon/awssdk/global/handlers/execution.interceptors). Only calls made on the bot's
 * worker threads are kept, so test set-up calls do not count. The calls still reach moto: nothing is mocked.
 */
public final class AwsCallRecorder implements ExecutionInterceptor {

    /** The thread-name prefix of the bot's workers, incidents and investigations alike (see LeakedKeyBot). */
    public static final String BOT_THREAD_PREFIX = "incident-";

    private static final List<String> CALLS = new CopyOnWriteArrayList<>();

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        if (Thread.currentThread().getName().startsWith(BOT_THREAD_PREFIX)) {
            CALLS.add(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + ":"
                    + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
        }
    }

    /** Operations as "Service:Operation", e.g. "Iam:UpdateAccessKey", including SDK retries. */
    public static List<String> calls() {
        return List.copyOf(CALLS);
    }

    public static long count(String serviceAndOperation) {
        return CALLS.stream().filter(serviceAndOperation::equals).count();
    }

    public static void reset() {
        CALLS.clear();
    }
}
