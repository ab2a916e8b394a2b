package dev.leasehold.testkit.netns;

import dev.leasehold.lease.Lease;
import dev.leasehold.lease.journal.JournalLeaseStore;
import dev.leasehold.lease.journal.JournalOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The Leasehold server, {@code dev.leasehold.cli.Main serve --config FILE}, in a JVM of its own
 * inside a lab namespace, the way an operator runs it: per-interface sockets on port 67 for the
 * interfaces the config names (which needs {@code --enable-native-access}, see
 * {@link JavaCommand#ofCurrentJvm()}), its lease journal in a data directory of the lab's.
 *
 * <p>{@link #leases()} reads what the server has stored, also while it runs: it copies the
 * journal (an append-only file that the server writes before it acknowledges, DESIGN §3) and
 * replays the copy, so a test sees the server's durable state without stopping it. A torn last
 * record of a copy taken mid-write is discarded by the replay, as after a crash.
 */
public final class LeaseholdServerProcess implements AutoCloseable {

    /** {@code LeaseholdServer} logs "serving N subnet(s) on interfaces [...]" once its sockets are open. */
    public static final String READY = "serving ";
    private static final Duration START = Duration.ofSeconds(40);

    private final NetnsLab lab;
    private final String name;
    private final LabProcess process;
    private final Path dataDirectory;
    private final AtomicInteger snapshots = new AtomicInteger();

    private LeaseholdServerProcess(NetnsLab lab, String name, LabProcess process, Path dataDirectory) {
        this.lab = lab;
        this.name = name;
        this.process = process;
        this.dataDirectory = dataDirectory;
    }

    /**
     * Writes {@code config} to the lab's work directory with a {@code data-directory} of its own
     * prepended (so {@code config} must not set one), starts the server in {@code namespace} with
     * decisions logged (LEASEHOLD_LOG_LEVEL=debug: every NAK and every request left unanswered,
     * with the reason), and waits (bounded) until it serves.
     *
     * @param name names the log ({@code workDir/NAME.log}), the config file and the data directory
     * @throws LabException when the server exits or does not get ready in time, with its output
     */
    public static LeaseholdServerProcess start(NetnsLab lab, String namespace, String name, String config) {
        Path dataDirectory = lab.workDir().resolve(name + "-data");
        Path configFile = lab.workDir().resolve(name + ".yaml");
        try {
            Files.writeString(configFile, "data-directory: \"" + dataDirectory + "\"\n" + config);
        } catch (IOException e) {
            throw new LabException("cannot write " + configFile, e);
        }
        // A server started again under the same name appends to the same log: wait for a READY of its own.
        Path logFile = lab.workDir().resolve(name + ".log");
        int readyBefore = countReady(logFile);
        LabProcess process = lab.start(name, namespace,
                JavaCommand.ofCurrentJvm().main("dev.leasehold.cli.Main", "serve", "--config", configFile.toString()),
                Map.of("LEASEHOLD_LOG_LEVEL", "debug"));
        try {
            Await.until(name + " to serve", START, () -> countReady(logFile) > readyBefore || !process.isAlive());
        } catch (LabTimeoutException e) {
            throw new LabTimeoutException(name + " to print \"" + READY + "\"", START, process.tail());
        }
        if (!process.isAlive()) {
            throw new LabException(name + " exited with " + process.exitCode().orElse(-1) + " before serving\n"
                    + process.tail());
        }
        return new LeaseholdServerProcess(lab, name, process, dataDirectory);
    }

    /**
     * A config (YAML, docs/configuration.md) serving what {@code settings} describes: its
     * interfaces on port 67, one subnet per {@link LabSubnet} (ids 1, 2, … in order; a relayed
     * subnet is selected by a giaddr inside its prefix, RFC 2131 §4.3.1) with its pool and router,
     * the DNS servers and domain name for everyone, and its lifetimes as the only lease time
     * granted ({@code min-lifetime} = {@code max-lifetime} = {@code valid-lifetime}, so a client
     * asking for another lease time still gets these). {@code topLevel} lines are added as they
     * are ("authoritative: true", "allocation: iterative").
     */
    public static String config(ServerSettings settings, String... topLevel) {
        List<LabSubnet> subnets = settings.subnets();
        String subnetYaml = IntStream.range(0, subnets.size()).mapToObj(i -> """
                  - id: %d
                    subnet: %s
                    pools: [{range: %s-%s}]
                    options: {routers: %s}
                """.formatted(i + 1, subnets.get(i).prefix(), subnets.get(i).poolFirst(), subnets.get(i).poolLast(),
                subnets.get(i).router())).collect(Collectors.joining());
        return """
                interfaces: [%s]
                %s
                valid-lifetime: %d
                min-lifetime: %d
                max-lifetime: %d
                renew-timer: %d
                rebind-timer: %d
                options:
                  domain-name-servers: [%s]
                  domain-name: %s
                subnets:
                %s""".formatted(
                String.join(", ", settings.interfaces()), String.join("\n", topLevel),
                settings.validLifetime(), settings.validLifetime(), settings.validLifetime(),
                settings.renewTimer(), settings.rebindTimer(),
                String.join(", ", settings.dnsServers()), settings.domainName(), subnetYaml);
    }

    private static int countReady(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log).split(READY, -1).length - 1 : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    public LabProcess process() {
        return process;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /**
     * Every lease the server has stored so far, in any state. Reads a copy of the journal, so it
     * works whether the server runs or has stopped, and never disturbs it.
     */
    public List<Lease> leases() {
        Path snapshot = lab.workDir().resolve(name + "-snapshot-" + snapshots.incrementAndGet());
        try {
            Files.createDirectories(snapshot);
            Path journal = dataDirectory.resolve(JournalLeaseStore.JOURNAL_FILE);
            if (!Files.exists(journal)) {
                return List.of();
            }
            Files.copy(journal, snapshot.resolve(JournalLeaseStore.JOURNAL_FILE), StandardCopyOption.REPLACE_EXISTING);
            List<Lease> leases = new ArrayList<>();
            try (JournalLeaseStore store = JournalLeaseStore.open(snapshot, JournalOptions.defaults().withReserveBytes(0))) {
                store.forEach(leases::add);
            }
            return List.copyOf(leases);
        } catch (IOException e) {
            throw new LabException("cannot read the lease journal of " + name + " in " + dataDirectory + ": " + e.getMessage(), e);
        } finally {
            StaleLabs.deleteRecursively(snapshot);
        }
    }

    /** The stored leases whose hardware address is {@code mac} ("02:ab:…", as in {@link LabNode#mac()}). */
    public List<Lease> leasesOf(String mac) {
        return leases().stream().filter(l -> l.hardwareAddress().toString().equalsIgnoreCase(mac)).toList();
    }

    /**
     * Stops the server gracefully (SIGTERM: the JVM's shutdown hook closes the server, which
     * finishes pending journal writes) and returns its exit status.
     */
    public int stop(Duration grace) {
        return process.stop(grace);
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }

    @Override
    public String toString() {
        return name + " " + process;
    }
}
