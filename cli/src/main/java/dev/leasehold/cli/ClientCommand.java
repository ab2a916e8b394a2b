package dev.leasehold.cli;

import dev.leasehold.client.ClientFqdn;
import dev.leasehold.client.ClientSettings;
import dev.leasehold.client.OfferPreference;
import dev.leasehold.client.linux.ArpProber;
import dev.leasehold.client.linux.ClientOptions;
import dev.leasehold.client.linux.ClientStartException;
import dev.leasehold.client.linux.CommandRunner;
import dev.leasehold.client.linux.ControlSocket;
import dev.leasehold.client.linux.DhcpClient;
import dev.leasehold.client.linux.NetworkNamespace;
import dev.leasehold.client.linux.Resolver;
import dev.leasehold.client.load.LoadGenerator;
import dev.leasehold.client.load.LoadPlan;
import dev.leasehold.client.load.LoadReport;
import dev.leasehold.wire.Ipv4Address;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

/**
 * {@code leasehold client IFACE…}: a DHCP client on Linux interfaces (RFC 2131 §4.4): obtains,
 * applies, renews, rebinds and, when asked, releases a lease; keeps it across restarts. With
 * {@code --renew}, {@code --release} or {@code --status} it talks to the client already running
 * on IFACE instead. Operator mistakes (no such interface, a bad value, no running client) are
 * one line on standard error and exit status 2, never a stack trace.
 *
 * <p>{@code leasehold client --simulate N --server ADDR[:PORT]}: the load mode, N virtual clients
 * through whole lifecycles over the relay path, reporting leases/s and latency percentiles.
 */
@Command(name = "client", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = {
        "DHCP client for Linux interfaces (needs root: CAP_NET_RAW and CAP_NET_ADMIN); several interfaces run in one process.",
        "With --renew, --release or --status: talk to the client already running on IFACE.",
        "Load mode: --simulate N virtual clients against --server."})
final class ClientCommand implements Callable<Integer> {

    /** Exit status of a user error (no such interface, a bad value, no running client to talk to). */
    static final int USER_ERROR = 2;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "IFACE", description = "the interfaces to configure")
    List<String> interfaceNames = new ArrayList<>();

    // --- talking to a running client ---

    @Option(names = "--renew", description = "with IFACE: ask the client running on IFACE to renew now;"
            + " with --simulate: renew every lease once after obtaining it")
    boolean renew;

    @Option(names = "--release", description = "with IFACE: ask the client running on IFACE to release its lease and exit;"
            + " with --simulate: release every lease at the end")
    boolean release;

    @Option(names = "--status", description = "print the state of the client running on IFACE")
    boolean status;

    // --- the real client ---

    @Option(names = "--once", description = "exit as soon as a lease is applied (status 2 if none within --timeout)")
    boolean once;

    @Option(names = "--release-on-exit", description = "on SIGTERM/SIGINT send DHCPRELEASE and remove the address")
    boolean releaseOnExit;

    @Option(names = "--inform", description = "send DHCPINFORM for the address already on IFACE, apply the options, exit")
    boolean inform;

    @Option(names = "--hook", paramLabel = "SCRIPT", description = "run SCRIPT on every lease change, dhclient-script style ($reason, $new_*, $old_*)")
    Path hook;

    @Option(names = "--resolv-conf", paramLabel = "WHERE",
            description = "DNS settings: auto (systemd-resolved, else resolvconf(8), else /etc/resolv.conf), resolvectl,"
                    + " resolvconf, a file, or none (default: auto; none when --hook is given)")
    String resolvConf;

    @Option(names = "--lease-file", paramLabel = "PATH",
            description = "where the lease is kept (default: STATE-DIR/client-IFACE-MAC[-NETNS].lease); one IFACE only")
    Path leaseFile;

    @Option(names = "--state-dir", defaultValue = "/var/lib/leasehold", paramLabel = "DIR",
            description = "where lease files go when --lease-file is not given (default: ${DEFAULT-VALUE})")
    Path stateDirectory;

    @Option(names = "--run-dir", defaultValue = "/run/leasehold", paramLabel = "DIR",
            description = "where the control sockets are (default: ${DEFAULT-VALUE})")
    Path runDirectory;

    @Option(names = "--client-id", defaultValue = "mac", paramLabel = "ID",
            description = "option 61: mac (01 + MAC), duid (RFC 4361), none, or hex bytes (default: ${DEFAULT-VALUE})")
    String clientId;

    @Option(names = "--hostname", paramLabel = "NAME", description = "option 12")
    String hostname;

    @Option(names = "--fqdn", paramLabel = "NAME", description = "option 81 (RFC 4702) instead of 12; ending in '.' when fully qualified")
    String fqdn;

    @Option(names = "--fqdn-update", defaultValue = "server", paramLabel = "WHO",
            description = "who updates DNS for --fqdn: server (S flag), client, none (N flag) (default: ${DEFAULT-VALUE})")
    String fqdnUpdate;

    @Option(names = "--vendor-class", paramLabel = "TEXT", description = "option 60")
    String vendorClass;

    @Option(names = "--request-address", paramLabel = "ADDR", description = "ask for this address (option 50) when none is remembered")
    String requestAddress;

    @Option(names = "--refuse-server", paramLabel = "ADDR", split = ",", description = "ignore these servers (option 54)")
    List<String> refusedServers = List.of();

    @Option(names = "--offer-window", defaultValue = "1s", paramLabel = "DURATION",
            description = "how long to collect offers after the first (default: ${DEFAULT-VALUE})")
    String offerWindow;

    @Option(names = "--first-offer", description = "take the first offer instead of the requested address or longest lease")
    boolean firstOffer;

    @Option(names = "--rapid-commit", description = "ask for a DHCPACK straight to the DHCPDISCOVER (RFC 4039, option 80)")
    boolean rapidCommit;

    @Option(names = "--ipv6-only-preferred", description = "IPv6-mostly host: honour option 108, no IPv4 while a server says so (RFC 8925)")
    boolean ipv6OnlyPreferred;

    @Option(names = "--min-lease", defaultValue = "60s", paramLabel = "DURATION",
            description = "a shorter lease is used as this long (default: ${DEFAULT-VALUE})")
    String minLease;

    @Option(names = "--route-metric", paramLabel = "N", description = "metric of the interface's routes (default: 1000 + ifindex)")
    Integer routeMetric;

    @Option(names = "--arp-probes", defaultValue = "3", paramLabel = "N", description = "ARP probes before using an address, 0 for none (default: ${DEFAULT-VALUE})")
    int arpProbes;

    @Option(names = "--arp-interval", paramLabel = "DURATION", description = "fixed gap between ARP probes instead of RFC 5227's 1-2 s")
    String arpInterval;

    @Option(names = "--decline-wait", defaultValue = "10s", paramLabel = "DURATION",
            description = "wait after a DHCPDECLINE before starting over (default: ${DEFAULT-VALUE}, RFC 2131 §3.1)")
    String declineWait;

    @Option(names = "--renew-retry-min", defaultValue = "60s", paramLabel = "DURATION",
            description = "shortest gap between renewal retransmissions (default: ${DEFAULT-VALUE}, RFC 2131 §4.4.5)")
    String renewRetryMin;

    @Option(names = "--timeout", defaultValue = "60s", paramLabel = "DURATION",
            description = "--once/--inform: give up after this long; --simulate: an exchange slower than this is a drop")
    String timeout;

    // --- the load mode ---

    @Option(names = "--simulate", paramLabel = "N", description = "load mode: number of virtual clients")
    Integer clients;

    @Option(names = "--server", paramLabel = "ADDR[:PORT]", description = "load mode: server address (port 67 by default)")
    String server;

    @Option(names = "--relay", defaultValue = "127.0.0.1", paramLabel = "ADDR",
            description = "load mode: our address, used as giaddr (default: ${DEFAULT-VALUE})")
    String relay;

    @Option(names = "--window", defaultValue = "256", description = "load mode: exchanges in flight at once (default: ${DEFAULT-VALUE})")
    int window;

    @Option(names = "--rate", defaultValue = "0", description = "load mode: exchanges started per second, 0 = as fast as the window allows")
    int rate;

    @Option(names = "--seed", defaultValue = "1", description = "load mode: MAC seed 0-127, so runs do not collide (default: ${DEFAULT-VALUE})")
    int seed;

    @Option(names = "--json", description = "load mode: print the report as one JSON object")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (clients != null) {
            return simulate();
        }
        try {
            if (interfaceNames.isEmpty()) {
                throw new IllegalArgumentException("name the interface (leasehold client IFACE), or use --simulate N --server ADDR");
            }
            if (renew || release || status) {
                return talkToRunningClients();
            }
            if (inform && (once || releaseOnExit)) {
                throw new IllegalArgumentException("--inform asks for options only; it takes neither --once nor --release-on-exit");
            }
            if (leaseFile != null && interfaceNames.size() > 1) {
                throw new IllegalArgumentException("--lease-file names one file; with several interfaces leave it out"
                        + " (each gets a file of its own in --state-dir)");
            }
            if (Set.copyOf(interfaceNames).size() != interfaceNames.size()) {
                throw new IllegalArgumentException("an interface is named twice: " + interfaceNames);
            }
            return runClients();
        } catch (IllegalArgumentException | ClientStartException e) {
            return userError(e.getMessage());
        }
    }

    private int userError(String message) {
        spec.commandLine().getErr().println("leasehold client: " + message);
        return USER_ERROR;
    }

    /** --renew, --release, --status: one request to the client on each IFACE through its control socket. */
    private int talkToRunningClients() throws ClientStartException {
        if (Stream.of(renew, release, status).filter(b -> b).count() > 1) {
            throw new IllegalArgumentException("ask for one of --renew, --release, --status at a time");
        }
        String verb = renew ? "renew" : release ? "release" : "status";
        NetworkNamespace namespace = NetworkNamespace.current();
        int result = 0;
        for (String name : interfaceNames) {
            String answer = ControlSocket.send(ControlSocket.path(runDirectory, name, namespace), verb, Duration.ofSeconds(30));
            System.out.println(name + ": " + answer);
            if (!answer.startsWith("ok")) {
                result = 1;
            }
        }
        return result;
    }

    private int runClients() throws Exception {
        ClientSettings settings = ClientSettings.defaults()
                .withOfferWindow(Durations.parse(offerWindow))
                .withPreference(firstOffer ? OfferPreference.FIRST : OfferPreference.REQUESTED_THEN_LONGEST)
                .withRefusedServers(refusedServers.stream().map(ClientCommand::address).collect(Collectors.toSet()))
                .withRequestedAddress(Optional.ofNullable(requestAddress).map(ClientCommand::address))
                .withDeclineWait(Durations.parse(declineWait))
                .withRenewRetryMinimum(Durations.parse(renewRetryMin))
                .withMinimumLease(Durations.parse(minLease))
                .withRapidCommit(rapidCommit)
                .withIpv6OnlyPreferred(ipv6OnlyPreferred)
                .withCheckAddress(arpProbes > 0);
        if (arpProbes < 0) {
            throw new IllegalArgumentException("--arp-probes: 0 or more, not " + arpProbes);
        }
        ArpProber arp = arpInterval == null ? new ArpProber(arpProbes, ArpProber.RFC_5227.probeWait(),
                ArpProber.RFC_5227.probeMin(), ArpProber.RFC_5227.probeMax(), ArpProber.RFC_5227.announceWait())
                : ArpProber.quick(arpProbes, Durations.parse(arpInterval));
        ClientFqdn clientFqdn = fqdn == null ? null : new ClientFqdn(fqdn, fqdnUpdate());
        CommandRunner commands = CommandRunner.processes();
        Resolver resolver = Resolver.choose(resolvConf != null ? resolvConf : hook != null ? "none" : "auto", commands);
        List<DhcpClient> clients = new ArrayList<>();
        for (String name : interfaceNames) {
            ClientOptions options = new ClientOptions(name, ClientOptions.clientId(clientId), hostname, vendorClass, clientFqdn,
                    settings, arp, Optional.ofNullable(leaseFile), stateDirectory, Optional.ofNullable(hook), once, releaseOnExit, inform,
                    Durations.parse(timeout), routeMetric == null ? OptionalInt.empty() : OptionalInt.of(routeMetric), runDirectory);
            clients.add(new DhcpClient(options, resolver, Clock.systemUTC(), RandomGenerator.of("L64X128MixRandom"), commands));
        }
        // SIGTERM / SIGINT: let every client leave its loop (releasing when asked), then let the JVM go.
        Thread hookThread = Thread.ofPlatform().unstarted(() -> {
            clients.forEach(DhcpClient::requestStop);
            for (DhcpClient c : clients) {
                try {
                    c.awaitFinished(Duration.ofSeconds(10));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        Runtime.getRuntime().addShutdownHook(hookThread);
        renewOnSighup(clients);
        int result = runAll(clients);
        try {
            Runtime.getRuntime().removeShutdownHook(hookThread);
        } catch (IllegalStateException shuttingDown) {
            // the hook is already running: it returns once every run() has
        }
        return result;
    }

    /** Runs each client on its own thread; a client that cannot start stops the others. The worst status wins. */
    private int runAll(List<DhcpClient> clients) throws Exception {
        List<Future<Integer>> results = new ArrayList<>();
        try (ExecutorService threads = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().name("client-", 0).factory())) {
            for (DhcpClient c : clients) {
                results.add(threads.submit(() -> {
                    try {
                        return c.run();
                    } catch (Exception e) {
                        clients.forEach(DhcpClient::requestStop);
                        throw e;
                    }
                }));
            }
        }
        int worst = 0;
        List<String> problems = new ArrayList<>();
        for (Future<Integer> f : results) {
            try {
                worst = Math.max(worst, f.get());
            } catch (ExecutionException e) {
                if (e.getCause() instanceof ClientStartException start) {
                    problems.add(start.getMessage());
                } else {
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            }
        }
        if (!problems.isEmpty()) {
            problems.forEach(p -> spec.commandLine().getErr().println("leasehold client: " + p));
            return USER_ERROR;
        }
        return worst;
    }

    /** SIGHUP renews every lease now (a JVM would otherwise exit on it). */
    private static void renewOnSighup(List<DhcpClient> clients) {
        try {
            Signal.handle(new Signal("HUP"), s -> clients.forEach(DhcpClient::requestRenew));
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            System.err.println("SIGHUP renewal unavailable on this platform: " + e.getMessage());
        }
    }

    private ClientFqdn.Update fqdnUpdate() {
        try {
            return ClientFqdn.Update.valueOf(fqdnUpdate.strip().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--fqdn-update: server, client or none, not '" + fqdnUpdate + "'");
        }
    }

    private static Ipv4Address address(String text) {
        try {
            return Ipv4Address.parse(text.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
        }
    }

    private int simulate() throws Exception {
        if (server == null) {
            throw new ParameterException(spec.commandLine(), "--simulate needs --server ADDR[:PORT]");
        }
        String host = server.contains(":") ? server.substring(0, server.indexOf(':')) : server;
        int port = server.contains(":") ? Integer.parseInt(server.substring(server.indexOf(':') + 1)) : 67;
        Duration exchangeTimeout = spec.commandLine().getParseResult().hasMatchedOption("--timeout")
                ? Durations.parse(timeout) : Duration.ofSeconds(2);
        LoadPlan plan = new LoadPlan(new InetSocketAddress(Ipv4Address.parse(host).toInetAddress(), port),
                Ipv4Address.parse(relay), clients, window, exchangeTimeout, renew, release, seed, rate);
        LoadReport report = new LoadGenerator(plan).run();
        System.out.print(json ? Json.of(report) + "\n" : report.describe());
        return report.drops() == 0 ? 0 : 3;
    }
}
