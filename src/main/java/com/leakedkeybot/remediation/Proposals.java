package com.leakedkeybot.remediation;

import com.leakedkeybot.step.StepId;
import java.util.List;

/**
 * What a kind of step proposes for an incident: the steps to offer (one per target for kinds that act on several
 * things), and notes for what the bot found but cannot act on, saying why and what a person can do instead.
 */
public record Proposals(List<StepId> steps, List<Note> notes) {

    public static final Proposals NONE = new Proposals(List.of(), List.of());

    /** @param subject what the note is about, e.g. "Restoring objects in S3 bucket logs" */
    public record Note(String subject, String text) {
    }

    public Proposals {
        steps = List.copyOf(steps);
        notes = List.copyOf(notes);
    }

    public static Proposals of(List<StepId> steps) {
        return new Proposals(steps, List.of());
    }
}
