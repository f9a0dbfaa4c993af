package com.leakedkeybot.remediation;

/** The runbook steps the bot can carry out, each behind an approval. */
public enum StepKind {
    DEACTIVATE_KEY("Deactivate key", "deactivate");

    private final String label;
    private final String actionId;

    StepKind(String label, String actionId) {
        this.label = label;
        this.actionId = actionId;
    }

    public String label() {
        return label;
    }

    /** Stable name used on buttons and in stored state; never rename one that has shipped. */
    public String actionId() {
        return actionId;
    }

    public static java.util.Optional<StepKind> ofActionId(String actionId) {
        for (StepKind kind : values()) {
            if (kind.actionId.equals(actionId)) {
                return java.util.Optional.of(kind);
            }
        }
        return java.util.Optional.empty();
    }
}
