package com.leakedkeybot.state;

import com.leakedkeybot.incident.Decision;
import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.IncidentId;
import com.leakedkeybot.incident.IncidentStore;
import com.leakedkeybot.incident.ThreadRef;
import com.leakedkeybot.key.AccessKeyId;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded store: an append-only journal of incident snapshots in {@code STATE_DIR/incidents.journal}, one line
 * per change: {@code <crc32 of the JSON, 8 hex digits> <incident JSON>\n}. Every write is forced to disk (fdatasync)
 * before {@link #decide} returns, so an acknowledged change survives SIGKILL and power loss. On start the journal is
 * replayed into an index of where each incident's latest snapshot lies; incidents are read from disk on demand (the
 * Caffeine layer in front keeps the hot ones decoded). A torn last line, which a crash mid-append leaves, is cut off;
 * damage anywhere else stops start-up rather than silently losing later changes. When superseded snapshots outweigh
 * live ones, the journal is compacted: latest snapshots copied to a new file, forced, renamed over the old one.
 *
 * <p>One process per directory, enforced with an OS file lock that dies with the process: this is what lets a
 * restarted bot treat every step left in flight as abandoned at once.
 */
public final class JournalIncidentStore implements IncidentStore, AutoCloseable {

    public static final String JOURNAL = "incidents.journal";
    private static final String LOCK = "lock";
    private static final long COMPACT_ABOVE_BYTES = 1 << 20;
    private static final Logger LOG = LoggerFactory.getLogger(JournalIncidentStore.class);

    private final Path journal;
    private final IncidentJson json;
    private final Retention retention;
    private final Clock clock;
    private final FileChannel lockFile;

    /** Readers and writers (append and index together) share it; compaction, which swaps the file, takes it alone. */
    private final ReadWriteLock fileSwap = new ReentrantReadWriteLock();
    private final Object append = new Object();
    private final Object[] stripes = new Object[64];
    private final Map<IncidentId, Position> positions = new ConcurrentHashMap<>();
    private final Map<ThreadRef, IncidentId> threads = new ConcurrentHashMap<>();
    private final Set<IncidentId> inFlight = ConcurrentHashMap.newKeySet();
    private final Set<IncidentId> watched = ConcurrentHashMap.newKeySet();
    /** Open incidents by key; more than one only in journals written before one open incident per key. */
    private final Map<AccessKeyId, Set<IncidentId>> openByKey = new ConcurrentHashMap<>();
    private final Object keys = new Object();
    private FileChannel file;
    private long end;
    private long liveBytes;

    private record Position(long offset, int length) {
    }

    private JournalIncidentStore(Path dir, IncidentJson json, Retention retention, Clock clock, FileChannel lockFile) {
        this.journal = dir.resolve(JOURNAL);
        this.json = json;
        this.retention = retention;
        this.clock = clock;
        this.lockFile = lockFile;
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new Object();
        }
    }

    /**
     * Opens (creating if needed) the journal in {@code dir} and replays it.
     *
     * @throws IllegalStateException when another process holds the directory, or the journal is damaged
     */
    public static JournalIncidentStore open(Path dir, IncidentJson json, Retention retention, Clock clock) {
        try {
            Files.createDirectories(dir);
            FileChannel lockFile = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = lockFile.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                lockFile.close();
                throw new IllegalStateException("STATE_DIR " + dir + " is in use by another bot process");
            }
            JournalIncidentStore store = new JournalIncidentStore(dir, json, retention, clock, lockFile);
            try {
                store.replay();
            } catch (IOException | RuntimeException e) {
                store.close();
                throw e;
            }
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException("STATE_DIR " + dir + " is not usable", e);
        }
    }

    @Override
    public void create(Incident incident) {
        synchronized (stripe(incident.id())) {
            if (positions.containsKey(incident.id())) {
                throw new IllegalStateException("incident " + incident.id() + " exists already");
            }
            write(incident);
        }
        compactIfWorthIt();
    }

    /** Serialised over all keys: reports are rare, and one lock keeps the check and the write together. */
    @Override
    public Optional<IncidentId> createUnlessOpen(Incident incident) {
        synchronized (keys) {
            Optional<IncidentId> open = openByKey.getOrDefault(incident.keyId(), Set.of()).stream().findFirst();
            if (open.isEmpty()) {
                create(incident);
            }
            return open;
        }
    }

    @Override
    public Optional<Incident> find(IncidentId id) {
        fileSwap.readLock().lock();
        try {
            Position position = positions.get(id);
            return position == null ? Optional.empty() : Optional.of(read(position));
        } finally {
            fileSwap.readLock().unlock();
        }
    }

    @Override
    public Optional<Incident> findByThread(ThreadRef thread) {
        return Optional.ofNullable(threads.get(thread)).flatMap(this::find);
    }

    @Override
    public <T> Decision<T> decide(IncidentId id, Function<Incident, Decision<T>> change) {
        Decision<T> decided;
        synchronized (stripe(id)) {
            Incident current = find(id).orElseThrow(() -> new IllegalArgumentException("no incident " + id));
            decided = change.apply(current);
            Incident next = decided.incident();
            if (next.equals(current)) {
                return Decision.unchanged(current, decided.value());
            }
            if (!next.id().equals(id)) {
                throw new IllegalStateException("a change may not rename incident " + id);
            }
            next.auditSince(current);
            write(next);
        }
        compactIfWorthIt();
        return decided;
    }

    /** The index of open incidents by key, which keeps one key from having two, holds them all. */
    @Override
    public List<IncidentId> open() {
        return openByKey.values().stream().flatMap(Set::stream).distinct().toList();
    }

    @Override
    public List<IncidentId> withStepsInFlight() {
        return List.copyOf(inFlight);
    }

    @Override
    public List<IncidentId> watched() {
        return List.copyOf(watched);
    }

    /** Bytes on disk, live or superseded (for tests). */
    long journalBytes() {
        synchronized (append) {
            return end;
        }
    }

    /** Closing the lock file's channel releases the directory lock. Closing twice is harmless. */
    @Override
    public void close() throws IOException {
        fileSwap.writeLock().lock();
        try {
            if (file != null) {
                file.close();
            }
            lockFile.close();
        } finally {
            fileSwap.writeLock().unlock();
        }
    }

    private Object stripe(IncidentId id) {
        return stripes[Math.floorMod(id.hashCode(), stripes.length)];
    }

    /**
     * Appends the snapshot and points the index at it within one hold of the read lock, so that compaction (the write
     * lock) sees both or neither. Between the two it would copy the previous snapshot into its new file, and the index
     * would then point into that file at an offset of the old one: the acknowledged change lost at the next start.
     */
    private void write(Incident incident) {
        byte[] record = record(json.write(incident));
        fileSwap.readLock().lock();
        try {
            index(incident, append(record));
        } finally {
            fileSwap.readLock().unlock();
        }
    }

    /** The caller holds the read lock. */
    private Position append(byte[] record) {
        try {
            synchronized (append) {
                long at = end;
                ByteBuffer buffer = ByteBuffer.wrap(record);
                while (buffer.hasRemaining()) {
                    file.write(buffer, at + buffer.position());
                }
                // The change is acknowledged only once it is on disk: this is the durability promise.
                file.force(false);
                end += record.length;
                return new Position(at, record.length);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the incident journal", e);
        }
    }

    private void index(Incident incident, Position position) {
        synchronized (append) {
            Position previous = positions.put(incident.id(), position);
            liveBytes += position.length() - (previous == null ? 0 : previous.length());
        }
        if (incident.thread() != null) {
            threads.put(incident.thread(), incident.id());
        }
        if (incident.hasStepInFlight()) {
            inFlight.add(incident.id());
        } else {
            inFlight.remove(incident.id());
        }
        if (incident.watched()) {
            watched.add(incident.id());
        } else {
            watched.remove(incident.id());
        }
        if (incident.isClosed()) {
            openByKey.computeIfPresent(incident.keyId(), (key, ids) -> {
                ids.remove(incident.id());
                return ids.isEmpty() ? null : ids;
            });
        } else {
            openByKey.computeIfAbsent(incident.keyId(), key -> ConcurrentHashMap.newKeySet()).add(incident.id());
        }
    }

    private Incident read(Position position) {
        ByteBuffer buffer = ByteBuffer.allocate(position.length());
        try {
            while (buffer.hasRemaining()) {
                if (file.read(buffer, position.offset() + buffer.position()) < 0) {
                    throw new IllegalStateException("incident journal ends early at " + position.offset());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the incident journal", e);
        }
        String line = new String(buffer.array(), 0, position.length() - 1, StandardCharsets.UTF_8);
        return json.read(payloadOf(line).orElseThrow(
                () -> new IllegalStateException("incident journal damaged at " + position.offset())));
    }

    private void replay() throws IOException {
        file = FileChannel.open(journal, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        long offset = 0;
        long fileSize = file.size();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(journal), 1 << 16)) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            while (true) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                if (b != '\n') {
                    line.write(b);
                    continue;
                }
                int length = line.size() + 1;
                Optional<String> payload = payloadOf(line.toString(StandardCharsets.UTF_8));
                if (payload.isEmpty()) {
                    if (offset + length < fileSize) {
                        throw new IllegalStateException("incident journal " + journal + " is damaged at byte " + offset
                                + "; later records follow, so it is not a torn last write. Restore it from a backup.");
                    }
                    break;
                }
                index(json.read(payload.get()), new Position(offset, length));
                offset += length;
                line.reset();
            }
        }
        if (offset < fileSize) {
            LOG.warn("Cut a torn last record ({} bytes) off the incident journal: it was never acknowledged",
                    fileSize - offset);
            file.truncate(offset);
            file.force(true);
        }
        end = offset;
        LOG.info("Incident journal replayed: {} incidents, {} with a step in flight", positions.size(), inFlight.size());
        compactIfWorthIt();
    }

    private void compactIfWorthIt() {
        synchronized (append) {
            if (end < COMPACT_ABOVE_BYTES || end < 2 * liveBytes) {
                return;
            }
        }
        compact();
    }

    /** Rewrites the journal with the latest snapshot of each incident, dropping closed ones past retention. */
    void compact() {
        fileSwap.writeLock().lock();
        try {
            Path next = journal.resolveSibling(JOURNAL + ".compacting");
            Map<IncidentId, Position> kept = new ConcurrentHashMap<>();
            long written = 0;
            int expired = 0;
            try (FileChannel out = FileChannel.open(next, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                for (Map.Entry<IncidentId, Position> entry : positions.entrySet()) {
                    Incident incident = read(entry.getValue());
                    if (retention.expiresAt(incident).filter(at -> at.isBefore(clock.instant())).isPresent()) {
                        expired++;
                        continue;
                    }
                    byte[] record = record(json.write(incident));
                    out.write(ByteBuffer.wrap(record));
                    kept.put(entry.getKey(), new Position(written, record.length));
                    written += record.length;
                }
                out.force(true);
            }
            Files.move(next, journal, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel dir = FileChannel.open(journal.getParent(), StandardOpenOption.READ)) {
                dir.force(true); // the rename itself must survive a crash
            }
            file.close();
            file = FileChannel.open(journal, StandardOpenOption.READ, StandardOpenOption.WRITE);
            synchronized (append) {
                LOG.info("Compacted the incident journal from {} to {} bytes ({} expired incidents dropped)",
                        end, written, expired);
                positions.keySet().retainAll(kept.keySet());
                positions.putAll(kept);
                threads.values().retainAll(kept.keySet());
                inFlight.retainAll(kept.keySet());
                watched.retainAll(kept.keySet());
                end = written;
                liveBytes = written;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not compact the incident journal", e);
        } finally {
            fileSwap.writeLock().unlock();
        }
    }

    /** One journal line for {@code payload}; package-visible so the benchmark can lay down large journals quickly. */
    static byte[] record(String payload) {
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        return (checksum(bytes) + " " + payload + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The JSON of a well-formed record line, or empty when the line is torn or damaged. */
    private static Optional<String> payloadOf(String line) {
        if (line.length() < 10 || line.charAt(8) != ' ') {
            return Optional.empty();
        }
        String payload = line.substring(9);
        return checksum(payload.getBytes(StandardCharsets.UTF_8)).equals(line.substring(0, 8))
                ? Optional.of(payload) : Optional.empty();
    }

    private static String checksum(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return HexFormat.of().toHexDigits((int) crc.getValue());
    }
}
