package dev.leasehold.server;

import dev.leasehold.config.ConfigException;
import dev.leasehold.config.ConfigLoader;
import dev.leasehold.config.ServerConfig;
import dev.leasehold.engine.DhcpEngine;
import dev.leasehold.engine.LeaseEventSink;
import dev.leasehold.lease.LeaseStore;
import dev.leasehold.net.Transport;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running server: the configuration file, the lease store, the engine, the UDP transport,
 * the pipeline and the expiry schedule, wired together; {@link #reload()} swaps the
 * configuration atomically or keeps the old one when the new file is bad.
 *
 * <p>{@link AddOn}s run beside the server (the control API, the event log and the lease history
 * of module {@code control}): each is opened from the loaded configuration before serving
 * starts, is told of every lease event, may wrap the transport, and is closed with the server.
 * They plug in here so that this module need not depend on them (DESIGN §2).
 */
public final class LeaseholdServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LeaseholdServer.class);
    /** At most this many leases per reclaim step, so one sweep never holds anything up for long. */
    private static final int RECLAIM_BATCH = 1_000;
    private static final int MAX_IN_FLIGHT = 8_192;

    private final Path configFile;
    private final LeaseStore store;
    private final DhcpEngine engine;
    private final Transport transport;
    private final ServerComposition.ClosableProber prober;
    private final DhcpServer server;
    private final ScheduledExecutorService reclaimer;
    private final List<AddOn> addOns;
    private final Clock clock;
    private volatile RunningConfig running;
    /** Opened by {@link #close()}: whoever serves until the server is stopped waits on it. */
    private final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);

    /**
     * The configuration in force with the text it was parsed from and when: what operators are
     * shown as running, whatever the file on disk says since.
     */
    public record RunningConfig(ServerConfig config, String text, java.time.Instant loadedAt) {}

    /**
     * Something that runs beside the server and stops with it. Every method but {@link #close()}
     * has a do-nothing default.
     */
    public interface AddOn extends AutoCloseable {

        /** Told of every lease event on the packet path: must be quick and must not throw. */
        default LeaseEventSink events() {
            return LeaseEventSink.NONE;
        }

        /** The transport the pipeline should use instead of {@code transport} (to time replies, say). */
        default Transport wrap(Transport transport) {
            return transport;
        }

        /** Called once the server serves; a failure stops the server and fails its start. */
        default void started(LeaseholdServer server) throws IOException {
        }

        /** Called after the pipeline stopped and before the store closes. */
        @Override
        void close();
    }

    /** Opens an {@link AddOn} for the configuration just loaded, before anything is served. */
    @FunctionalInterface
    public interface AddOnFactory {
        AddOn open(ServerConfig config, Clock clock) throws IOException;
    }

    private LeaseholdServer(Path configFile, LeaseStore store, DhcpEngine engine, Transport transport,
                            ServerComposition.ClosableProber prober, DhcpServer server,
                            ScheduledExecutorService reclaimer, List<AddOn> addOns, RunningConfig running, Clock clock) {
        this.addOns = List.copyOf(addOns);
        this.configFile = configFile;
        this.running = running;
        this.clock = clock;
        this.store = store;
        this.engine = engine;
        this.transport = transport;
        this.prober = prober;
        this.server = server;
        this.reclaimer = reclaimer;
    }

    /**
     * The production server for {@code configFile}: the system clock, a strong random source and
     * every add-on installed on the class path ({@link ServerComposition#installedAddOns()}).
     * What {@code leasehold serve} and {@code leasehold demo} run.
     */
    public static LeaseholdServer serve(Path configFile) throws IOException, ConfigException {
        return start(configFile, ServerComposition.systemClock(), ServerComposition.productionRandom(),
                ServerComposition.installedAddOns());
    }

    /** Loads {@code configFile}, opens the store in its data directory, binds and starts serving; no add-ons. */
    public static LeaseholdServer start(Path configFile, Clock clock, RandomGenerator random)
            throws IOException, ConfigException {
        return start(configFile, clock, random, List.of());
    }

    /**
     * As {@link #start(Path, Clock, RandomGenerator)}, with {@code addOns} opened in order from the
     * loaded configuration, told of lease events, and started once the server serves. The
     * concrete store, transport and prober come from {@link ServerComposition}.
     */
    public static LeaseholdServer start(Path configFile, Clock clock, RandomGenerator random,
                                        List<AddOnFactory> addOnFactories) throws IOException, ConfigException {
        ConfigLoader.Source source = ConfigLoader.loadSource(configFile);
        ServerConfig config = source.config();
        RunningConfig loaded = new RunningConfig(config, source.text(), clock.instant());
        long opening = System.nanoTime();
        LeaseStore store = ServerComposition.openStore(config, clock);
        log.info("lease store ready in {} ms: {} leases ({})", (System.nanoTime() - opening) / 1_000_000,
                store.size(), store.health().detail());
        Transport transport = null;
        ServerComposition.ClosableProber prober = null;
        List<AddOn> addOns = new ArrayList<>();
        LeaseholdServer running = null;
        try {
            LeaseEventSink events = LeaseEventSink.NONE;
            for (AddOnFactory factory : addOnFactories) {
                AddOn addOn = factory.open(config, clock);
                addOns.add(addOn);
                events = events == LeaseEventSink.NONE ? addOn.events() : events.andThen(addOn.events());
            }
            DhcpEngine engine = DhcpEngine.start(config, store, clock, random, events);
            transport = ServerComposition.openTransport(config);
            Transport served = transport;
            for (AddOn addOn : addOns) {
                served = addOn.wrap(served);
            }
            prober = ServerComposition.openProber(config);
            DhcpServer server = new DhcpServer(served, engine, clock, MAX_IN_FLIGHT,
                    prober == null ? null : prober.prober(), config.pingCheck(), ServerComposition.commitReplies(),
                    ServerComposition.relayReplyPacer(config));
            ScheduledExecutorService reclaimer = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().name("lease-reclaimer").daemon(true).factory());
            running = new LeaseholdServer(configFile, store, engine, transport, prober, server, reclaimer, addOns,
                    loaded, clock);
            server.start();
            running.scheduleReclaim();
            for (AddOn addOn : addOns) {
                addOn.started(running);
            }
            log.info("serving {} subnet(s) on {}", config.subnets().size(), ServerComposition.describe(transport));
            return running;
        } catch (IOException | RuntimeException e) {
            if (running != null) {
                running.close();
                throw e;
            }
            closeAll(addOns);
            if (transport != null) {
                transport.close();
            }
            if (prober != null) {
                prober.close().run();
            }
            store.close();
            throw e;
        }
    }

    private void scheduleReclaim() {
        long every = Math.max(1, running.config().reclaimInterval().toMillis());
        reclaimer.scheduleWithFixedDelay(() -> {
            try {
                int n;
                int rounds = 0;
                do {
                    n = engine.reclaimExpired(RECLAIM_BATCH);
                    if (n > 0) {
                        log.info("reclaimed {} expired lease(s)", n);
                    }
                } while (n == RECLAIM_BATCH && ++rounds < 100);
            } catch (RuntimeException e) {
                log.error("lease reclamation failed; will retry", e);
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Re-reads the configuration file. A bad file is refused and the running configuration keeps
     * serving; the listen address and data directory only change on restart.
     *
     * @return whether the new configuration is in force
     */
    public boolean reload() {
        ConfigLoader.Source source;
        try {
            source = ConfigLoader.loadSource(configFile);
        } catch (ConfigException e) {
            log.error("reload refused, the running configuration stays in force:\n{}", e.getMessage());
            return false;
        }
        ServerConfig next = source.config();
        ServerConfig config = running.config();
        if (!Objects.equals(next.listen(), config.listen()) || !Objects.equals(next.dataDirectory(), config.dataDirectory())
                || !Objects.equals(next.leaseStore(), config.leaseStore())
                || next.relayReplyPacing() != config.relayReplyPacing()) {
            log.warn("listen address, data directory, lease-store and relay-reply-pacing changes take effect at the next restart");
        }
        engine.reconfigure(next);
        running = new RunningConfig(next, source.text(), clock.instant());
        log.info("configuration reloaded from {}: {} subnet(s)", configFile, next.subnets().size());
        return true;
    }

    /** The bound UDP address when serving on {@code listen} (tests bind port 0 and ask). */
    public java.net.InetSocketAddress localAddress() throws IOException {
        return ServerComposition.localAddress(transport);
    }

    public DhcpEngine engine() {
        return engine;
    }

    public DhcpServer pipeline() {
        return server;
    }

    public LeaseStore store() {
        return store;
    }

    public ServerConfig config() {
        return running.config();
    }

    /** The configuration in force, its text and when it was loaded. */
    public RunningConfig runningConfig() {
        return running;
    }

    /** The first add-on that is a {@code type} (the control API asks for {@link LeaseDns}). */
    public <T> java.util.Optional<T> addOn(Class<T> type) {
        return addOns.stream().filter(type::isInstance).map(type::cast).findFirst();
    }

    /** The configuration file this server loads at start and at {@link #reload()}. */
    public Path configFile() {
        return configFile;
    }

    private static void closeAll(List<AddOn> addOns) {
        for (AddOn addOn : addOns.reversed()) {
            try {
                addOn.close();
            } catch (RuntimeException e) {
                log.warn("closing {} failed", addOn, e);
            }
        }
    }

    @Override
    public synchronized void close() {
        // Once only: a signal, the control API and the JVM's shutdown hook may each ask.
        if (closed.getCount() == 0) {
            return;
        }
        reclaimer.shutdownNow();
        server.close();
        closeAll(addOns);
        if (prober != null) {
            prober.close().run();
        }
        store.close();
        closed.countDown();
    }

    /** Waits until {@link #close()} has finished, by whatever asked for it (a signal, the control API). */
    public void awaitClosed() throws InterruptedException {
        closed.await();
    }
}
