package dev.leasehold.server;

import dev.leasehold.config.LeaseStoreConfig;
import dev.leasehold.config.ServerConfig;
import dev.leasehold.lease.postgres.PostgresLeaseStore;
import dev.leasehold.lease.postgres.PostgresStoreConfig;
import dev.leasehold.lease.LeaseStore;
import dev.leasehold.lease.journal.JournalLeaseStore;
import dev.leasehold.lease.journal.JournalOptions;
import dev.leasehold.net.HostPort;
import dev.leasehold.net.Transport;
import dev.leasehold.net.UdpTransport;
import dev.leasehold.net.linux.IcmpProber;
import dev.leasehold.net.linux.LinuxTransport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.Executor;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where concrete classes are chosen (DESIGN §2, "the one composition root"): which
 * lease store, which transport, whether a ping prober, and which add-ons, each from the
 * configuration. Everything else sees interfaces: the engine a {@link LeaseStore}, the pipeline a
 * {@link Transport} and an {@link AddressProber}, the server a list of
 * {@link LeaseholdServer.AddOn}s.
 *
 * <p>Plugging in: a new store is one case in {@link #openStore}; a new transport one in
 * {@link #openTransport}; a new add-on is one class implementing
 * {@link LeaseholdServer.AddOnFactory} with a public no-argument constructor, named in its
 * module's {@code META-INF/services/dev.leasehold.server.LeaseholdServer$AddOnFactory} — found
 * on the class path by {@link #installedAddOns()}, so the server module need not depend on it.
 */
public final class ServerComposition {

    private static final Logger log = LoggerFactory.getLogger(ServerComposition.class);

    private ServerComposition() {
    }

    /** The clock and random source of a production server. */
    public static Clock systemClock() {
        return Clock.systemUTC();
    }

    public static RandomGenerator productionRandom() {
        return RandomGenerator.of("L64X128MixRandom");
    }

    /** Every add-on installed on the class path, in a stable order (by class name). */
    public static List<LeaseholdServer.AddOnFactory> installedAddOns() {
        List<LeaseholdServer.AddOnFactory> found = new ArrayList<>();
        ServiceLoader.load(LeaseholdServer.AddOnFactory.class).forEach(found::add);
        found.sort((a, b) -> a.getClass().getName().compareTo(b.getClass().getName()));
        return List.copyOf(found);
    }

    /**
     * The lease store that {@code lease-store} in the configuration names, opened (the journal
     * replayed, the PostgreSQL schema upgraded and the mirror loaded); the caller closes it. The
     * server and the tools that write leases with the server stopped (import, transfer) use it.
     */
    public static LeaseStore openStore(ServerConfig config, Clock clock) throws IOException {
        return switch (config.leaseStore()) {
            // Completions on the writer: the engine's and the pipeline's continuations are short and
            // never wait for another write, and each hand-off saved is one wait for a core under
            // load (docs/architecture.md, "Threads").
            case LeaseStoreConfig.Journal journal -> JournalLeaseStore.open(config.dataDirectory(),
                    JournalOptions.of(config.durability()).withGroupWindow(config.groupWindow())
                            .withCompletions(JournalOptions.Completions.WRITER_THREAD));
            case LeaseStoreConfig.Postgresql postgresql -> PostgresLeaseStore.open(postgres(postgresql), clock);
        };
    }

    /** The store module's settings for the configuration's {@code lease-store: {type: postgresql}}. */
    public static PostgresStoreConfig postgres(LeaseStoreConfig.Postgresql config) {
        return new PostgresStoreConfig(config.url(), config.user(), config.passwordFile(), config.poolSize(),
                config.connectTimeout());
    }

    /**
     * Linux per-interface sockets when {@code interfaces} names any (directly attached clients,
     * RFC 2131 §4.1 delivery), else one UDP socket on {@code listen} (relays and loopback).
     */
    static Transport openTransport(ServerConfig config) throws IOException {
        if (config.interfaces().isEmpty()) {
            return UdpTransport.bind(config.listen().address(), config.listen().port());
        }
        return LinuxTransport.open(LinuxTransport.Options.serving(config.interfaces()).withPort(config.listen().port()));
    }

    /** The ICMP prober for {@code ping-check}, or null when it is off or no ICMP socket can be had. */
    static ClosableProber openProber(ServerConfig config) {
        if (!config.pingCheck().isPositive()) {
            return null;
        }
        try {
            IcmpProber prober = IcmpProber.open();
            return new ClosableProber(prober::probe, prober::close);
        } catch (IOException | RuntimeException e) {
            log.warn("ping-check is configured but no ICMP socket can be opened ({}); offering without it."
                    + " Grant CAP_NET_RAW or widen net.ipv4.ping_group_range.", e.getMessage());
            return null;
        }
    }

    /**
     * Where a reply that waited for a lease write is built and sent: directly on the thread that
     * completed the write. With the journal that is its writer thread ({@link #openStore} asks
     * for {@code WRITER_THREAD} completions), which then spends a few microseconds per ACK on an
     * engine update and a non-blocking send before its next group; a hand-off to another thread
     * would cost a wake-up per group instead (docs/benchmarks.md measured it). A store whose
     * completions may block would be paired here with a dedicated sender thread.
     */
    static Executor commitReplies() {
        return Runnable::run;
    }

    /** The pacer of replies to relays, or null when they go out unpaced. */
    static RelayReplyPacer relayReplyPacer(ServerConfig config) {
        return config.relayReplyPacing() ? new RelayReplyPacer() : null;
    }

    /** The bound UDP address when serving on {@code listen} (tests bind port 0 and ask). */
    static InetSocketAddress localAddress(Transport transport) throws IOException {
        if (transport instanceof UdpTransport udp) {
            return udp.localAddress();
        }
        throw new IllegalStateException("serving interfaces, not one UDP address");
    }

    /** How the server names its transport in its start-up line. */
    static String describe(Transport transport) throws IOException {
        return transport instanceof UdpTransport udp ? "udp " + HostPort.of(udp.localAddress())
                : transport instanceof LinuxTransport linux ? "interfaces " + linux.interfaces() : transport.toString();
    }

    /** A prober and how to close it. */
    record ClosableProber(AddressProber prober, Runnable close) {}
}
