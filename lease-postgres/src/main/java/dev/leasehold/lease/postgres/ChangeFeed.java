package dev.leasehold.lease.postgres;

import dev.leasehold.lease.Lease;
import dev.leasehold.wire.Ipv4Address;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.Lock;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@link LeaseMirror} in step with other writers: the table's trigger NOTIFYs channel
 * {@value #CHANNEL} with "writer address micros" for every changed row; this thread LISTENs on
 * a connection of its own, skips its own server's changes, re-reads the others' rows, and tells
 * the store's listeners (the engine, which fixes its free sets).
 *
 * <p>NOTIFY is not durable: while the connection is down, changes go unseen. So after every
 * (re)connect the feed LISTENs first, then re-reads the whole table, and reports every address
 * whose row differs from the mirror. A connection that stays quiet is probed every few seconds,
 * so a dead database is noticed even when nobody writes.
 *
 * <p>Threads: owned by the thread {@code lease-postgres-feed}; {@link #refresh} and
 * {@link #addListener} may be called from any thread. Listeners run on the feed thread.
 */
final class ChangeFeed implements AutoCloseable {

    static final String CHANNEL = "leasehold_lease";
    private static final Logger log = LoggerFactory.getLogger(ChangeFeed.class);
    private static final int POLL_MILLIS = 100;
    private static final long PROBE_EVERY_NANOS = 5_000_000_000L;
    private static final long MAX_BACKOFF_MILLIS = 2_000;
    private static final int FETCH_SIZE = 10_000;

    /** Opens the feed's own connection (autocommit, not from the pool: LISTEN belongs to a session). */
    @FunctionalInterface
    interface Connector {
        Connection connect() throws SQLException;
    }

    private final Connector connector;
    private final DataSource pool;
    private final LeaseMirror mirror;
    private final Lock mirrorGate;
    private final String writerId;
    private final DatabaseStatus status;
    private final StoreCounters counters;
    private final Clock clock;
    private final List<Consumer<Ipv4Address>> listeners = new CopyOnWriteArrayList<>();
    private final Set<Ipv4Address> pendingRefresh = new LinkedHashSet<>();
    private final Thread thread;
    private volatile boolean connected;
    private volatile boolean closed;
    private Connection connection;

    ChangeFeed(Connector connector, DataSource pool, LeaseMirror mirror, Lock mirrorGate, String writerId,
               DatabaseStatus status, StoreCounters counters, Clock clock) {
        this.connector = connector;
        this.pool = pool;
        this.mirror = mirror;
        this.mirrorGate = mirrorGate;
        this.writerId = writerId;
        this.status = status;
        this.counters = counters;
        this.clock = clock;
        this.thread = Thread.ofPlatform().name("lease-postgres-feed").daemon(true).unstarted(this::run);
    }

    /**
     * Connects, LISTENs and fills the mirror from the table, on the caller's thread (so that a
     * store that opens has its rows), then starts following changes.
     */
    void start() throws SQLException {
        connection = listen();
        mirror.replaceAll(readAll());
        connected = true;
        thread.start();
    }

    void addListener(Consumer<Ipv4Address> listener) {
        listeners.add(listener);
    }

    /** Reads these addresses' rows again soon (a write whose commit is in doubt). */
    void refresh(Collection<Ipv4Address> addresses) {
        synchronized (pendingRefresh) {
            pendingRefresh.addAll(addresses);
        }
    }

    boolean isConnected() {
        return connected && !closed;
    }

    @Override
    public void close() {
        closed = true;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeConnection();
    }

    private void run() {
        long backoff = 100;
        long lastHeard = System.nanoTime();
        while (!closed) {
            try {
                if (connection == null) {
                    connection = listen();
                    Set<Ipv4Address> changed = resync();
                    connected = true;
                    status.up();
                    backoff = 100;
                    log.info("lease change feed reconnected; {} address(es) changed while it was away", changed.size());
                    tell(changed);
                }
                PGNotification[] notifications = connection.unwrap(PGConnection.class).getNotifications(POLL_MILLIS);
                Set<Ipv4Address> changed = new LinkedHashSet<>();
                if (notifications != null && notifications.length > 0) {
                    lastHeard = System.nanoTime();
                    long nowMicros = clock.millis() * 1_000;
                    for (PGNotification notification : notifications) {
                        collect(notification.getParameter(), nowMicros, changed);
                    }
                }
                synchronized (pendingRefresh) {
                    changed.addAll(pendingRefresh);
                    pendingRefresh.clear();
                }
                if (!changed.isEmpty()) {
                    reread(changed);
                    tell(changed);
                } else if (System.nanoTime() - lastHeard > PROBE_EVERY_NANOS) {
                    probe();
                    lastHeard = System.nanoTime();
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    break;
                }
                String reason = e instanceof SQLException sql ? DatabaseStatus.describe(sql) : e.toString();
                if (connected) {
                    log.warn("lease change feed lost the database ({}); other servers' changes are not seen until"
                            + " it reconnects", reason);
                }
                connected = false;
                status.down(reason);
                closeConnection();
                sleep(backoff);
                backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
            }
        }
    }

    /** "writer address micros" from the trigger; our own writes and malformed payloads are skipped. */
    private void collect(String payload, long nowMicros, Set<Ipv4Address> changed) {
        String[] parts = payload.split(" ", -1);
        if (parts.length != 3) {
            log.debug("ignoring a malformed lease notification: {}", payload);
            return;
        }
        if (parts[0].equals(writerId)) {
            return;
        }
        try {
            changed.add(Ipv4Address.parse(parts[1]));
            counters.externalChange(nowMicros - Long.parseLong(parts[2]));
        } catch (IllegalArgumentException e) {
            log.debug("ignoring a malformed lease notification: {}", payload);
        }
    }

    private Connection listen() throws SQLException {
        Connection c = connector.connect();
        try (Statement statement = c.createStatement()) {
            statement.execute("LISTEN " + CHANNEL);
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** The rows of {@code addresses} as the database has them now, into the mirror. */
    private void reread(Set<Ipv4Address> addresses) throws SQLException {
        List<String> texts = addresses.stream().map(Ipv4Address::toString).toList();
        mirrorGate.lock();
        try {
            Map<Ipv4Address, Lease> rows = GroupCommitWriter.select(connection, texts);
            for (Ipv4Address address : addresses) {
                mirror.set(address, rows.get(address));
            }
        } finally {
            mirrorGate.unlock();
        }
    }

    private Set<Ipv4Address> resync() throws SQLException {
        mirrorGate.lock();
        try {
            Set<Ipv4Address> changed = mirror.replaceAll(readAll());
            counters.resynced();
            return changed;
        } finally {
            mirrorGate.unlock();
        }
    }

    /** The whole table, streamed through a cursor (pgjdbc fetches in batches only inside a transaction). */
    private Map<Ipv4Address, Lease> readAll() throws SQLException {
        Map<Ipv4Address, Lease> rows = new HashMap<>();
        try (Connection c = pool.getConnection();
             PreparedStatement statement = c.prepareStatement("SELECT " + LeaseRows.COLUMNS + " FROM lease")) {
            c.setAutoCommit(false);
            statement.setFetchSize(FETCH_SIZE);
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    Lease lease = LeaseRows.read(result);
                    rows.put(lease.address(), lease);
                }
            }
            c.commit();
        }
        return rows;
    }

    private void probe() throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT 1");
        }
        status.up();
    }

    private void tell(Collection<Ipv4Address> addresses) {
        for (Ipv4Address address : addresses) {
            for (Consumer<Ipv4Address> listener : listeners) {
                try {
                    listener.accept(address);
                } catch (RuntimeException e) {
                    log.warn("an external-change listener failed for {}", address, e);
                }
            }
        }
    }

    private void closeConnection() {
        Connection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // Already broken: nothing to release.
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
