package dev.leasehold.control;

import dev.leasehold.config.EventLogFormat;
import dev.leasehold.config.HistoryConfig;
import dev.leasehold.wire.Ipv4Address;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lease history: every lease event but OFFER (an offer binds nothing), appended as JSON lines
 * to segment files {@code history/events-<epoch-millis>.jsonl} in the data directory, so it
 * survives restarts and can be read with grep and jq.
 *
 * <p>A segment holds one UTC day at most and at most a sixteenth of the size budget; whole
 * segments are pruned once all their events are older than the retention, and the oldest go
 * first while the files are over budget. Appending is off the packet path: {@link #record}
 * only queues (a full queue drops and counts the event), and one thread writes. That thread
 * also hands every event, OFFERs included, to an observer (the event log), so no log I/O
 * happens on the packet path either, and log lines keep the order of the events. Lines reach the
 * file within about a second and at every query and close; they are not fsynced, so a power cut
 * may lose the last second of history (the leases themselves are in the journal).
 */
final class LeaseHistory implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LeaseHistory.class);
    static final String DIRECTORY = "history";
    private static final Pattern SEGMENT = Pattern.compile("events-(\\d+)\\.jsonl");
    private static final int QUEUE = 65_536;
    private static final long MIN_SEGMENT = 64 << 10;
    private static final long MAX_SEGMENT = 64 << 20;
    /**
     * How long the writer lets events gather after the first one arrives: one wake-up, one log
     * burst and one file write per batch instead of per event (measured under 6,000 leases/s: the
     * per-event wake-ups cost the writer thread about 20 µs of CPU per lease).
     */
    private static final long GATHER_NANOS = 20_000_000L;

    private final Path directory;
    private final HistoryConfig limits;
    private final Clock clock;
    private final Consumer<HistoryEvent> observer;
    private final long segmentBytes;
    private final HistoryCodec codec = new HistoryCodec();
    private final BlockingQueue<HistoryEvent> queue = new ArrayBlockingQueue<>(QUEUE);
    private final AtomicLong enqueued = new AtomicLong();
    private final LongAdder dropped = new LongAdder();
    private final Thread writerThread;
    /** Set by {@link #flush} so the writer skips its gathering pause. */
    private volatile boolean flushRequested;
    /** Guards the open segment and the file list; held while writing and while querying. */
    private final Object files = new Object();
    private long written;
    private Writer out;
    private Path current;
    private LocalDate currentDay;
    private long currentBytes;
    private Instant lastPrune = Instant.EPOCH;
    private volatile boolean closed;

    private LeaseHistory(Path directory, HistoryConfig limits, Clock clock, Consumer<HistoryEvent> observer) {
        this.observer = observer;
        this.directory = directory;
        this.limits = limits;
        this.clock = clock;
        this.segmentBytes = Math.clamp(limits.maxBytes() / 16, MIN_SEGMENT, MAX_SEGMENT);
        this.writerThread = Thread.ofPlatform().name("lease-history").daemon(true).unstarted(this::writeLoop);
    }

    /** Opens (creating) the history under {@code dataDirectory} and prunes what is past retention. */
    static LeaseHistory open(Path dataDirectory, HistoryConfig limits, Clock clock) throws IOException {
        return open(dataDirectory, limits, clock, e -> { });
    }

    /** As {@link #open(Path, HistoryConfig, Clock)}, handing every event to {@code observer} on the writer thread. */
    static LeaseHistory open(Path dataDirectory, HistoryConfig limits, Clock clock, Consumer<HistoryEvent> observer)
            throws IOException {
        Path dir = dataDirectory.resolve(DIRECTORY);
        Files.createDirectories(dir);
        LeaseHistory h = new LeaseHistory(dir, limits, clock, observer);
        synchronized (h.files) {
            h.prune(clock.instant());
        }
        h.writerThread.start();
        return h;
    }

    /** Queues {@code event} for the file; never blocks. */
    void record(HistoryEvent event) {
        if (closed) {
            return;
        }
        if (queue.offer(event)) {
            enqueued.incrementAndGet();
        } else {
            dropped.increment();
        }
    }

    long droppedCount() {
        return dropped.sum();
    }

    /** Bytes in the history files now. */
    long bytes() {
        synchronized (files) {
            long total = 0;
            for (Segment s : segments()) {
                total += size(s.path());
            }
            return total;
        }
    }

    // ---- queries ----

    /**
     * Who held {@code address} at {@code at}, with the span of that holding: the events about the
     * address up to {@code at}, folded into holdings. Lines of other addresses are skipped by a
     * substring test before any parsing.
     */
    Optional<Holding> holderAt(Ipv4Address address, Instant at) throws IOException {
        HistoryFilter filter = new HistoryFilter.ByAddress(address);
        List<HistoryEvent> events = new ArrayList<>();
        for (Segment s : segmentsUpTo(at)) {
            events.addAll(read(s.path(), filter.needle(), e -> filter.test(e) && !e.time().isAfter(at)
                    && e.concernsHolding()));
        }
        Holding found = null;
        for (Holding h : Holding.fold(events)) {
            if (h.covers(at)) {
                found = h;
            }
        }
        return Optional.ofNullable(found);
    }

    /**
     * The holdings that overlap [{@code since}, {@code until}) and match {@code filter} (a MAC, a
     * client id or an address), oldest first. Every segment up to {@code until} is read, because a
     * holding that overlaps the window may have begun long before it.
     */
    List<Holding> holdings(HistoryFilter filter, Instant since, Instant until) throws IOException {
        List<HistoryEvent> events = new ArrayList<>();
        for (Segment s : segmentsUpTo(until)) {
            events.addAll(read(s.path(), filter.needle(), e -> filter.test(e) && e.time().isBefore(until)
                    && e.concernsHolding()));
        }
        List<Holding> out = new ArrayList<>();
        for (Holding h : Holding.fold(events)) {
            if (h.from().isBefore(until) && h.until().isAfter(since)) {
                out.add(h);
            }
        }
        return out;
    }

    /** Raw events matching {@code filter} in [{@code since}, {@code until}), oldest first, at most {@code limit}. */
    List<HistoryEvent> events(HistoryFilter filter, Instant since, Instant until, int limit) throws IOException {
        List<HistoryEvent> out = new ArrayList<>();
        for (Segment s : segmentsUpTo(until)) {
            if (s.next() != null && !s.next().isAfter(since)) {
                continue; // every event in it is before the window
            }
            for (HistoryEvent e : read(s.path(), filter.needle(),
                    e -> filter.test(e) && !e.time().isBefore(since) && e.time().isBefore(until))) {
                if (out.size() >= limit) {
                    return out;
                }
                out.add(e);
            }
        }
        return out;
    }

    /** Segments that may hold events at or before {@code at}, oldest first; flushes pending events first. */
    private List<Segment> segmentsUpTo(Instant at) throws IOException {
        flush();
        synchronized (files) {
            List<Segment> out = new ArrayList<>();
            for (Segment s : segments()) {
                if (!s.start().isAfter(at)) {
                    out.add(s);
                }
            }
            return out;
        }
    }

    private List<HistoryEvent> read(Path file, String needle, Predicate<HistoryEvent> keep) throws IOException {
        List<HistoryEvent> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                // A plain substring test first: parsing every line of a large history would dominate.
                if (needle != null && !line.contains(needle)) {
                    continue;
                }
                codec.parse(line).filter(keep).ifPresent(out::add);
            }
        } catch (java.nio.file.NoSuchFileException e) {
            return List.of(); // pruned while we looked
        }
        out.sort((a, b) -> a.time().compareTo(b.time()));
        return out;
    }

    // ---- writing ----

    /**
     * Waits (at most two seconds) until every event queued before the call is in the file. Only
     * the writer thread writes, so events reach the file in the order they were queued.
     */
    void flush() {
        long target = enqueued.get();
        long deadline = System.nanoTime() + 2_000_000_000L;
        flushRequested = true;
        LockSupport.unpark(writerThread);
        synchronized (files) {
            while (written < target && System.nanoTime() < deadline && writerThread.isAlive()) {
                try {
                    files.wait(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void writeLoop() {
        while (!closed) {
            try {
                HistoryEvent first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first != null && !flushRequested) {
                    LockSupport.parkNanos(GATHER_NANOS);
                }
                flushRequested = false;
                synchronized (files) {
                    if (first != null) {
                        deliver(first);
                    }
                    drainLocked();
                    Instant now = clock.instant();
                    if (now.isAfter(lastPrune.plusSeconds(3600))) {
                        prune(now);
                    }
                    files.notifyAll();
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException | UncheckedIOException e) {
                log.error("lease history write failed; events are being lost until it recovers", e);
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private void drainLocked() {
        try {
            HistoryEvent e;
            while ((e = queue.poll()) != null) {
                deliver(e);
            }
            if (out != null) {
                out.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Tells the observer, then keeps the event unless it is an OFFER (an offer binds nothing). */
    private void deliver(HistoryEvent e) throws IOException {
        try {
            observer.accept(e);
        } catch (RuntimeException ex) {
            log.warn("lease event observer failed on {}", EventFormat.line(EventLogFormat.TEXT, e), ex);
        }
        if (!e.type().equals("offer")) {
            append(e);
        }
        written++;
    }

    private void append(HistoryEvent e) throws IOException {
        LocalDate day = LocalDate.ofInstant(e.time(), ZoneOffset.UTC);
        if (out == null || !day.equals(currentDay) || currentBytes >= segmentBytes) {
            roll(e.time(), day);
        }
        String line = EventFormat.json(e) + "\n";
        out.write(line);
        currentBytes += line.length();
    }

    private void roll(Instant firstEvent, LocalDate day) throws IOException {
        if (out != null) {
            out.close();
        }
        long start = firstEvent.toEpochMilli();
        // Never before the newest segment: its name is the start of the window it covers.
        List<Segment> existing = segments();
        if (!existing.isEmpty()) {
            start = Math.max(start, existing.getLast().start().toEpochMilli() + 1);
        }
        current = directory.resolve("events-" + start + ".jsonl");
        out = Files.newBufferedWriter(current, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        currentDay = day;
        currentBytes = size(current);
        prune(clock.instant());
    }

    /** Deletes segments wholly past retention, then the oldest while over the size budget. Holds {@link #files}. */
    private void prune(Instant now) throws IOException {
        lastPrune = now;
        Instant cutoff = now.minus(limits.retention());
        List<Segment> all = segments();
        long total = 0;
        for (Segment s : all) {
            total += size(s.path());
        }
        for (Segment s : all) {
            if (s.path().equals(current)) {
                break;
            }
            boolean expired = s.next() != null && !s.next().isAfter(cutoff);
            boolean over = total > limits.maxBytes();
            if (!expired && !over) {
                break;
            }
            long bytes = size(s.path());
            Files.deleteIfExists(s.path());
            total -= bytes;
        }
    }

    /** A segment file, when its first event may be, and when the next segment starts (null for the newest). */
    record Segment(Path path, Instant start, Instant next) {}

    private List<Segment> segments() {
        List<Path> paths = new ArrayList<>();
        List<Long> starts = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(directory, "events-*.jsonl")) {
            for (Path p : dir) {
                Matcher m = SEGMENT.matcher(p.getFileName().toString());
                if (m.matches()) {
                    paths.add(p);
                    starts.add(Long.parseLong(m.group(1)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < paths.size(); i++) {
            order.add(i);
        }
        order.sort((a, b) -> Long.compare(starts.get(a), starts.get(b)));
        List<Segment> out = new ArrayList<>(order.size());
        for (int k = 0; k < order.size(); k++) {
            int i = order.get(k);
            Instant next = k + 1 < order.size() ? Instant.ofEpochMilli(starts.get(order.get(k + 1))) : null;
            out.add(new Segment(paths.get(i), Instant.ofEpochMilli(starts.get(i)), next));
        }
        return Collections.unmodifiableList(out);
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    /** Writes what is queued, then closes the open segment. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        flush();
        closed = true;
        try {
            // No interrupt: it would close the file channel under a write. The writer sees the flag within 100 ms.
            writerThread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (files) {
            try {
                drainLocked();
                if (out != null) {
                    out.close();
                    out = null;
                }
            } catch (IOException | UncheckedIOException e) {
                log.warn("closing the lease history failed", e);
            }
        }
    }
}
