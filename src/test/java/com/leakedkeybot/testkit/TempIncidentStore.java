package com.leakedkeybot.testkit;

import com.leakedkeybot.incident.CachedIncidentStore;
import com.leakedkeybot.incident.IncidentStore;
import com.leakedkeybot.state.IncidentJson;
import com.leakedkeybot.state.JournalIncidentStore;
import com.leakedkeybot.state.Retention;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** The bot's own store stack (Caffeine over the journal) in a test's temporary directory. */
public final class TempIncidentStore implements AutoCloseable {

    private final JournalIncidentStore journal;
    private final IncidentStore store;

    private TempIncidentStore(JournalIncidentStore journal) {
        this.journal = journal;
        this.store = new CachedIncidentStore(journal, 10, Duration.ofDays(1));
    }

    public static TempIncidentStore open(Path dir, Clock clock) {
        IncidentJson json = new IncidentJson();
        return new TempIncidentStore(
                JournalIncidentStore.open(dir, json, Retention.ofClosedIncidents(Duration.ofDays(1)), clock));
    }

    public IncidentStore store() {
        return store;
    }

    @Override
    public void close() throws IOException {
        journal.close();
    }
}
