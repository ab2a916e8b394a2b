package dev.leasehold.ddns;

import dev.leasehold.config.DdnsConfig;
import dev.leasehold.config.DdnsSettings;
import dev.leasehold.config.ServerConfig;
import dev.leasehold.config.SubnetConfig;
import dev.leasehold.lease.Lease;
import dev.leasehold.lease.LeaseStore;
import dev.leasehold.server.RateLimitedLog;
import dev.leasehold.wire.Ipv4Address;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that talks to DNS. Lease changes arrive through a bounded queue (the packet path
 * only offers and never waits); each address's entry is brought to what its lease asks for, a
 * failed attempt is retried with exponential backoff (1 s doubling to {@link #MAX_BACKOFF}), and
 * every {@link #CHECK_INTERVAL} the entries are checked against the lease store, so a registration
 * whose lease ended without an event reaching the queue (queue full, operator delete, a crash)
 * is removed all the same.
 *
 * <p>Owns {@link #entries} (others only read it) and the state file.
 */
final class DnsUpdaterThread implements AutoCloseable {

    static final Duration MAX_BACKOFF = Duration.ofSeconds(60);
    static final Duration CHECK_INTERVAL = Duration.ofSeconds(10);
    private static final Logger log = LoggerFactory.getLogger("leasehold.ddns");

    private final BlockingQueue<DnsChange> inbox;
    private final Map<Ipv4Address, DnsEntry> entries = new ConcurrentHashMap<>();
    private final Map<Ipv4Address, Instant> dueAt = new HashMap<>();
    private final Map<Ipv4Address, Integer> attempts = new HashMap<>();
    /** Which addresses each client's registrations are for, to end the others when it moves. */
    private final Map<String, Set<Ipv4Address>> addressesOfClient = new HashMap<>();
    private final PriorityQueue<Due> due = new PriorityQueue<>();
    private final DdnsMetrics metrics;
    private final Clock clock;
    private final RateLimitedLog warnings;
    private final DnsStateFile stateFile;
    private final Thread thread;
    private volatile boolean running = true;
    private Supplier<ServerConfig> config;
    private LeaseStore store;
    private DnsUpdater updater;
    private DdnsConfig updaterConfig;
    private Instant nextCheck = Instant.MIN;
    private ServerConfig settingsOf;
    private Map<Integer, DdnsSettings> settingsBySubnet = Map.of();

    private record Due(Instant at, Ipv4Address address) implements Comparable<Due> {
        @Override
        public int compareTo(Due o) {
            return at.compareTo(o.at);
        }
    }

    DnsUpdaterThread(ServerConfig initial, DnsZones zones, DnsStateFile stateFile, Map<Ipv4Address, DnsEntry> loaded,
                     DdnsMetrics metrics, Clock clock) {
        this.inbox = new ArrayBlockingQueue<>(initial.ddns().maxQueueSize());
        this.metrics = metrics;
        this.clock = clock;
        this.stateFile = stateFile;
        for (DnsEntry e : loaded.values()) {
            entries.put(e.address(), e);
            index(null, e);
        }
        this.updaterConfig = initial.ddns();
        this.updater = new DnsUpdater(zones, initial.ddns().serverTimeout(), metrics);
        this.warnings = new RateLimitedLog(log, clock, 60_000, 10);
        this.config = () -> initial;
        this.thread = Thread.ofPlatform().name("ddns-updater").daemon(true).unstarted(this::run);
    }

    /** Starts work once the server serves: the store answers the checks, {@code config} the settings in force. */
    void start(LeaseStore store, Supplier<ServerConfig> config) {
        this.store = store;
        this.config = config;
        thread.start();
    }

    /** Called on the packet path: never blocks; a full queue is counted and logged. */
    boolean offer(DnsChange change) {
        if (inbox.offer(change)) {
            return true;
        }
        metrics.dropped("queue-full");
        warnings.warn("ddns queue full ({} changes waiting): the change for {} is dropped; a removal is caught up"
                + " by the check against the lease store", inbox.size(), change.address());
        return false;
    }

    Optional<DnsEntry> entry(Ipv4Address address) {
        return Optional.ofNullable(entries.get(address));
    }

    int queued() {
        return inbox.size();
    }

    int pending() {
        int n = 0;
        for (DnsEntry e : entries.values()) {
            if (e.dirty()) {
                n++;
            }
        }
        return n;
    }

    private void run() {
        for (DnsEntry e : entries.values()) {
            if (e.dirty()) {
                schedule(e.address(), clock.instant());
            }
        }
        while (running) {
            try {
                Instant now = clock.instant();
                if (!now.isBefore(nextCheck)) {
                    checkAgainstStore(now);
                    nextCheck = now.plus(CHECK_INTERVAL);
                }
                long waitMillis = Math.max(1, Duration.between(now, nextWake()).toMillis());
                DnsChange change = inbox.poll(waitMillis, TimeUnit.MILLISECONDS);
                if (change != null) {
                    apply(change);
                    continue; // drain the queue first: a burst of ACKs should not wait behind retries
                }
                Due d = due.poll();
                while (d != null && !d.at().isAfter(clock.instant())) {
                    if (d.at().equals(dueAt.get(d.address()))) {
                        dueAt.remove(d.address());
                        process(d.address());
                        if (!inbox.isEmpty()) {
                            break;
                        }
                    }
                    d = due.poll();
                }
                if (d != null && d.at().isAfter(clock.instant())) {
                    due.add(d);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.error("ddns updater step failed; continuing", e);
            }
        }
    }

    private Instant nextWake() {
        Due d = due.peek();
        return d == null || d.at().isAfter(nextCheck) ? nextCheck : d.at();
    }

    private void apply(DnsChange change) {
        Instant now = clock.instant();
        DnsEntry before = entries.get(change.address());
        switch (change) {
            case DnsChange.Acked given -> {
                DnsChange.Acked acked = !given.force() && settings(given.subnetId()).updateOnRenew()
                        ? new DnsChange.Acked(given.address(), given.wanted(), given.clientId(), given.subnetId(), true)
                        : given;
                Registration wanted = acked.wanted();
                if (before == null) {
                    if (wanted == null) {
                        return;
                    }
                    save(new DnsEntry(change.address(), wanted, null, DnsEntry.Status.PENDING, "", now));
                } else if (wanted != null && wanted.sameRecords(before.wanted()) && !acked.force()
                        && before.status() != DnsEntry.Status.CONFLICT) {
                    return; // a renewal: DNS already says this (ddns-update-on-renew is off)
                } else {
                    save(before.with(wanted, before.published(), wanted == null ? DnsEntry.Status.REMOVING
                            : DnsEntry.Status.PENDING, "", now));
                }
                if (wanted != null) {
                    endOtherRegistrations(wanted, now);
                }
                if (acked.force() && wanted != null && before != null && wanted.sameRecords(before.published())) {
                    // A forced update of records already published: send the add again.
                    save(entries.get(change.address()).with(wanted, wanted, DnsEntry.Status.PENDING, "resend", now));
                    attempts.remove(change.address());
                    addNow(change.address());
                    return;
                }
            }
            case DnsChange.Ended ended -> {
                if (before == null || before.wanted() == null) {
                    return;
                }
                save(before.with(null, before.published(), DnsEntry.Status.REMOVING, "", now));
            }
        }
        attempts.remove(change.address());
        process(change.address());
    }

    /**
     * A client holds one lease per subnet: an ACK for a new address ends its registrations of
     * other addresses there (the engine frees those without an event of their own).
     */
    private void endOtherRegistrations(Registration wanted, Instant now) {
        List<DnsEntry> others = new ArrayList<>();
        for (Ipv4Address a : addressesOfClient.getOrDefault(wanted.clientId(), Set.of())) {
            DnsEntry e = entries.get(a);
            if (e != null && e.wanted() != null && !a.equals(wanted.address()) && e.wanted().subnetId() == wanted.subnetId()) {
                others.add(e);
            }
        }
        for (DnsEntry e : others) {
            save(e.with(null, e.published(), DnsEntry.Status.REMOVING, "the client moved to " + wanted.address(), now));
            schedule(e.address(), now);
        }
    }

    /** Brings one address's DNS records to what its entry wants: removal of what is stale, then the add. */
    private void process(Ipv4Address address) {
        DnsEntry e = entries.get(address);
        if (e == null || !e.dirty()) {
            return;
        }
        refreshUpdater();
        Instant now = clock.instant();
        if (e.published() != null && (e.wanted() == null || !e.published().sameRecords(e.wanted()))) {
            UpdateOutcome out = updater.remove(e.published(), settings(e.published().subnetId()).conflictResolution());
            if (out instanceof UpdateOutcome.Failed f) {
                failed(e, f, now);
                return;
            }
            metrics.removed();
            log.info("removed {} from DNS", e.published());
            e = e.with(e.wanted(), null, e.wanted() == null ? DnsEntry.Status.REMOVED : DnsEntry.Status.PENDING, "", now);
            save(e);
        }
        if (e.wanted() != null) {
            addNow(address);
        } else {
            attempts.remove(address);
            index(entries.remove(address), null);
        }
    }

    private void addNow(Ipv4Address address) {
        DnsEntry e = entries.get(address);
        Instant now = clock.instant();
        Registration wanted = e.wanted();
        // Published before it is sent: a crash during the update leaves a record to remove, not a record forgotten.
        if (!wanted.sameRecords(e.published())) {
            e = e.with(wanted, wanted, DnsEntry.Status.PENDING, e.detail(), now);
            save(e);
        }
        DdnsSettings s = settings(wanted.subnetId());
        UpdateOutcome out = updater.add(wanted, ttl(s, address), s.conflictResolution());
        switch (out) {
            case UpdateOutcome.Done d -> {
                metrics.registered();
                Integer failures = attempts.remove(address);
                if (failures != null) {
                    log.info("ddns update for {} succeeded after {} failed attempt(s)", address, failures);
                }
                save(e.with(wanted, wanted, DnsEntry.Status.REGISTERED, "", clock.instant()));
                log.info("registered {} in DNS", wanted);
            }
            case UpdateOutcome.Conflict c -> {
                attempts.remove(address);
                save(e.with(wanted, null, DnsEntry.Status.CONFLICT, c.detail(), clock.instant()));
                warnings.warn("not registering {}: {}", wanted, c.detail());
            }
            case UpdateOutcome.Failed f -> failed(e, f, now);
        }
    }

    private void failed(DnsEntry e, UpdateOutcome.Failed f, Instant now) {
        int n = attempts.merge(e.address(), 1, Integer::sum);
        Duration wait = Duration.ofSeconds(1L << Math.min(n - 1, 6));
        if (wait.compareTo(MAX_BACKOFF) > 0) {
            wait = MAX_BACKOFF;
        }
        save(e.with(e.wanted(), e.published(), DnsEntry.Status.FAILED, f.detail(), now));
        if (n == 1) {
            warnings.warn("ddns update for {} failed ({}), retrying with backoff: {}", e.address(), f.reason(), f.detail());
        } else {
            log.debug("ddns update for {} failed again ({}), attempt {}; retrying in {} s", e.address(), f.reason(), n,
                    wait.toSeconds());
        }
        schedule(e.address(), now.plus(wait));
    }

    private void schedule(Ipv4Address address, Instant at) {
        Instant current = dueAt.get(address);
        if (current == null || at.isBefore(current)) {
            dueAt.put(address, at);
            due.add(new Due(at, address));
        }
    }

    /** Ends every registration whose lease is gone, over, or another client's now. */
    private void checkAgainstStore(Instant now) {
        if (store == null) {
            return;
        }
        List<DnsEntry> stale = new ArrayList<>();
        for (DnsEntry e : entries.values()) {
            if (e.wanted() == null) {
                if (e.published() != null && !dueAt.containsKey(e.address())) {
                    schedule(e.address(), now);
                }
                continue;
            }
            Optional<Lease> lease = store.get(e.address());
            if (lease.isEmpty() || !lease.get().isActiveAt(now)
                    || !lease.get().clientId().toString().equals(e.wanted().clientId())) {
                stale.add(e);
            } else if (e.dirty() && !dueAt.containsKey(e.address())) {
                schedule(e.address(), now);
            }
        }
        for (DnsEntry e : stale) {
            save(e.with(null, e.published(), DnsEntry.Status.REMOVING, "the lease ended", now));
            schedule(e.address(), now);
        }
        try {
            stateFile.compactIfLarge(entries.values(), entries.size());
        } catch (IOException ex) {
            log.error("cannot compact the ddns state file", ex);
        }
    }

    /** The subnet's settings in the configuration in force (re-indexed after a reload). */
    private DdnsSettings settings(int subnetId) {
        ServerConfig now = config.get();
        if (now != settingsOf) {
            Map<Integer, DdnsSettings> bySubnet = new HashMap<>();
            for (SubnetConfig s : now.subnets()) {
                bySubnet.put(s.id(), s.ddns());
            }
            settingsBySubnet = bySubnet;
            settingsOf = now;
        }
        return settingsBySubnet.getOrDefault(subnetId, DdnsSettings.DEFAULTS);
    }

    /** {@code ddns-ttl}, else a third of the lease time (RFC 4702 §5), at least 1 s. */
    private long ttl(DdnsSettings s, Ipv4Address address) {
        if (s.ttl().isPresent()) {
            return s.ttl().get().toSeconds();
        }
        Optional<Lease> lease = store == null ? Optional.empty() : store.get(address);
        long leaseSeconds = lease.map(l -> Duration.between(l.start(), l.expiresAt()).toSeconds()).orElse(3600L);
        return Math.max(1, leaseSeconds / 3);
    }

    /** A reload that changed {@code dhcp-ddns} takes effect here; a bad key file keeps the old zones. */
    private void refreshUpdater() {
        DdnsConfig now = config.get().ddns();
        if (now.equals(updaterConfig)) {
            return;
        }
        try {
            updater = new DnsUpdater(DnsZones.of(now), now.serverTimeout(), metrics);
        } catch (IOException e) {
            log.error("dhcp-ddns changed but cannot be used, the previous zones and keys stay in force: {}",
                    e.getMessage());
        }
        updaterConfig = now;
    }

    private void save(DnsEntry e) {
        DnsEntry old = entries.put(e.address(), e);
        index(old, e);
        try {
            stateFile.write(e);
        } catch (IOException ex) {
            warnings.warn("cannot write the ddns state file: {}", ex.toString());
        }
    }

    /** Keeps {@link #addressesOfClient} in step with the entries' wanted registrations. */
    private void index(DnsEntry old, DnsEntry now) {
        String before = old == null || old.wanted() == null ? null : old.wanted().clientId();
        String after = now == null || now.wanted() == null ? null : now.wanted().clientId();
        if (before != null && !before.equals(after)) {
            Set<Ipv4Address> set = addressesOfClient.get(before);
            if (set != null && set.remove(now == null ? old.address() : now.address()) && set.isEmpty()) {
                addressesOfClient.remove(before);
            }
        }
        if (after != null) {
            addressesOfClient.computeIfAbsent(after, k -> new HashSet<>()).add(now.address());
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            stateFile.close();
        } catch (IOException e) {
            log.warn("closing the ddns state file failed", e);
        }
    }
}
