package dev.leasehold.lease.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.leasehold.lease.Lease;
import dev.leasehold.lease.LeaseStore;
import dev.leasehold.lease.PutResult;
import dev.leasehold.lease.StoreHealth;
import dev.leasehold.lease.StoreStatistic;
import dev.leasehold.wire.ClientId;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import java.io.IOException;
import java.net.InetAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link LeaseStore} in a PostgreSQL database that several Leasehold servers share (DESIGN
 * §3, "real scale-out"). The database is the judge: one row per address, and the
 * {@link #put} rule ("not over another client's lease that still holds the address") is the
 * condition of the write itself, so two servers that give one address to two clients see one
 * commit win and the other come back as {@link PutResult.Conflict}.
 *
 * <ul>
 *   <li>Writes: group commit on one writer thread ({@link GroupCommitWriter}); the future
 *       completes after COMMIT, so the ACK leaves after the lease is durable in the database.
 *   <li>Reads: from this server's copy of the table ({@link LeaseMirror}), which the packet
 *       path can afford; other servers' changes reach it through LISTEN/NOTIFY
 *       ({@link ChangeFeed}) within a bounded delay, reported as the change-feed lag.
 *   <li>Expiry: {@link #findExpired} claims the rows it returns ({@code FOR UPDATE SKIP
 *       LOCKED}, then a claim that lasts {@link #RECLAIM_CLAIM}), so each expired lease is
 *       reclaimed by one server.
 *   <li>Database down: puts complete as {@link PutResult.Failed} after at most the connect
 *       timeout; reads go on from the copy; everything resumes when the database answers.
 * </ul>
 *
 * <p>The schema is created or upgraded at open by {@link LeaseSchema} (Flyway).
 */
public final class PostgresLeaseStore implements LeaseStore {

    private static final Logger log = LoggerFactory.getLogger(PostgresLeaseStore.class);
    /** How long a claimed expired lease is left to the server that claimed it. */
    static final Duration RECLAIM_CLAIM = Duration.ofSeconds(60);
    /** A statement that takes longer than this on a live connection counts as a dead database. */
    private static final int SOCKET_TIMEOUT_SECONDS = 30;

    private static final String CLAIM_EXPIRED = """
            UPDATE lease SET claimed_by = ?, claim_until_ns = ?
            WHERE address IN (SELECT address FROM lease
                              WHERE state = 'active' AND expires_ns <= ?
                                AND (claimed_by IS NULL OR claimed_by = ? OR claim_until_ns <= ?)
                              LIMIT ? FOR UPDATE SKIP LOCKED)
            RETURNING\s""" + LeaseRows.COLUMNS;

    private final String description;
    private final String writerId;
    private final HikariDataSource pool;
    private final LeaseMirror mirror;
    private final DatabaseStatus status;
    private final StoreCounters counters;
    private final GroupCommitWriter writer;
    private final ChangeFeed feed;
    private final Object lifecycle = new Object();
    private boolean closed;

    private PostgresLeaseStore(String description, String writerId, HikariDataSource pool, LeaseMirror mirror,
                               DatabaseStatus status, StoreCounters counters, GroupCommitWriter writer, ChangeFeed feed) {
        this.description = description;
        this.writerId = writerId;
        this.pool = pool;
        this.mirror = mirror;
        this.status = status;
        this.counters = counters;
        this.writer = writer;
        this.feed = feed;
    }

    /**
     * Connects, brings the schema up to date, reads every lease into this server's copy and
     * starts the writer and the change feed. Fails when the database cannot be reached: a server
     * does not start serving without the leases it must respect.
     *
     * @param clock the clock the change-feed lag is measured with
     */
    public static PostgresLeaseStore open(PostgresStoreConfig config, Clock clock) throws IOException {
        Objects.requireNonNull(clock, "clock");
        LeaseSchema.of(config).upgrade();
        String writerId = newWriterId();
        Optional<String> password = config.password();
        String where = describe(config);
        HikariDataSource pool = null;
        GroupCommitWriter writer = null;
        ChangeFeed feed = null;
        try {
            pool = new HikariDataSource(poolConfig(config, password, writerId));
            LeaseMirror mirror = new LeaseMirror();
            DatabaseStatus status = new DatabaseStatus(where);
            StoreCounters counters = new StoreCounters();
            ReentrantLock gate = new ReentrantLock();
            Properties properties = connectionProperties(config, password, writerId);
            feed = new ChangeFeed(() -> DriverManager.getConnection(config.url(), properties), pool, mirror, gate,
                    writerId, status, counters, clock);
            writer = new GroupCommitWriter(pool, mirror, gate, status, counters, writerId, feed::refresh);
            feed.start();
            writer.start();
            log.info("PostgreSQL lease store {} open as writer {}: {} lease(s)", where, writerId, mirror.size());
            return new PostgresLeaseStore(where, writerId, pool, mirror, status, counters, writer, feed);
        } catch (SQLException | RuntimeException e) {
            if (writer != null) {
                writer.close();
            }
            if (feed != null) {
                feed.close();
            }
            if (pool != null) {
                pool.close();
            }
            throw new IOException("cannot open the PostgreSQL lease store " + where + ": "
                    + (e instanceof SQLException sql ? DatabaseStatus.describe(sql) : e.getMessage()), e);
        }
    }

    /** host/pid/random: unique per store object, so that two servers (even in one JVM) tell their changes apart. */
    private static String newWriterId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown";
        }
        byte[] random = new byte[4];
        ThreadLocalRandom.current().nextBytes(random);
        String id = host + "/" + ProcessHandle.current().pid() + "/" + HexFormat.of().formatHex(random);
        // It travels inside NOTIFY payloads split on spaces and inside a set_config literal.
        return id.replaceAll("[^A-Za-z0-9._/-]", "_");
    }

    private static HikariConfig poolConfig(PostgresStoreConfig config, Optional<String> password, String writerId) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("leasehold-leases");
        hikari.setJdbcUrl(config.url());
        hikari.setUsername(config.user());
        password.ifPresent(hikari::setPassword);
        hikari.setMaximumPoolSize(config.poolSize());
        hikari.setMinimumIdle(Math.min(2, config.poolSize()));
        hikari.setConnectionTimeout(config.connectTimeout().toMillis());
        hikari.setAutoCommit(false);
        // Every session names its writer, so the NOTIFY trigger can tell the servers which changes are whose.
        hikari.setConnectionInitSql("SELECT set_config('leasehold.writer', '" + writerId + "', false)");
        hikari.setDataSourceProperties(connectionProperties(config, password, writerId));
        return hikari;
    }

    private static Properties connectionProperties(PostgresStoreConfig config, Optional<String> password,
                                                   String writerId) {
        Properties properties = new Properties();
        properties.setProperty("user", config.user());
        password.ifPresent(p -> properties.setProperty("password", p));
        properties.setProperty("ApplicationName", "leasehold " + writerId);
        properties.setProperty("connectTimeout", Long.toString(Math.max(1, config.connectTimeout().toSeconds())));
        properties.setProperty("socketTimeout", Integer.toString(SOCKET_TIMEOUT_SECONDS));
        properties.setProperty("tcpKeepAlive", "true");
        return properties;
    }

    /** The URL without its parameters (which may carry secrets), for logs and health. */
    private static String describe(PostgresStoreConfig config) {
        int query = config.url().indexOf('?');
        return (query < 0 ? config.url() : config.url().substring(0, query)) + " as " + config.user();
    }

    /** This store's name in the table's {@code written_by} and {@code claimed_by} columns. */
    public String writerId() {
        return writerId;
    }

    @Override
    public CompletableFuture<PutResult> put(Lease lease, Instant now) {
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(now, "now");
        long nowNanos;
        try {
            LeaseRows.nanos(lease.start());
            LeaseRows.nanos(lease.expiresAt());
            nowNanos = LeaseRows.nanos(now);
        } catch (ArithmeticException e) {
            return CompletableFuture.completedFuture(new PutResult.Failed(
                    "the lease database keeps times between the years 1677 and 2262: " + lease, e));
        }
        CompletableFuture<PutResult> future = new CompletableFuture<>();
        if (!writer.submit(new GroupCommitWriter.Put(lease, nowNanos, future))) {
            future.complete(new PutResult.Failed("the PostgreSQL lease store is closed", null));
        }
        return future;
    }

    @Override
    public CompletableFuture<Boolean> delete(Ipv4Address address) {
        Objects.requireNonNull(address, "address");
        CompletableFuture<Boolean> future = new CompletableFuture<>();
        if (!writer.submit(new GroupCommitWriter.Delete(address, future))) {
            future.completeExceptionally(new IOException("the PostgreSQL lease store is closed"));
        }
        return future;
    }

    @Override
    public Optional<Lease> get(Ipv4Address address) {
        return mirror.get(address);
    }

    @Override
    public List<Lease> findByClient(ClientId clientId) {
        return mirror.findByClient(clientId);
    }

    @Override
    public List<Lease> findByHardwareAddress(HardwareAddress hardwareAddress) {
        return mirror.findByHardwareAddress(hardwareAddress);
    }

    /**
     * Claims up to {@code limit} active leases that ended at or before {@code now} and that no
     * other server has claimed in the last {@link #RECLAIM_CLAIM}; rows another server is
     * claiming or writing right now are skipped, not waited for. Read from the database, not
     * the copy, so that two servers never both reclaim one lease. While the database is down
     * nothing is due (the reclaimer asks again later).
     */
    @Override
    public List<Lease> findExpired(Instant now, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        long nowNanos = LeaseRows.nanos(now);
        try (Connection connection = pool.getConnection();
             PreparedStatement statement = connection.prepareStatement(CLAIM_EXPIRED)) {
            statement.setString(1, writerId);
            statement.setLong(2, nowNanos + RECLAIM_CLAIM.toNanos());
            statement.setLong(3, nowNanos);
            statement.setString(4, writerId);
            statement.setLong(5, nowNanos);
            statement.setInt(6, limit);
            List<Lease> due = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    due.add(LeaseRows.read(rows));
                }
            }
            connection.commit();
            counters.claimed(due.size());
            return due;
        } catch (SQLException e) {
            if (DatabaseStatus.isUnavailable(e)) {
                status.down(DatabaseStatus.describe(e));
            }
            log.warn("cannot look for expired leases in {}: {}", description, DatabaseStatus.describe(e));
            return List.of();
        }
    }

    @Override
    public void forEach(Consumer<Lease> action) {
        mirror.forEach(action);
    }

    @Override
    public long size() {
        return mirror.size();
    }

    @Override
    public void watchExternalChanges(Consumer<Ipv4Address> listener) {
        feed.addListener(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public StoreHealth health() {
        return status.health();
    }

    @Override
    public List<StoreStatistic> statistics() {
        return counters.statistics(status.isUp(), feed.isConnected());
    }

    /** Puts the database refused as conflicts since open (also in {@link #statistics()}). */
    public long conflictCount() {
        return counters.conflicts();
    }

    /** Group commits since open: each one transaction and one WAL flush. */
    public long transactionCount() {
        return counters.transactions();
    }

    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
        }
        writer.close();
        status.closed();
        feed.close();
        pool.close();
        log.info("PostgreSQL lease store {} closed", description);
    }

    @Override
    public String toString() {
        return "PostgresLeaseStore[" + description + ", writer " + writerId + "]";
    }
}
