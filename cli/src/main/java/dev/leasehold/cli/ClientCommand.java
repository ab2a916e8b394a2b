package dev.leasehold.cli;

import dev.leasehold.client.load.LoadGenerator;
import dev.leasehold.client.load.LoadPlan;
import dev.leasehold.client.load.LoadReport;
import dev.leasehold.wire.Ipv4Address;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code leasehold client --simulate N --server ADDR[:PORT]}: N virtual clients through whole
 * lifecycles over the relay path, reporting leases/s and latency percentiles (a perfdhcp peer).
 */
@Command(name = "client", description = "DHCP client. Load mode: --simulate N virtual clients against --server.")
final class ClientCommand implements Callable<Integer> {

    @Option(names = "--simulate", required = true, paramLabel = "N", description = "number of virtual clients")
    int clients;

    @Option(names = "--server", required = true, paramLabel = "ADDR[:PORT]", description = "server address (port 67 by default)")
    String server;

    @Option(names = "--relay", defaultValue = "127.0.0.1", paramLabel = "ADDR",
            description = "our address, used as giaddr (default: ${DEFAULT-VALUE})")
    String relay;

    @Option(names = "--window", defaultValue = "256", description = "exchanges in flight at once (default: ${DEFAULT-VALUE})")
    int window;

    @Option(names = "--rate", defaultValue = "0", description = "exchanges started per second, 0 = as fast as the window allows")
    int rate;

    @Option(names = "--timeout", defaultValue = "2s", description = "an exchange slower than this is a drop (default: ${DEFAULT-VALUE})")
    String timeout;

    @Option(names = "--renew", description = "renew every lease once after obtaining it")
    boolean renew;

    @Option(names = "--release", description = "release every lease at the end")
    boolean release;

    @Option(names = "--seed", defaultValue = "1", description = "MAC seed 0-127, so runs do not collide (default: ${DEFAULT-VALUE})")
    int seed;

    @Option(names = "--json", description = "print the report as one JSON object")
    boolean json;

    @Override
    public Integer call() throws Exception {
        String host = server.contains(":") ? server.substring(0, server.indexOf(':')) : server;
        int port = server.contains(":") ? Integer.parseInt(server.substring(server.indexOf(':') + 1)) : 67;
        LoadPlan plan = new LoadPlan(new InetSocketAddress(Ipv4Address.parse(host).toInetAddress(), port),
                Ipv4Address.parse(relay), clients, window, Durations.parse(timeout), renew, release, seed, rate);
        LoadReport report = new LoadGenerator(plan).run();
        System.out.print(json ? Json.of(report) + "\n" : report.describe());
        return report.drops() == 0 ? 0 : 3;
    }
}
