package dev.leasehold.interop.linux;

import dev.leasehold.testkit.netns.CommandResult;
import dev.leasehold.testkit.netns.LabNode;
import dev.leasehold.testkit.netns.LabProcess;
import dev.leasehold.testkit.netns.LabSpec;
import dev.leasehold.testkit.netns.NetnsLab;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A multi-homed server on two LANs, built on the testkit lab: the lab's LAN 1 (192.0.2.0/24, the
 * server on {@code lh…s} = 192.0.2.1, client c1) and its second bridge, to which this adds a
 * second server veth {@code lh…s2} = 198.51.100.3/24 next to client d1. The relay namespace the
 * lab puts on both bridges stays idle, and the lab's route to LAN 2 through it is replaced by the
 * direct one. Also runs the probes: {@link LinuxTransportProbe} and {@link IcmpProberProbe} as
 * JVMs in the server namespace, a Python DHCPDISCOVER sender and tcpdump in client namespaces.
 *
 * <pre>
 *  c1 [unaddressed] ──br0── [lh…s  192.0.2.1/24]    server ns
 *  d1 [unaddressed] ──br1── [lh…s2 198.51.100.3/24]
 * </pre>
 */
final class TwoLanServer implements AutoCloseable {

    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);
    static final Duration JVM_START = Duration.ofSeconds(40);
    static final String LAN1_SERVER = "192.0.2.1";
    static final String LAN2_SERVER = "198.51.100.3";
    static final String PYTHON = "/usr/bin/python3";

    /**
     * Sends one DHCPDISCOVER-shaped BOOTREQUEST (RFC 2131 §2: op 1, htype 1, hlen 6, xid, flags,
     * ciaddr, chaddr, magic cookie, option 53 = 1, end) from port 68 out of one interface
     * (SO_BINDTODEVICE, so an unaddressed interface without routes can broadcast), then waits
     * for a BOOTREPLY with the same xid on port 68 when asked to.
     * argv: IFACE MAC FLAG(broadcast|none) WAIT_SECONDS DESTINATION CIADDR
     */
    private static final String CLIENT_SCRIPT = """
            import os, socket, struct, sys
            iface, mac, flag, wait, dst, ciaddr = sys.argv[1:7]
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, iface.encode())
            s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(('0.0.0.0', 68))
            xid = os.urandom(4)
            chaddr = bytes.fromhex(mac.replace(':', '')).ljust(16, b'\\0')
            flags = 0x8000 if flag == 'broadcast' else 0
            zero = socket.inet_aton('0.0.0.0')
            msg = struct.pack('!BBBB4sHH4s4s4s4s16s64s128s', 1, 1, 6, 0, xid, 0, flags,
                              socket.inet_aton(ciaddr), zero, zero, zero, chaddr, b'', b'')
            msg += bytes.fromhex('63825363') + bytes([53, 1, 1, 255])
            msg = msg.ljust(300, b'\\0')
            s.sendto(msg, (dst, 67))
            print('SENT xid=' + xid.hex(), flush=True)
            if float(wait) <= 0:
                sys.exit(0)
            s.settimeout(float(wait))
            try:
                while True:
                    data, src = s.recvfrom(2048)
                    if len(data) >= 240 and data[0] == 2 and data[4:8] == xid:
                        print('REPLY from=%s:%d yiaddr=%s' % (src[0], src[1], socket.inet_ntoa(data[16:20])), flush=True)
                        sys.exit(0)
            except socket.timeout:
                print('NO-REPLY', flush=True)
                sys.exit(2)
            """;

    /** Sends COUNT DISCOVER-shaped requests (xid = sequence number), GAP seconds apart. argv: IFACE MAC COUNT GAP */
    private static final String BURST_SCRIPT = """
            import socket, struct, sys, time
            iface, mac, count, gap = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, iface.encode())
            s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
            s.bind(('0.0.0.0', 68))
            zero = socket.inet_aton('0.0.0.0')
            chaddr = bytes.fromhex(mac.replace(':', '')).ljust(16, b'\\0')
            for i in range(count):
                msg = struct.pack('!BBBBIHH4s4s4s4s16s64s128s', 1, 1, 6, 0, i, 0, 0, zero, zero, zero, zero, chaddr, b'', b'')
                msg += bytes.fromhex('63825363') + bytes([53, 1, 1, 255])
                s.sendto(msg.ljust(300, b'\\0'), ('255.255.255.255', 67))
                if gap > 0:
                    time.sleep(gap)
            print('SENT', count, flush=True)
            """;

    /** Holds a port on one interface, as another DHCP server would. argv: IFACE PORT */
    private static final String SQUATTER_SCRIPT = """
            import socket, sys, time
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, sys.argv[1].encode())
            s.bind(('0.0.0.0', int(sys.argv[2])))
            print('HOLDING', flush=True)
            time.sleep(120)
            """;

    final NetnsLab lab;
    final LabNode server;
    final LabNode lan1Client;
    final LabNode lan2Client;
    final String lan2Interface;
    final String lan2Mac;
    private final Path clientScript;
    private final Path squatterScript;
    private final Path burstScript;

    private TwoLanServer(NetnsLab lab) throws IOException {
        this.lab = lab;
        this.server = lab.server();
        this.lan1Client = lab.client(0);
        this.lan2Client = lab.relayedClients().getFirst();
        String suffix = lab.id().substring(lab.id().length() - 6);
        this.lan2Interface = "lh" + suffix + "s2";
        this.lan2Mac = "02:%s:%s:%s:01:03".formatted(suffix.substring(0, 2), suffix.substring(2, 4), suffix.substring(4, 6));
        this.clientScript = Files.writeString(lab.workDir().resolve("discover.py"), CLIENT_SCRIPT);
        this.squatterScript = Files.writeString(lab.workDir().resolve("squat.py"), SQUATTER_SCRIPT);
        this.burstScript = Files.writeString(lab.workDir().resolve("burst.py"), BURST_SCRIPT);
    }

    /** Builds the lab and the second server interface; removes everything if any step fails. */
    static TwoLanServer create() throws IOException {
        NetnsLab lab = NetnsLab.create(LabSpec.singleLan(1).withRelayedLan(1));
        try {
            TwoLanServer lan = new TwoLanServer(lab);
            String srv = lan.server.namespace();
            lab.exec(srv, COMMAND_TIMEOUT, "ip", "route", "del", "198.51.100.0/24").requireSuccess();
            lan.addServerInterface(lan.lan2Interface, lan.lan2Mac, "ps2", "br1", LAN2_SERVER + "/24");
            return lan;
        } catch (IOException | RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    /** A veth in the server namespace, its peer {@code peer} on {@code bridge}, with {@code cidr}. */
    void addServerInterface(String name, String mac, String peer, String bridge, String cidr) {
        String srv = server.namespace();
        String br = lab.bridgeNamespace();
        lab.exec(srv, COMMAND_TIMEOUT, "ip", "link", "add", name, "address", mac, "type", "veth",
                "peer", "name", peer, "netns", br).requireSuccess();
        lab.exec(br, COMMAND_TIMEOUT, "ip", "link", "set", peer, "master", bridge).requireSuccess();
        lab.exec(br, COMMAND_TIMEOUT, "ip", "link", "set", peer, "up").requireSuccess();
        lab.exec(srv, COMMAND_TIMEOUT, "ip", "addr", "add", cidr, "dev", name).requireSuccess();
        lab.exec(srv, COMMAND_TIMEOUT, "ip", "link", "set", name, "up").requireSuccess();
    }

    void deleteServerInterface(String name) {
        lab.exec(server.namespace(), COMMAND_TIMEOUT, "ip", "link", "del", name).requireSuccess();
    }

    /** The kernel index of an interface in a namespace. */
    int interfaceIndex(String namespace, String name) {
        return Integer.parseInt(lab.exec(namespace, COMMAND_TIMEOUT, "cat", "/sys/class/net/" + name + "/ifindex")
                .requireSuccess().output().strip());
    }

    /** Starts {@link LinuxTransportProbe} in the server namespace and waits until it serves. */
    LabProcess startTransportProbe(String name, String interfaces, String reply) {
        LabProcess probe = lab.start(name, server.namespace(),
                java(LinuxTransportProbe.class, interfaces, "67", reply, "120"));
        probe.awaitOutput("READY", JVM_START);
        return probe;
    }

    /**
     * Starts {@link LinuxTransportProbe} as user nobody holding only {@code capabilities} (setpriv
     * ambient capabilities, as a systemd unit's AmbientCapabilities= gives them), from a copy of
     * the classpath that nobody can read; returns without waiting for it to serve.
     */
    LabProcess startUnprivilegedTransportProbe(String name, String interfaces, String reply, String capabilities)
            throws IOException {
        Path classpath = readableClasspath();
        List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
        if (!capabilities.isEmpty()) {
            command.add("--inh-caps=" + capabilities);
            command.add("--ambient-caps=" + capabilities);
        }
        command.add("--");
        List<String> java = java(LinuxTransportProbe.class, interfaces, "67", reply, "120");
        java.set(java.indexOf("-cp") + 1, classpath + "/*:" + classpath.resolve("classes"));
        java.add(1, "-XX:-UsePerfData");
        command.addAll(java);
        return lab.start(name, server.namespace(), command);
    }

    /**
     * Copies what the probe needs (its classes, the net and wire modules, the logging jars) to a
     * world-readable directory inside the lab's work directory, which the lab deletes.
     */
    private Path readableClasspath() throws IOException {
        Path dir = lab.workDir().resolve("public-classpath");
        if (Files.isDirectory(dir)) {
            return dir;
        }
        Files.createDirectories(dir.resolve("classes"));
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path path = Path.of(entry);
            String file = path.getFileName().toString();
            if (file.endsWith(".jar") && (file.startsWith("leasehold-net") || file.startsWith("leasehold-wire")
                    || file.startsWith("slf4j-api") || file.startsWith("logback-"))) {
                Files.copy(path, dir.resolve(file));
            }
        }
        String[] probeClasses = {LinuxTransportProbe.class.getName()};
        for (String className : probeClasses) {
            String resource = className.replace('.', '/') + ".class";
            Path target = dir.resolve("classes").resolve(resource);
            Files.createDirectories(target.getParent());
            try (var in = LinuxTransportProbe.class.getClassLoader().getResourceAsStream(resource)) {
                Files.copy(java.util.Objects.requireNonNull(in, resource), target);
            }
        }
        // The lab's work directory is private to root; let nobody through to the copy.
        for (Path p = dir; p != null && p.startsWith(lab.workDir().getParent()) && !p.equals(lab.workDir().getParent());
             p = p.getParent()) {
            Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.toList()) {
                Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString(
                        Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        return dir;
    }

    /** Runs {@link IcmpProberProbe} in the server namespace to completion. */
    CommandResult runIcmpProbe(String mode, String address, long timeoutMillis) {
        return lab.exec(server.namespace(), JVM_START,
                java(IcmpProberProbe.class, mode, address, Long.toString(timeoutMillis)).toArray(String[]::new));
    }

    /** A JVM with this test's classpath and native access, small and quick to start. */
    static List<String> java(Class<?> main, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx96m",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        return command;
    }

    /** Sends a DISCOVER from {@code client} and waits up to {@code waitSeconds} for the reply (0: no wait). */
    CommandResult discover(LabNode client, boolean broadcastFlag, int waitSeconds) {
        return discover(client, broadcastFlag, waitSeconds, "255.255.255.255", "0.0.0.0");
    }

    CommandResult discover(LabNode client, boolean broadcastFlag, int waitSeconds, String destination, String ciaddr) {
        return lab.exec(client.namespace(), COMMAND_TIMEOUT, PYTHON, clientScript.toString(), client.interfaceName(),
                client.mac(), broadcastFlag ? "broadcast" : "none", Integer.toString(waitSeconds), destination, ciaddr);
    }

    /** Sends {@code count} broadcast DISCOVERs from {@code client}, {@code gapSeconds} apart (0: back to back). */
    CommandResult burst(LabNode client, int count, double gapSeconds) {
        return lab.exec(client.namespace(), Duration.ofSeconds(60), PYTHON, burstScript.toString(),
                client.interfaceName(), client.mac(), Integer.toString(count), Double.toString(gapSeconds));
    }

    /** tcpdump on the client's interface for replies to port 68, with link-layer headers and checksum checks. */
    LabProcess capture(String name, LabNode client, int count) {
        LabProcess tcpdump = lab.start(name, client.namespace(), List.of("tcpdump", "-i", client.interfaceName(),
                "-e", "-n", "-vv", "-l", "-c", Integer.toString(count), "udp dst port 68"));
        tcpdump.awaitOutput("listening on", COMMAND_TIMEOUT);
        return tcpdump;
    }

    LabProcess holdPort(String interfaceName, int port) {
        LabProcess squatter = lab.start("squatter-" + interfaceName, server.namespace(),
                List.of(PYTHON, squatterScript.toString(), interfaceName, Integer.toString(port)));
        squatter.awaitOutput("HOLDING", COMMAND_TIMEOUT);
        return squatter;
    }

    Optional<String> lineStartingWith(LabProcess process, String prefix) {
        return process.output().lines().filter(l -> l.startsWith(prefix)).findFirst();
    }

    @Override
    public void close() {
        lab.close();
    }
}
