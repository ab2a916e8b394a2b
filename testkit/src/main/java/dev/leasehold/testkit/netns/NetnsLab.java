package dev.leasehold.testkit.netns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;

/**
 * A throw-away Ethernet LAN built from Linux network namespaces, for running real DHCP clients,
 * relays and servers against each other on one machine (DESIGN.md §5).
 *
 * <pre>
 *   ns …-srv  [lh…s 192.0.2.1/24] ──┐
 *   ns …-c1   [lh…c1  unaddressed] ──┤ br0 in ns …-br
 *   ns …-c2   [lh…c2  unaddressed] ──┤
 *   ns …-rly  [lh…ra 192.0.2.2/24] ──┘        (optional relayed LAN)
 *             [lh…rb 198.51.100.1/24] ─── br1 in ns …-br ─── ns …-d1 [lh…d1 unaddressed] …
 * </pre>
 *
 * <p>Every name carries the owning JVM's pid and a random suffix, so parallel runs never collide;
 * {@link #create} first removes labs whose JVM has died. {@link #close()} stops every process the
 * lab started, kills anything else left in its namespaces, and deletes the namespaces, their
 * links and the lab's files, also after a failed test; a JVM shutdown hook does the same as a last
 * resort. Client namespaces get their own {@code /etc/netns/NS/resolv.conf}, which
 * {@code ip netns exec} bind-mounts over {@code /etc/resolv.conf}, so client scripts that write DNS
 * settings write them there and never touch the host's.
 *
 * <p>Needs root; check {@link LabRequirements#unmetReason} first.
 */
public final class NetnsLab implements AutoCloseable {

    /** Every namespace of every lab starts with this; stale-lab removal looks for it. */
    public static final String NAME_PREFIX = LabNames.PREFIX;

    private static final Duration IP_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration STOP_GRACE = Duration.ofSeconds(3);

    private final LabNames names;
    private final LabSpec spec;
    private final Path workDir;
    private final List<String> namespaces = Collections.synchronizedList(new ArrayList<>());
    private final List<LabProcess> processes = Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook;
    private LabNode server;
    private final List<LabNode> clients = new ArrayList<>();
    private Relay relay;
    private final List<LabNode> relayedClients = new ArrayList<>();

    private NetnsLab(LabNames names, LabSpec spec) throws IOException {
        this.names = names;
        this.spec = spec;
        this.workDir = Files.createTempDirectory(names.id() + "-");
        this.shutdownHook = Thread.ofPlatform().unstarted(this::removeEverything);
    }

    /** Builds the lab described by {@code spec}; on any failure removes what it had built and throws. */
    public static NetnsLab create(LabSpec spec) {
        StaleLabs.removeAbandoned();
        NetnsLab lab;
        try {
            lab = new NetnsLab(LabNames.fresh(RandomGenerator.getDefault()), spec);
        } catch (IOException e) {
            throw new LabException("cannot create a lab work directory: " + e.getMessage(), e);
        }
        Runtime.getRuntime().addShutdownHook(lab.shutdownHook);
        try {
            lab.build();
            return lab;
        } catch (RuntimeException e) {
            try {
                lab.close();
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /** A lab of one LAN with a server and {@code clients} clients. */
    public static NetnsLab create(int clients) {
        return create(LabSpec.singleLan(clients));
    }

    /** Removes the labs of JVMs that died without closing them; returns how many namespaces went. */
    public static int removeStaleLabs() {
        return StaleLabs.removeAbandoned();
    }

    private void build() {
        String bridgeNs = addNamespace("br");
        ip(bridgeNs, "link", "add", "br0", "type", "bridge");
        ip(bridgeNs, "link", "set", "br0", "up");

        server = attach("srv", "s", "br0", 0, 1, Optional.of(spec.serverAddress()));
        for (int i = 1; i <= spec.clients(); i++) {
            clients.add(attach("c" + i, "c" + i, "br0", 0, 10 + i, Optional.empty()));
        }
        spec.relayedLan().ifPresent(lan -> {
            ip(bridgeNs, "link", "add", "br1", "type", "bridge");
            ip(bridgeNs, "link", "set", "br1", "up");
            LabNode up = attach("rly", "ra", "br0", 0, 2, Optional.of(lan.upstreamAddress()));
            LabNode down = attachTo(up.namespace(), "rb", "br1", 1, 2, Optional.of(lan.downstreamAddress()));
            relay = new Relay(up, down);
            // Clients on the relayed LAN renew by unicast to the server (RFC 2131 §4.4.5), so the
            // relay also routes, and the server knows the way back to the relayed LAN.
            exec(up.namespace(), IP_TIMEOUT, "sh", "-c", "echo 1 > /proc/sys/net/ipv4/ip_forward").requireSuccess();
            ip(server.namespace(), "route", "add", network(lan.downstreamAddress()), "via", up.ipv4().orElseThrow());
            for (int i = 1; i <= lan.clients(); i++) {
                relayedClients.add(attach("d" + i, "d" + i, "br1", 1, 10 + i, Optional.empty()));
            }
        });
    }

    private String addNamespace(String role) {
        String namespace = names.namespace(role);
        Commands.run(IP_TIMEOUT, "ip", "netns", "add", namespace).requireSuccess();
        namespaces.add(namespace);
        try {
            Path etc = Path.of("/etc/netns", namespace);
            Files.createDirectories(etc);
            Files.writeString(etc.resolve("resolv.conf"), "");
        } catch (IOException e) {
            throw new LabException("cannot create /etc/netns/" + namespace + ": " + e.getMessage(), e);
        }
        ip(namespace, "link", "set", "lo", "up");
        // IPv6 would add router solicitations and DAD to every capture and wait; DHCPv4 does not need it.
        exec(namespace, IP_TIMEOUT, "sh", "-c",
                "echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6; echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6")
                .requireSuccess();
        return namespace;
    }

    private LabNode attach(String role, String ifRole, String bridge, int lan, int node, Optional<String> address) {
        return attachTo(addNamespace(role), ifRole, bridge, lan, node, address);
    }

    /** A veth pair: one end in {@code namespace}, the peer enslaved to {@code bridge} in the bridge namespace. */
    private LabNode attachTo(String namespace, String ifRole, String bridge, int lan, int node, Optional<String> address) {
        String bridgeNs = names.namespace("br");
        String inner = names.interfaceName(ifRole);
        String peer = "p" + ifRole;
        String mac = names.mac(lan, node);
        Commands.run(IP_TIMEOUT, "ip", "link", "add", inner, "netns", namespace, "address", mac, "type", "veth",
                "peer", "name", peer, "netns", bridgeNs).requireSuccess();
        ip(bridgeNs, "link", "set", peer, "master", bridge);
        ip(bridgeNs, "link", "set", peer, "up");
        address.ifPresent(a -> ip(namespace, "addr", "add", a, "dev", inner));
        ip(namespace, "link", "set", inner, "up");
        return new LabNode(namespace, inner, mac, address);
    }

    private void ip(String namespace, String... args) {
        List<String> command = new ArrayList<>(List.of("ip", "-n", namespace));
        command.addAll(List.of(args));
        Commands.run(command, Map.of(), IP_TIMEOUT).requireSuccess();
    }

    private static String network(String cidr) {
        String[] parts = cidr.split("/");
        int prefix = Integer.parseInt(parts[1]);
        String[] octets = parts[0].split("\\.");
        long address = 0;
        for (String octet : octets) {
            address = (address << 8) | Integer.parseInt(octet);
        }
        long mask = prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
        long net = address & mask;
        return "%d.%d.%d.%d/%d".formatted(net >> 24 & 255, net >> 16 & 255, net >> 8 & 255, net & 255, prefix);
    }

    // --- what the lab is made of ---

    /** "lhlab-&lt;pid&gt;-&lt;suffix&gt;": the prefix of every namespace of this lab. */
    public String id() {
        return names.id();
    }

    public LabSpec spec() {
        return spec;
    }

    /** A private directory for configs, lease files, pid files and logs; deleted by {@link #close()}. */
    public Path workDir() {
        return workDir;
    }

    /** The namespace holding the bridges (br0 for the server's LAN, br1 for the relayed LAN). */
    public String bridgeNamespace() {
        return names.namespace("br");
    }

    public LabNode server() {
        return server;
    }

    public List<LabNode> clients() {
        return List.copyOf(clients);
    }

    /** The client with the given 0-based index on the server's LAN. */
    public LabNode client(int index) {
        return clients.get(index);
    }

    public Optional<Relay> relay() {
        return Optional.ofNullable(relay);
    }

    /** Clients on the relayed LAN (empty without one). */
    public List<LabNode> relayedClients() {
        return List.copyOf(relayedClients);
    }

    // --- running things inside ---

    /** Runs a command to completion inside {@code namespace}; never waits longer than {@code timeout}. */
    public CommandResult exec(String namespace, Duration timeout, String... command) {
        return exec(namespace, timeout, List.of(command), Map.of());
    }

    /** Runs a command to completion inside the node's namespace. */
    public CommandResult exec(LabNode node, Duration timeout, String... command) {
        return exec(node.namespace(), timeout, command);
    }

    /** Runs a command with extra environment variables to completion inside {@code namespace}. */
    public CommandResult exec(String namespace, Duration timeout, List<String> command, Map<String, String> environment) {
        requireOpen();
        return Commands.run(inNamespace(namespace, command), environment, timeout);
    }

    /**
     * Starts a long-running command inside {@code namespace}; its output goes to
     * {@code workDir()/<name>.log}. The lab stops it on {@link #close()} unless it was stopped before.
     */
    public LabProcess start(String name, String namespace, List<String> command) {
        return start(name, namespace, command, Map.of());
    }

    /** As {@link #start(String, String, List)}, with extra environment variables. */
    public LabProcess start(String name, String namespace, List<String> command, Map<String, String> environment) {
        requireOpen();
        List<String> full = inNamespace(namespace, command);
        Path log = workDir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(full)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().putAll(environment);
        try {
            LabProcess process = new LabProcess(name, full, builder.start(), log);
            processes.add(process);
            return process;
        } catch (IOException e) {
            throw new LabException("cannot start " + name + " (`" + String.join(" ", full) + "`): " + e.getMessage(), e);
        }
    }

    private static List<String> inNamespace(String namespace, List<String> command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(command);
        return full;
    }

    /**
     * Gives the node's interface a static address (a perfdhcp relay, a DHCPINFORM client, a client
     * moved to another subnet) and returns the node as it now is.
     */
    public LabNode addAddress(LabNode node, String cidr) {
        ip(node.namespace(), "addr", "add", cidr, "dev", node.interfaceName());
        return new LabNode(node.namespace(), node.interfaceName(), node.mac(), Optional.of(cidr));
    }

    /**
     * Re-plugs the node's cable into the other LAN's bridge ({@code "br0"}, the server's LAN, or
     * {@code "br1"}, the relayed LAN): a laptop carried to another building. The node keeps its
     * interface, MAC and whatever addresses it had; the link never goes down.
     */
    public void moveCable(LabNode node, String bridge) {
        if (!bridge.equals("br0") && !(bridge.equals("br1") && relay != null)) {
            throw new IllegalArgumentException("no bridge " + bridge + " in lab " + id());
        }
        String role = node.interfaceName().substring(names.interfaceName("").length());
        ip(bridgeNamespace(), "link", "set", "p" + role, "master", bridge);
    }

    // --- looking inside ---

    /** The node's IPv4 addresses with prefix, as {@code ip -4 addr} shows them ("192.0.2.100/24"). */
    public List<String> ipv4Addresses(LabNode node) {
        CommandResult show = exec(node.namespace(), IP_TIMEOUT, "ip", "-4", "-o", "addr", "show", "dev", node.interfaceName())
                .requireSuccess();
        return show.output().lines()
                .map(String::strip)
                .map(l -> l.split("\\s+"))
                .filter(f -> f.length > 3 && f[2].equals("inet"))
                .map(f -> f[3])
                .toList();
    }

    /** The node namespace's IPv4 routes, one {@code ip -4 route} line each ("default via 192.0.2.1 dev …"). */
    public List<String> ipv4Routes(LabNode node) {
        return exec(node.namespace(), IP_TIMEOUT, "ip", "-4", "route", "show").requireSuccess()
                .output().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    /** The node namespace's view of /etc/resolv.conf (what client scripts wrote there). */
    public String resolvConf(LabNode node) {
        try {
            return Files.readString(Path.of("/etc/netns", node.namespace(), "resolv.conf"));
        } catch (IOException e) {
            throw new LabException("cannot read resolv.conf of " + node.namespace(), e);
        }
    }

    /** Waits until the node's interface has an IPv4 address and returns it with its prefix. */
    public String awaitIpv4Address(LabNode node, Duration timeout) {
        return Await.value("an IPv4 address on " + node.interfaceName() + " in " + node.namespace(), timeout,
                () -> ipv4Addresses(node).stream().findFirst());
    }

    /** Waits until the node's interface has no IPv4 address left (after a release or expiry). */
    public void awaitNoIpv4Address(LabNode node, Duration timeout) {
        Await.until("no IPv4 address on " + node.interfaceName() + " in " + node.namespace(), timeout,
                () -> ipv4Addresses(node).isEmpty());
    }

    /** Waits until {@code file} exists. */
    public static void awaitFile(Path file, Duration timeout) {
        Await.until(file + " to appear", timeout, () -> Files.exists(file));
    }

    // --- tearing down ---

    /**
     * Stops every process the lab started (SIGTERM, SIGKILL after 3 s), kills whatever else still
     * runs in its namespaces, deletes the namespaces (and with them every veth and bridge) and the
     * lab's files. Safe to call more than once. Throws when a namespace could not be deleted.
     */
    @Override
    public void close() {
        List<String> failed = removeEverything();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook itself is running or has run: nothing left to unregister
        }
        if (!failed.isEmpty()) {
            throw new LabException("could not delete namespaces " + failed);
        }
    }

    private List<String> removeEverything() {
        if (!closed.compareAndSet(false, true)) {
            return List.of();
        }
        List<LabProcess> started;
        synchronized (processes) {
            started = new ArrayList<>(processes);
        }
        Collections.reverse(started);
        for (LabProcess process : started) {
            process.stop(STOP_GRACE);
        }
        List<String> own;
        synchronized (namespaces) {
            own = new ArrayList<>(namespaces);
        }
        Collections.reverse(own);
        List<String> failed = StaleLabs.removeNamespaces(own);
        StaleLabs.removeHostFiles(names);
        StaleLabs.deleteRecursively(workDir);
        return failed;
    }

    private void requireOpen() {
        if (closed.get()) {
            throw new IllegalStateException("lab " + id() + " is closed");
        }
    }

    @Override
    public String toString() {
        return "NetnsLab " + id() + " " + spec;
    }
}
