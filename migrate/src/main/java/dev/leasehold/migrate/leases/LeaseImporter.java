package dev.leasehold.migrate.leases;

import dev.leasehold.config.Reservation;
import dev.leasehold.config.ServerConfig;
import dev.leasehold.config.SubnetConfig;
import dev.leasehold.lease.Lease;
import dev.leasehold.lease.LeaseState;
import dev.leasehold.lease.LeaseStore;
import dev.leasehold.lease.PutResult;
import dev.leasehold.migrate.ImportFailedException;
import dev.leasehold.migrate.ImportReport;
import dev.leasehold.wire.ClientId;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Loads leases read from another server's lease file into a Leasehold {@link LeaseStore},
 * keeping each client's identity (option 61 when the source recorded one, else {@code 01} + MAC,
 * as the engine identifies clients, RFC 2131 §4.2), the lease's start, expiry and state, so that
 * every client renews its address with Leasehold as it would have with the old server
 * (RFC 2131 §4.3.2: a REQUEST in RENEWING for its own address gets a DHCPACK).
 *
 * <p>A lease is refused, with its line in the report, when it lies outside every configured
 * subnet or on a subnet's network or broadcast address, when its address is reserved for another
 * client, when its client already holds another address of the same subnet, when an earlier line
 * of the same file already placed the address, or when the store holds the address for another
 * client: one address never goes to two clients. Leases whose time has passed are stored as
 * expired, which keeps the client's affinity to its address (RFC 2131 §4.3.1).
 *
 * <p>Not thread-safe: one import at a time, with the server stopped.
 */
public final class LeaseImporter {

    /** How an import went; the refusals are in the report. */
    public record Summary(int read, int stored, int active, int refused) {
    }

    private record Pending(ImportedLease imported, Lease lease, CompletableFuture<PutResult> result) {
    }

    private final ServerConfig config;
    private final LeaseStore store;
    private final Clock clock;

    public LeaseImporter(ServerConfig config, LeaseStore store, Clock clock) {
        this.config = config;
        this.store = store;
        this.clock = clock;
    }

    /**
     * @throws ImportFailedException when the store cannot write; the leases stored before stay, and
     *         importing the same file again is safe (each client's record is replaced by itself)
     */
    public Summary load(List<ImportedLease> leases, ImportReport report) throws ImportFailedException {
        Instant now = clock.instant();
        Map<Ipv4Address, Integer> placedAt = new HashMap<>();
        Map<String, Ipv4Address> activeByClientAndSubnet = new HashMap<>();
        List<Pending> pending = new ArrayList<>();
        int stored = 0;
        int active = 0;
        int refusedBefore = report.entries(ImportReport.Kind.REFUSED).size();
        for (ImportedLease imported : leases) {
            String what = "lease " + imported.address();
            Optional<SubnetConfig> subnet = config.subnets().stream()
                    .filter(s -> s.prefix().contains(imported.address())).findFirst();
            if (subnet.isEmpty()) {
                report.refused(imported.line(), what, "outside every configured subnet");
                continue;
            }
            SubnetConfig home = subnet.get();
            if (home.prefix().length() <= 30 && (imported.address().equals(home.prefix().network())
                    || imported.address().equals(home.prefix().broadcast()))) {
                report.refused(imported.line(), what, "the network or broadcast address of " + home.prefix());
                continue;
            }
            Optional<ClientId> identity = imported.clientId().or(() -> imported.hardwareAddress().map(ClientId::of));
            if (identity.isEmpty()) {
                report.refused(imported.line(), what, "no client id and no hardware address: no client to keep it for");
                continue;
            }
            ClientId client = identity.get();
            HardwareAddress hardware = imported.hardwareAddress().orElseGet(() -> macOf(client));
            Integer earlier = placedAt.putIfAbsent(imported.address(), imported.line());
            if (earlier != null) {
                report.refused(imported.line(), what, "line " + earlier + " already placed this address");
                continue;
            }
            Optional<Reservation> reservedForOther = home.reservations().stream()
                    .filter(r -> r.address().equals(imported.address()) && !reserves(r, client, hardware)).findFirst();
            if (reservedForOther.isPresent()) {
                report.refused(imported.line(), what, "reserved for another client ("
                        + reservedForOther.get().hardwareAddress().map(Object::toString)
                        .orElseGet(() -> reservedForOther.get().clientId().orElseThrow().toString()) + ")");
                continue;
            }
            Instant start = imported.start().filter(s -> !s.isAfter(imported.expiresAt()))
                    .orElse(now.isBefore(imported.expiresAt()) ? now : imported.expiresAt());
            LeaseState state = imported.state() == LeaseState.ACTIVE && !imported.expiresAt().isAfter(now)
                    ? LeaseState.EXPIRED : imported.state();
            Lease lease = new Lease(imported.address(), client, hardware, home.id(), state, start,
                    imported.expiresAt(), imported.hostname());
            if (lease.isActiveAt(now)) {
                String key = home.id() + "/" + client;
                Ipv4Address other = activeByClientAndSubnet.get(key);
                Optional<Lease> stored0 = store.findByClient(client).stream()
                        .filter(l -> l.subnetId() == home.id() && l.isActiveAt(now) && !l.address().equals(imported.address()))
                        .findFirst();
                if (other != null || stored0.isPresent()) {
                    report.refused(imported.line(), what, "client " + client + " already holds "
                            + (other != null ? other : stored0.get().address()) + " in subnet " + home.id());
                    continue;
                }
                activeByClientAndSubnet.put(key, imported.address());
            }
            // Writes go out without waiting for each other: the store groups them into few syncs,
            // and a put's effect is visible to the checks of the next lines before it completes.
            pending.add(new Pending(imported, lease, store.put(lease, now)));
        }
        Optional<PutResult.Failed> failure = Optional.empty();
        for (Pending p : pending) {
            switch (p.result().join()) {
                case PutResult.Stored s -> {
                    stored++;
                    if (p.lease().isActiveAt(now)) {
                        active++;
                    }
                }
                case PutResult.Conflict c -> report.refused(p.imported().line(), "lease " + p.imported().address(),
                        "the store holds it for another client (" + c.holder().clientId() + ", until "
                                + c.holder().expiresAt() + ")");
                case PutResult.Failed f -> failure = failure.or(() -> Optional.of(f));
            }
        }
        if (failure.isPresent()) {
            throw new ImportFailedException("the lease store could not write: " + failure.get().reason() + "; "
                    + stored + " lease(s) were stored");
        }
        int refused = report.entries(ImportReport.Kind.REFUSED).size() - refusedBefore;
        return new Summary(leases.size(), stored, active, refused);
    }

    private static boolean reserves(Reservation r, ClientId client, HardwareAddress hardware) {
        return r.clientId().map(client::equals).orElse(false)
                || r.hardwareAddress().map(hw -> hw.equals(hardware) || ClientId.of(hw).equals(client)).orElse(false);
    }

    /** The MAC inside a client id of the {@code 01:<mac>} form; otherwise an empty hardware address. */
    private static HardwareAddress macOf(ClientId client) {
        byte[] id = client.bytes();
        if (id.length == 7 && id[0] == HardwareAddress.ETHERNET) {
            return new HardwareAddress(HardwareAddress.ETHERNET, Arrays.copyOfRange(id, 1, 7));
        }
        return new HardwareAddress(0, new byte[0]);
    }
}
