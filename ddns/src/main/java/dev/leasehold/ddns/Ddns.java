package dev.leasehold.ddns;

import dev.leasehold.config.DdnsSettings;
import dev.leasehold.config.ServerConfig;
import dev.leasehold.config.SubnetConfig;
import dev.leasehold.engine.DnsUpdate;
import dev.leasehold.engine.LeaseEvent;
import dev.leasehold.engine.LeaseEventSink;
import dev.leasehold.lease.Lease;
import dev.leasehold.server.LeaseDns;
import dev.leasehold.server.LeaseholdServer;
import dev.leasehold.wire.Ipv4Address;
import java.io.IOException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dynamic DNS as a {@link LeaseholdServer.AddOn}: every ACK's {@link DnsUpdate} and every lease's
 * end go to {@link DnsUpdaterThread} through its bounded queue, so a slow or absent DNS server
 * never holds up a reply. Off (nothing opened) without a {@code dhcp-ddns} section that enables
 * updates.
 *
 * <p>Opened by {@link DdnsAddOnFactory}.
 */
public final class Ddns implements LeaseholdServer.AddOn, LeaseDns {

    private static final Logger log = LoggerFactory.getLogger(Ddns.class);

    private final DnsUpdaterThread updater;
    private final DdnsMetrics metrics;
    private final Clock clock;
    private volatile LeaseholdServer server;

    private Ddns(DnsUpdaterThread updater, DdnsMetrics metrics, Clock clock) {
        this.updater = updater;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Opens the add-on: reads the TSIG key files and the state file; a bad key file stops the start. */
    static LeaseholdServer.AddOn open(ServerConfig config, Clock clock) throws IOException {
        if (!config.ddns().enableUpdates()) {
            return new Off();
        }
        DnsZones zones = DnsZones.of(config.ddns());
        Map<Ipv4Address, DnsEntry> loaded = new HashMap<>();
        DnsStateFile state = DnsStateFile.open(config.dataDirectory(), loaded);
        DdnsMetrics metrics = new DdnsMetrics();
        log.info("dynamic DNS on: {} forward and {} reverse zone(s); {} registration(s) carried over",
                config.ddns().forwardDomains().size(), config.ddns().reverseDomains().size(), loaded.size());
        return new Ddns(new DnsUpdaterThread(config, zones, state, loaded, metrics, clock), metrics, clock);
    }

    /** Without {@code dhcp-ddns}: nothing runs, and the control API shows no DNS state. */
    private static final class Off implements LeaseholdServer.AddOn {
        @Override
        public void close() {
        }
    }

    @Override
    public LeaseEventSink events() {
        return this::accept;
    }

    private void accept(LeaseEvent event) {
        switch (event.type()) {
            case ACK -> updater.offer(new DnsChange.Acked(event.address(), registration(event),
                    event.clientId().toString(), event.subnetId(), false));
            case RELEASE, EXPIRE, DECLINE -> updater.offer(new DnsChange.Ended(event.address()));
            default -> {
            }
        }
    }

    private static Registration registration(LeaseEvent event) {
        DnsUpdate dns = event.dns();
        return dns.any() ? new Registration(event.address(), dns.fqdn(), dns.forward(), dns.reverse(),
                dns.dhcidIdentifier(), event.clientId().toString(), event.subnetId()) : null;
    }

    private static Optional<SubnetConfig> subnet(ServerConfig config, int id) {
        return config.subnets().stream().filter(s -> s.id() == id).findFirst();
    }

    @Override
    public void started(LeaseholdServer server) {
        this.server = server;
        updater.start(server.store(), server::config);
    }

    @Override
    public Optional<LeaseDns.DnsState> state(Ipv4Address address) {
        return updater.entry(address).map(e -> {
            Registration r = e.wanted() != null ? e.wanted() : e.published();
            String status = switch (e.status()) {
                case PENDING -> "pending";
                case REGISTERED -> "registered";
                case CONFLICT -> "conflict";
                case REMOVING -> "removing";
                case FAILED -> e.wanted() == null ? "removing" : "failed";
                case REMOVED -> "removed";
            };
            return new LeaseDns.DnsState(r == null ? "" : r.fqdn(), r != null && r.forward(),
                    r != null && r.reverse(), status, e.detail(), e.changed());
        });
    }

    /**
     * Kea's {@code lease4-resend-ddns}: the lease's registration as the updater knows it, or else
     * one built from the lease's host name (qualified with the subnet's suffix; its DHCID from
     * the client id, RFC 4701 type 0x0001), queued as if the lease had just been acknowledged.
     */
    @Override
    public LeaseDns.DnsState resend(Lease lease) {
        LeaseholdServer s = server;
        if (s == null) {
            throw new IllegalStateException("the server is not serving yet");
        }
        if (!lease.isActiveAt(clock.instant())) {
            throw new IllegalArgumentException("the lease of " + lease.address() + " is not active");
        }
        Registration r = updater.entry(lease.address()).map(DnsEntry::wanted)
                .filter(w -> w.clientId().equals(lease.clientId().toString()))
                .orElseGet(() -> fromHostname(s.config(), lease));
        if (!updater.offer(new DnsChange.Acked(lease.address(), r, r.clientId(), r.subnetId(), true))) {
            throw new IllegalStateException("the ddns queue is full; try again shortly");
        }
        return new LeaseDns.DnsState(r.fqdn(), r.forward(), r.reverse(), "pending", "resend", clock.instant());
    }

    private static Registration fromHostname(ServerConfig config, Lease lease) {
        DdnsSettings settings = subnet(config, lease.subnetId()).map(SubnetConfig::ddns).orElse(DdnsSettings.DEFAULTS);
        String name = lease.hostname().toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        } else if (!name.contains(".") && !settings.qualifyingSuffix().isEmpty()) {
            name = name + "." + settings.qualifyingSuffix();
        }
        if (name.isEmpty() || !settings.sendUpdates()) {
            throw new IllegalArgumentException("the lease of " + lease.address() + " has no host name to register"
                    + (settings.sendUpdates() ? "" : ", and its subnet sends no DNS updates"));
        }
        byte[] id = lease.clientId().bytes();
        byte[] identifier = new byte[id.length + 2];
        identifier[1] = 1;
        System.arraycopy(id, 0, identifier, 2, id.length);
        return new Registration(lease.address(), name, settings.forwardUpdates(), settings.reverseUpdates(), identifier,
                lease.clientId().toString(), lease.subnetId());
    }

    @Override
    public void metrics(MetricSink sink) {
        metrics.writeTo(sink, updater::queued, updater::pending);
    }

    @Override
    public void close() {
        updater.close();
    }
}
