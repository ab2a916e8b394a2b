package dev.leasehold.lease.postgres;

import dev.leasehold.lease.Lease;
import dev.leasehold.lease.PutResult;
import dev.leasehold.wire.Ipv4Address;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit against PostgreSQL: one thread takes every write waiting in its queue and makes
 * them one transaction, so the leases that arrived together cost one commit, one WAL flush
 * (DESIGN §3, "durable before acknowledged"). A put's future completes after the commit, never
 * before; the mirror learns of the write at the same moment.
 *
 * <p>The database judges every conflict: a put is one {@code INSERT ... ON CONFLICT DO UPDATE
 * ... WHERE} whose condition is the {@link dev.leasehold.lease.LeaseStore#put} rule, evaluated
 * on the row locked by the statement; a row the condition refuses is read back in the same
 * transaction as the {@link PutResult.Conflict}'s holder. Several writes for one address in one
 * group run in order, in successive statements of the same transaction.
 *
 * <p>Threads: owned by the thread {@code lease-postgres-writer}; {@link #submit} may be called
 * from any thread. Futures complete on the writer thread.
 */
final class GroupCommitWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);
    /** At most this many writes per transaction: about one statement's worth of arrays. */
    static final int MAX_GROUP = 1_000;
    private static final int DEADLOCK_RETRIES = 3;

    /**
     * One write waiting for its group. A put carries the nanoseconds of its {@code now}, at
     * which the database judges the conflict.
     */
    sealed interface Write {
        Ipv4Address address();
    }

    record Put(Lease lease, long nowNanos, CompletableFuture<PutResult> future) implements Write {
        @Override
        public Ipv4Address address() {
            return lease.address();
        }
    }

    record Delete(Ipv4Address address, CompletableFuture<Boolean> future) implements Write {}

    private record Stop() implements Write {
        @Override
        public Ipv4Address address() {
            return Ipv4Address.ANY;
        }
    }

    /** The INSERT's condition is the LeaseStore.put rule; see the class comment and docs/postgresql.md. */
    private static final String UPSERT = """
            INSERT INTO lease AS l (address, client_id, hw_type, hw_address, subnet_id, state, starts_ns, expires_ns,
                                    hostname, written_by, written_at_ns)
            SELECT i.address::inet, i.client_id, i.hw_type, i.hw_address, i.subnet_id, i.state, i.starts_ns,
                   i.expires_ns, i.hostname, ?, i.now_ns
            FROM unnest(?::text[], ?::bytea[], ?::smallint[], ?::bytea[], ?::integer[], ?::text[], ?::bigint[],
                        ?::bigint[], ?::text[], ?::bigint[])
                 AS i(address, client_id, hw_type, hw_address, subnet_id, state, starts_ns, expires_ns, hostname, now_ns)
            ON CONFLICT (address) DO UPDATE SET
                client_id = EXCLUDED.client_id, hw_type = EXCLUDED.hw_type, hw_address = EXCLUDED.hw_address,
                subnet_id = EXCLUDED.subnet_id, state = EXCLUDED.state, starts_ns = EXCLUDED.starts_ns,
                expires_ns = EXCLUDED.expires_ns, hostname = EXCLUDED.hostname, written_by = EXCLUDED.written_by,
                written_at_ns = EXCLUDED.written_at_ns, claimed_by = NULL, claim_until_ns = NULL
            WHERE CASE WHEN l.client_id = EXCLUDED.client_id
                       THEN NOT (EXCLUDED.state = 'expired' AND l.state = 'active'
                                 AND l.expires_ns > EXCLUDED.written_at_ns AND l.starts_ns <> EXCLUDED.starts_ns)
                       ELSE NOT (l.state IN ('active', 'declined') AND l.expires_ns > EXCLUDED.written_at_ns)
                  END
            RETURNING host(l.address)""";
    private static final String HOLDERS = "SELECT " + LeaseRows.COLUMNS + " FROM lease WHERE address = ANY (?::inet[])";
    private static final String DELETE = "DELETE FROM lease WHERE address = ANY (?::inet[]) RETURNING host(address)";

    private final DataSource pool;
    private final LeaseMirror mirror;
    private final Lock mirrorGate;
    private final DatabaseStatus status;
    private final StoreCounters counters;
    private final String writerId;
    private final Consumer<Set<Ipv4Address>> inDoubt;
    private final BlockingQueue<Write> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final Object lifecycle = new Object();
    private boolean closed;

    /**
     * @param mirrorGate held from commit until the mirror has the group's rows, so that a change
     *        feed refresh (which holds it from its read until it has applied the rows) can never
     *        put an older row over a newer one
     * @param inDoubt told of the addresses of a group whose commit may or may not have happened
     *        (the connection broke during COMMIT), so that their rows are read again
     */
    GroupCommitWriter(DataSource pool, LeaseMirror mirror, Lock mirrorGate, DatabaseStatus status,
                      StoreCounters counters, String writerId, Consumer<Set<Ipv4Address>> inDoubt) {
        this.pool = pool;
        this.mirror = mirror;
        this.mirrorGate = mirrorGate;
        this.status = status;
        this.counters = counters;
        this.writerId = writerId;
        this.inDoubt = inDoubt;
        this.thread = Thread.ofPlatform().name("lease-postgres-writer").daemon(true).unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    /** Queues {@code write}; false when the writer is closed (the caller fails it). */
    boolean submit(Write write) {
        synchronized (lifecycle) {
            if (closed) {
                return false;
            }
            queue.add(write);
            return true;
        }
    }

    /** Finishes every write already submitted, then stops the thread. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            queue.add(new Stop());
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        List<Write> group = new ArrayList<>();
        boolean stopping = false;
        while (!stopping) {
            try {
                group.add(queue.take());
            } catch (InterruptedException e) {
                break;
            }
            queue.drainTo(group, MAX_GROUP - 1);
            int stop = indexOfStop(group);
            if (stop >= 0) {
                stopping = true;
                group.subList(stop, group.size()).clear();
            }
            if (!group.isEmpty()) {
                try {
                    write(group, 0);
                } catch (RuntimeException e) {
                    log.error("lease writer failed unexpectedly; its group fails", e);
                    fail(group, "internal error: " + e, e);
                }
            }
            group.clear();
        }
        List<Write> left = new ArrayList<>();
        queue.drainTo(left);
        left.removeIf(w -> w instanceof Stop);
        fail(left, "the PostgreSQL lease store is closed", null);
    }

    private static int indexOfStop(List<Write> group) {
        for (int i = 0; i < group.size(); i++) {
            if (group.get(i) instanceof Stop) {
                return i;
            }
        }
        return -1;
    }

    /** Writes {@code group} in one transaction, retrying a deadlock, splitting on a data error. */
    private void write(List<Write> group, int attempt) {
        boolean committing = false;
        try (Connection connection = pool.getConnection()) {
            Object[] results;
            try {
                results = execute(connection, group);
                mirrorGate.lock();
                try {
                    committing = true;
                    connection.commit();
                    committing = false;
                    apply(group, results);
                } finally {
                    mirrorGate.unlock();
                }
            } catch (SQLException e) {
                rollbackQuietly(connection);
                throw e;
            }
            status.up();
            complete(group, results);
        } catch (SQLException e) {
            if (DatabaseStatus.isRetryable(e) && attempt < DEADLOCK_RETRIES) {
                write(group, attempt + 1);
                return;
            }
            if (!DatabaseStatus.isUnavailable(e) && group.size() > 1) {
                // One bad row (a host name PostgreSQL will not store, say) must not fail its neighbours.
                log.warn("a group of {} lease writes failed ({}); writing them one by one", group.size(),
                        DatabaseStatus.describe(e));
                for (Write one : group) {
                    write(List.of(one), 0);
                }
                return;
            }
            String reason;
            if (DatabaseStatus.isUnavailable(e)) {
                reason = "the lease database is unavailable: " + DatabaseStatus.describe(e);
                status.down(DatabaseStatus.describe(e));
            } else {
                reason = "the lease database refused the write: " + DatabaseStatus.describe(e);
            }
            if (committing) {
                reason += " (the connection broke during COMMIT: the write may have been stored; it is read again)";
                Set<Ipv4Address> addresses = new HashSet<>();
                group.forEach(w -> addresses.add(w.address()));
                inDoubt.accept(addresses);
            }
            log.warn("{} lease write(s) failed: {}", group.size(), reason);
            fail(group, reason, e);
        }
    }

    /**
     * Runs the group's statements; answers, per write in group order, a {@link PutResult} or a
     * Boolean (whether a delete removed a row). Addresses repeat only across rounds: a round
     * is the longest run of writes with distinct addresses.
     */
    private Object[] execute(Connection connection, List<Write> group) throws SQLException {
        Object[] results = new Object[group.size()];
        int start = 0;
        while (start < group.size()) {
            Set<Ipv4Address> seen = new HashSet<>();
            int end = start;
            while (end < group.size() && seen.add(group.get(end).address())) {
                end++;
            }
            executeRound(connection, group, start, end, results);
            start = end;
        }
        return results;
    }

    private void executeRound(Connection connection, List<Write> group, int from, int to, Object[] results)
            throws SQLException {
        List<Integer> puts = new ArrayList<>();
        List<Integer> deletes = new ArrayList<>();
        for (int i = from; i < to; i++) {
            (group.get(i) instanceof Put ? puts : deletes).add(i);
        }
        // One lock order for every server, so two groups wait rather than deadlock (mostly).
        Comparator<Integer> byAddress = Comparator.comparing(i -> group.get(i).address());
        puts.sort(byAddress);
        deletes.sort(byAddress);
        if (!puts.isEmpty()) {
            Set<String> stored = upsert(connection, puts.stream().map(i -> ((Put) group.get(i))).toList());
            List<String> refused = new ArrayList<>();
            for (int i : puts) {
                Put put = (Put) group.get(i);
                if (stored.contains(put.lease().address().toString())) {
                    results[i] = new PutResult.Stored(put.lease());
                } else {
                    refused.add(put.lease().address().toString());
                }
            }
            if (!refused.isEmpty()) {
                Map<Ipv4Address, Lease> holders = select(connection, refused);
                for (int i : puts) {
                    if (results[i] == null) {
                        Lease holder = holders.get(group.get(i).address());
                        if (holder == null) {
                            throw new SQLException("row of " + group.get(i).address() + " vanished inside its transaction");
                        }
                        results[i] = new PutResult.Conflict(holder);
                    }
                }
            }
        }
        if (!deletes.isEmpty()) {
            Set<String> removed = delete(connection, deletes.stream().map(i -> group.get(i).address().toString()).toList());
            for (int i : deletes) {
                results[i] = removed.contains(group.get(i).address().toString());
            }
        }
    }

    private Set<String> upsert(Connection connection, List<Put> puts) throws SQLException {
        int n = puts.size();
        String[] addresses = new String[n];
        byte[][] clientIds = new byte[n][];
        Integer[] hwTypes = new Integer[n];
        byte[][] hwAddresses = new byte[n][];
        Integer[] subnets = new Integer[n];
        String[] states = new String[n];
        Long[] starts = new Long[n];
        Long[] expires = new Long[n];
        String[] hostnames = new String[n];
        Long[] nows = new Long[n];
        for (int i = 0; i < n; i++) {
            Put put = puts.get(i);
            Lease lease = put.lease();
            addresses[i] = lease.address().toString();
            clientIds[i] = lease.clientId().bytes();
            hwTypes[i] = lease.hardwareAddress().htype();
            hwAddresses[i] = lease.hardwareAddress().bytes();
            subnets[i] = lease.subnetId();
            states[i] = LeaseRows.state(lease.state());
            starts[i] = LeaseRows.nanos(lease.start());
            expires[i] = LeaseRows.nanos(lease.expiresAt());
            hostnames[i] = lease.hostname();
            nows[i] = put.nowNanos();
        }
        Set<String> stored = new HashSet<>();
        try (PreparedStatement statement = connection.prepareStatement(UPSERT)) {
            statement.setString(1, writerId);
            statement.setArray(2, connection.createArrayOf("text", addresses));
            statement.setArray(3, connection.createArrayOf("bytea", clientIds));
            statement.setArray(4, connection.createArrayOf("int4", hwTypes));
            statement.setArray(5, connection.createArrayOf("bytea", hwAddresses));
            statement.setArray(6, connection.createArrayOf("int4", subnets));
            statement.setArray(7, connection.createArrayOf("text", states));
            statement.setArray(8, connection.createArrayOf("int8", starts));
            statement.setArray(9, connection.createArrayOf("int8", expires));
            statement.setArray(10, connection.createArrayOf("text", hostnames));
            statement.setArray(11, connection.createArrayOf("int8", nows));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    stored.add(rows.getString(1));
                }
            }
        }
        return stored;
    }

    static Map<Ipv4Address, Lease> select(Connection connection, List<String> addresses) throws SQLException {
        Map<Ipv4Address, Lease> rows = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(HOLDERS)) {
            Array array = connection.createArrayOf("text", addresses.toArray(String[]::new));
            statement.setArray(1, array);
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    Lease lease = LeaseRows.read(result);
                    rows.put(lease.address(), lease);
                }
            }
        }
        return rows;
    }

    private static Set<String> delete(Connection connection, List<String> addresses) throws SQLException {
        Set<String> removed = new HashSet<>();
        try (PreparedStatement statement = connection.prepareStatement(DELETE)) {
            statement.setArray(1, connection.createArrayOf("text", addresses.toArray(String[]::new)));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    removed.add(rows.getString(1));
                }
            }
        }
        return removed;
    }

    /** The mirror takes the committed rows, in group order (a later write of an address wins). */
    private void apply(List<Write> group, Object[] results) {
        for (int i = 0; i < group.size(); i++) {
            switch (results[i]) {
                case PutResult.Stored stored -> mirror.put(stored.lease());
                // The database's row, which the mirror may not have had yet.
                case PutResult.Conflict conflict -> mirror.put(conflict.holder());
                case Boolean ignored -> mirror.remove(group.get(i).address());
                default -> throw new IllegalStateException("no result for " + group.get(i));
            }
        }
    }

    private void complete(List<Write> group, Object[] results) {
        counters.committed(group.size());
        for (int i = 0; i < group.size(); i++) {
            switch (group.get(i)) {
                case Put put -> {
                    PutResult result = (PutResult) results[i];
                    if (result instanceof PutResult.Conflict) {
                        counters.conflict();
                    } else {
                        counters.stored();
                    }
                    put.future().complete(result);
                }
                case Delete delete -> delete.future().complete((Boolean) results[i]);
                case Stop stop -> throw new IllegalStateException("stop inside a group");
            }
        }
    }

    private void fail(List<Write> group, String reason, Throwable cause) {
        for (Write write : group) {
            switch (write) {
                case Put put -> {
                    counters.failed();
                    put.future().complete(new PutResult.Failed(reason, cause));
                }
                case Delete delete -> delete.future().completeExceptionally(
                        new java.io.IOException(reason, cause));
                case Stop stop -> {
                }
            }
        }
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            // The connection is broken; the pool discards it and the database rolls back.
        }
    }
}
