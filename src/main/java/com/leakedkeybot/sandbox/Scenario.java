package com.leakedkeybot.sandbox;

import java.util.List;
import java.util.Optional;

/** A fire drill's story: what happened in the account before the key was reported, and what the attacker does next. */
public interface Scenario {

    /** Every drill the sandbox offers, the default first. */
    List<Scenario> ALL = List.of(new ExfiltrationScenario(), new ReadOnlyScenario(), new RootKeyScenario());

    String name();

    /** One line for {@code --list-scenarios}. */
    String summary();

    /** Plays the story up to the leak, through the real AWS API; returns the leaked key and what follows a report. */
    Played play(DrillAccount account);

    /**
     * @param leakedKeyId   the key the drill is about: the one to report
     * @param attackerGoesOn the attacker's next move, made a while after the report, while the drill runs
     */
    record Played(String leakedKeyId, Optional<Runnable> attackerGoesOn) {
    }

    static Optional<Scenario> named(String name) {
        return ALL.stream().filter(scenario -> scenario.name().equals(name)).findFirst();
    }
}
