package dev.leasehold.cli;

import dev.leasehold.client.ClientSettings;
import dev.leasehold.client.OfferPreference;
import dev.leasehold.client.linux.ArpProber;
import dev.leasehold.client.linux.ClientOptions;
import dev.leasehold.client.linux.CommandRunner;
import dev.leasehold.client.linux.DhcpClient;
import dev.leasehold.client.load.LoadGenerator;
import dev.leasehold.client.load.LoadPlan;
import dev.leasehold.client.load.LoadReport;
import dev.leasehold.wire.Ipv4Address;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code leasehold client IFACE}: a DHCP client on a Linux interface (RFC 2131 §4.4): obtains,
 * applies, renews, rebinds and, when asked, releases a lease; keeps it across restarts.
 *
 * <p>{@code leasehold client --simulate N --server ADDR[:PORT]}: the load mode, N virtual clients
 * through whole lifecycles over the relay path, reporting leases/s and latency percentiles.
 */
@Command(name = "client", description = {
        "DHCP client for a Linux interface (needs CAP_NET_RAW and CAP_NET_ADMIN).",
        "Load mode: --simulate N virtual clients against --server."})
final class ClientCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "IFACE", description = "the interface to configure")
    String interfaceName;

    // --- the real client ---

    @Option(names = "--once", description = "exit as soon as a lease is applied (status 2 if none within --timeout)")
    boolean once;

    @Option(names = "--release", description = "with the real client: send DHCPRELEASE and remove the address on exit (SIGTERM/SIGINT);"
            + " with --simulate: release every lease at the end")
    boolean release;

    @Option(names = "--inform", description = "send DHCPINFORM for the address already on IFACE, apply the options, exit")
    boolean inform;

    @Option(names = "--hook", paramLabel = "SCRIPT", description = "run SCRIPT on every lease change, dhclient-script style ($reason, $new_*, $old_*)")
    Path hook;

    @Option(names = "--resolv-conf", paramLabel = "PATH",
            description = "where to write DNS settings (default /etc/resolv.conf; with --hook and no --resolv-conf, none is written; 'none' writes none)")
    String resolvConf;

    @Option(names = "--lease-file", paramLabel = "PATH", description = "where the lease is kept (default /var/lib/leasehold/client-IFACE.lease)")
    Path leaseFile;

    @Option(names = "--client-id", defaultValue = "mac", paramLabel = "ID",
            description = "option 61: mac (01 + MAC), duid (RFC 4361), none, or hex bytes (default: ${DEFAULT-VALUE})")
    String clientId;

    @Option(names = "--hostname", paramLabel = "NAME", description = "option 12")
    String hostname;

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

    @Option(names = "--renew", description = "load mode: renew every lease once after obtaining it")
    boolean renew;

    @Option(names = "--seed", defaultValue = "1", description = "load mode: MAC seed 0-127, so runs do not collide (default: ${DEFAULT-VALUE})")
    int seed;

    @Option(names = "--json", description = "load mode: print the report as one JSON object")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (clients != null) {
            return simulate();
        }
        if (interfaceName == null) {
            throw new ParameterException(spec.commandLine(), "name the interface (leasehold client IFACE), or use --simulate N --server ADDR");
        }
        if (inform && (once || release)) {
            throw new ParameterException(spec.commandLine(), "--inform asks for options only; it takes neither --once nor --release");
        }
        return runClient();
    }

    private int runClient() throws Exception {
        ClientSettings settings = ClientSettings.defaults()
                .withOfferWindow(Durations.parse(offerWindow))
                .withPreference(firstOffer ? OfferPreference.FIRST : OfferPreference.REQUESTED_THEN_LONGEST)
                .withRefusedServers(refusedServers.stream().map(Ipv4Address::parse).collect(Collectors.toSet()))
                .withRequestedAddress(Optional.ofNullable(requestAddress).map(Ipv4Address::parse))
                .withDeclineWait(Durations.parse(declineWait))
                .withRenewRetryMinimum(Durations.parse(renewRetryMin))
                .withCheckAddress(arpProbes > 0);
        ArpProber arp = arpInterval == null ? new ArpProber(arpProbes, ArpProber.RFC_5227.probeWait(),
                ArpProber.RFC_5227.probeMin(), ArpProber.RFC_5227.probeMax(), ArpProber.RFC_5227.announceWait())
                : ArpProber.quick(arpProbes, Durations.parse(arpInterval));
        Optional<Path> resolv;
        if (resolvConf == null) {
            resolv = hook == null ? Optional.of(Path.of("/etc/resolv.conf")) : Optional.empty();
        } else {
            resolv = resolvConf.equals("none") ? Optional.empty() : Optional.of(Path.of(resolvConf));
        }
        ClientOptions options = new ClientOptions(interfaceName, ClientOptions.clientId(clientId), hostname, vendorClass,
                settings, arp, leaseFile != null ? leaseFile : ClientOptions.defaultLeaseFile(interfaceName), resolv,
                Optional.ofNullable(hook), once, release, inform, Durations.parse(timeout));
        DhcpClient client = new DhcpClient(options, Clock.systemUTC(), RandomGenerator.of("L64X128MixRandom"),
                CommandRunner.processes());
        // SIGTERM / SIGINT: let the client leave its loop (releasing when asked), then let the JVM go.
        Thread hookThread = Thread.ofPlatform().unstarted(() -> {
            client.requestStop();
            try {
                client.awaitFinished(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(hookThread);
        int status = client.run();
        try {
            Runtime.getRuntime().removeShutdownHook(hookThread);
        } catch (IllegalStateException shuttingDown) {
            // the hook is already running: it returns once run() has
        }
        return status;
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
