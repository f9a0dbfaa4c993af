package com.leakedkeybot.remediation.port;

/**
 * An AWS call a step depends on failed, classified so the thread can say what to do next. Adapters translate SDK
 * exceptions into this; the message is AWS's own text and never holds a secret.
 */
public class AwsActionFailure extends RuntimeException {

    public enum Kind { ACCESS_DENIED, NOT_FOUND, THROTTLED, LIMIT_EXCEEDED, OTHER }

    private final Kind kind;
    private final String action;

    public AwsActionFailure(Kind kind, String action, String message) {
        super(action + ": " + message);
        this.kind = kind;
        this.action = action;
    }

    public Kind kind() {
        return kind;
    }

    /** The IAM-style action name, e.g. {@code iam:UpdateAccessKey}. */
    public String action() {
        return action;
    }
}
