package dev.leasehold.client.linux;

import dev.leasehold.client.AnnouncementSchedule;
import dev.leasehold.client.Binding;
import dev.leasehold.client.ClientIdentity;
import dev.leasehold.client.ClientIo;
import dev.leasehold.client.ClientState;
import dev.leasehold.client.ClientStateMachine;
import dev.leasehold.client.LeaseEvent;
import dev.leasehold.client.LeaseParameters;
import dev.leasehold.net.linux.BpfInstruction;
import dev.leasehold.net.linux.DeviceUdpSocket;
import dev.leasehold.net.linux.ErrnoException;
import dev.leasehold.net.linux.PacketSocket;
import dev.leasehold.net.linux.RawUdp;
import dev.leasehold.wire.DhcpCodec;
import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import dev.leasehold.wire.MalformedMessageException;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code leasehold client IFACE}: runs the {@link ClientStateMachine} on a real Linux interface.
 *
 * <p>Packet I/O (RFC 2131 §4.1): every reply is read from one packet socket (AF_PACKET, ethertype
 * IPv4, a BPF filter passing UDP to port 68 only), which sees broadcasts and replies unicast to
 * our MAC whether or not the interface has an address yet. While it has none, broadcasts leave
 * through that packet socket as hand-built 0.0.0.0:68 → 255.255.255.255:67 datagrams. Once the
 * lease is applied, a UDP socket bound to the interface on port 68 sends instead (unicast to the
 * server for RENEWING, broadcast for REBINDING, DHCPRELEASE), letting the kernel resolve the
 * server's MAC; its own copy of each reply is discarded, but its presence stops the kernel from
 * answering the server's unicasts with ICMP port unreachable.
 *
 * <p>One thread runs everything (the state machine, sockets, commands, hook); {@link #requestStop()}
 * and {@link #requestRenew()} may come from another (a signal handler), and the control socket's
 * requests arrive through a queue that this thread drains between packets.
 */
public final class DhcpClient {

    private static final Logger LOG = LoggerFactory.getLogger(DhcpClient.class);
    private static final int CLIENT_PORT = 68;
    private static final int SERVER_PORT = 67;
    private static final byte[] BROADCAST_MAC = {-1, -1, -1, -1, -1, -1};
    private static final Duration MAX_WAIT = Duration.ofMillis(500);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

    /** Exit status: the client gave up (no lease with --once, no answer to --inform). */
    public static final int GAVE_UP = 2;

    private final ClientOptions options;
    private final Clock clock;
    private final RandomGenerator random;
    private final CommandRunner commands;
    private final Resolver resolver;
    private final Optional<HookScript> hook;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Queue<ControlSocket.Request> requests = new ConcurrentLinkedQueue<>();
    private final AnnouncementSchedule announcements;
    private volatile boolean stopRequested;

    private IpCommands ip;
    private LeaseFile leaseFile;
    private PacketSocket packets;
    private DeviceUdpSocket udp;
    private ClientStateMachine machine;
    private Optional<LeaseParameters> applied = Optional.empty();
    private Ipv4Address pendingProbe;
    private boolean boundOnce;
    private boolean informed;
    /** The workarounds already logged at WARN, at most 64. */
    private final Set<String> toldAlready = new HashSet<>();

    /** A client for {@code options}; {@code resolver} may be shared with the clients of other interfaces. */
    public DhcpClient(ClientOptions options, Resolver resolver, Clock clock, RandomGenerator random, CommandRunner commands) {
        this.options = options;
        this.clock = clock;
        this.random = random;
        this.commands = commands;
        this.resolver = resolver;
        this.hook = options.hook().map(HookScript::new);
        this.announcements = options.arp().probes() == 0 ? new AnnouncementSchedule(0, Duration.ZERO) : AnnouncementSchedule.rfc5227();
    }

    /** Asks the running client to stop (releasing first when so configured); returns at once. */
    public void requestStop() {
        stopRequested = true;
    }

    /** Asks the running client to renew its lease now (SIGHUP); returns at once. */
    public void requestRenew() {
        requests.add(new ControlSocket.Request("renew", new CompletableFuture<>()));
    }

    /** Waits until {@link #run()} has returned, at most {@code timeout}. */
    public boolean awaitFinished(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Runs until stopped (or released through the control socket), until bound with {@code once},
     * or informed with {@code inform}. Returns the exit status.
     *
     * @throws ClientStartException when it cannot start for a reason the operator can fix
     */
    public int run() throws IOException, ClientStartException {
        String name = options.interfaceName();
        NetworkNamespace namespace = NetworkNamespace.current();
        ControlSocket control = null;
        try {
            LinkInfo link = LinkInfo.of(name, commands).orElseThrow(() ->
                    new ClientStartException("no interface named " + namespace.qualify(name) + " (see `ip link`)"));
            if (link.loopback()) {
                throw new ClientStartException(name + " is a loopback interface; DHCP needs a broadcast link");
            }
            Ipv4Address informAddress = null;
            if (options.inform()) {
                informAddress = interfaceAddress().orElseThrow(() -> new ClientStartException(
                        "--inform needs an IPv4 address configured on " + name + " (RFC 2131 §4.4.3); it has none"));
            }
            control = ControlSocket.open(ControlSocket.path(options.runDirectory(), name, namespace), requests);
            try {
                packets = PacketSocket.open(name, PacketSocket.ETH_P_IP, BpfInstruction.udpToPort(CLIENT_PORT));
            } catch (ErrnoException e) {
                throw new ClientStartException("cannot open a packet socket on " + name + ": " + e.getMessage()
                        + (e.errnoName().equals("EPERM") ? " (the client needs CAP_NET_RAW and CAP_NET_ADMIN: run it as root)" : ""), e);
            }
            HardwareAddress hardware = new HardwareAddress(HardwareAddress.ETHERNET, packets.hardwareAddress());
            ClientIdentity identity = new ClientIdentity(hardware, options.clientId().bytes(hardware), options.hostname(),
                    options.vendorClass()).withInterfaceMtu(link.mtu());
            if (options.fqdn() != null) {
                identity = identity.withFqdn(options.fqdn());
            }
            ip = new IpCommands(name, options.routeMetric().orElse(IpCommands.METRIC_BASE + link.index()),
                    OptionalInt.of(link.mtu()));
            LeaseFile.Owner owner = new LeaseFile.Owner(name, hardware, namespace);
            leaseFile = new LeaseFile(options.leaseFile().orElseGet(() -> LeaseFile.defaultPath(options.stateDirectory(), owner)), owner);
            machine = new ClientStateMachine(options.settings(), identity, new Io(), clock, random);
            LOG.info("client on {} ({}), lease file {}, route metric {}, DNS to {}, control socket {}", namespace.qualify(name),
                    hardware, leaseFile.path(), ip.metric(), resolver.describe(), control.path());
            if (options.inform()) {
                udp = DeviceUdpSocket.open(name, CLIENT_PORT);
                machine.startInform(informAddress);
            } else {
                runHook(HookScript.preinitEnvironment(name));
                Optional<Binding> remembered = leaseFile.load(why -> LOG.warn("{}", why));
                remembered.ifPresent(b -> LOG.info("remembered lease {} from {} until {}: INIT-REBOOT",
                        b.address(), b.serverId(), b.expiresAt()));
                machine.start(remembered);
            }
            int status = loop();
            if (options.releaseOnExit() && machine.state().holdsLease()) {
                machine.release();
            }
            return status;
        } finally {
            if (control != null) {
                control.close();
            }
            if (udp != null) {
                udp.close();
            }
            if (packets != null) {
                packets.close();
            }
            ControlSocket.Request left;
            while ((left = requests.poll()) != null) {
                left.reply().complete("error: the client has stopped");
            }
            finished.countDown();
        }
    }

    private int loop() throws IOException {
        byte[] frame = new byte[65_536];
        Instant giveUpAt = clock.instant().plus(options.giveUpAfter());
        while (!stopRequested) {
            if (machine.state() == ClientState.STOPPED) {
                if (options.inform() && !informed) {
                    LOG.warn("no answer to DHCPINFORM on {}", options.interfaceName());
                    return GAVE_UP;
                }
                return 0;
            }
            if (options.once() && boundOnce) {
                return 0;
            }
            if ((options.once() || options.inform()) && !clock.instant().isBefore(giveUpAt)) {
                LOG.warn("no lease on {} within {}; giving up", options.interfaceName(), options.giveUpAfter());
                return GAVE_UP;
            }
            ControlSocket.Request request = requests.poll();
            if (request != null) {
                if (answer(request)) {
                    return 0; // released on request
                }
                continue;
            }
            Optional<Ipv4Address> announce = announcements.due(clock.instant());
            if (announce.isPresent()) {
                try {
                    options.arp().announce(options.interfaceName(), announce.get());
                } catch (ErrnoException e) {
                    LOG.debug("ARP announcement: {}", e.getMessage());
                }
                continue;
            }
            if (pendingProbe != null) {
                Ipv4Address candidate = pendingProbe;
                pendingProbe = null;
                machine.probeFinished(candidate, conflictOn(candidate));
                continue;
            }
            Instant next = machine.nextWakeup().isBefore(announcements.nextAt()) ? machine.nextWakeup() : announcements.nextAt();
            Duration wait = Duration.between(clock.instant(), next);
            wait = wait.isNegative() ? Duration.ZERO : wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait;
            int n = packets.receive(frame, wait);
            if (n > 0) {
                handle(frame, n);
            }
            if (udp != null) {
                udp.drain();
            }
            if (!clock.instant().isBefore(machine.nextWakeup())) {
                machine.tick();
            }
        }
        return 0;
    }

    /** Handles one control request; true when the client has released its lease and must stop. */
    private boolean answer(ControlSocket.Request request) {
        switch (request.verb()) {
            case "renew" -> {
                Optional<Binding> before = machine.binding();
                if (machine.renewNow()) {
                    request.reply().complete("ok: renewing " + before.get().address() + " with " + before.get().serverId());
                } else {
                    request.reply().complete("error: no lease to renew (" + machine.state() + ")");
                }
            }
            case "release" -> {
                Optional<Binding> held = machine.binding();
                machine.release();
                request.reply().complete(held.map(b -> "ok: released " + b.address() + " to " + b.serverId())
                        .orElse("ok: stopped (no lease was held)"));
                return true;
            }
            case "status" -> request.reply().complete("ok: " + machine.state()
                    + machine.binding().map(b -> " " + b.address() + " from " + b.serverId() + " until " + b.expiresAt()).orElse(""));
            default -> request.reply().complete("error: unknown request '" + request.verb() + "' (renew, release, status)");
        }
        return false;
    }

    private void handle(byte[] frame, int length) {
        Optional<RawUdp.Datagram> datagram = RawUdp.parse(frame, length);
        if (datagram.isEmpty() || datagram.get().destinationPort() != CLIENT_PORT || datagram.get().sourcePort() != SERVER_PORT) {
            return; // the filter passes UDP to 68; a relay's or another client's traffic from elsewhere is not for us
        }
        byte[] payload = datagram.get().payload();
        try {
            machine.received(DhcpCodec.decode(payload));
        } catch (MalformedMessageException e) {
            LOG.info("ignored a malformed message from {}: {}", datagram.get().source(), e.getMessage());
        }
    }

    private boolean conflictOn(Ipv4Address candidate) {
        if (interfaceAddresses().contains(candidate)) {
            return false; // ours already (a restart without release): the kernel would answer our own probe
        }
        try {
            Optional<String> conflict = options.arp().check(options.interfaceName(), candidate, random);
            conflict.ifPresent(who -> LOG.warn("{} is in use by {} (RFC 5227 conflict): declining", candidate, who));
            return conflict.isPresent();
        } catch (ErrnoException e) {
            LOG.warn("ARP check of {} failed, using the address unchecked: {}", candidate, e.getMessage());
            return false;
        }
    }

    private Optional<Ipv4Address> interfaceAddress() {
        return interfaceAddresses().stream().findFirst();
    }

    private List<Ipv4Address> interfaceAddresses() {
        try {
            NetworkInterface nif = NetworkInterface.getByName(options.interfaceName());
            if (nif == null) {
                return List.of();
            }
            return nif.getInterfaceAddresses().stream().map(InterfaceAddress::getAddress)
                    .filter(a -> a instanceof Inet4Address).map(a -> Ipv4Address.of((Inet4Address) a)).toList();
        } catch (SocketException e) {
            return List.of();
        }
    }

    private void runAll(List<List<String>> list, boolean failuresExpected) {
        for (List<String> command : list) {
            try {
                CommandRunner.Result r = commands.run(command, Map.of(), COMMAND_TIMEOUT);
                if (!r.succeeded() && !failuresExpected) {
                    LOG.warn("`{}` failed ({}): {}", String.join(" ", command), r.exitCode(), r.output().strip());
                } else {
                    LOG.debug("`{}`: {}", String.join(" ", command), r.exitCode());
                }
            } catch (IOException e) {
                LOG.warn("`{}` could not run: {}", String.join(" ", command), e.getMessage());
            }
        }
    }

    private void runHook(Map<String, String> environment) {
        hook.ifPresent(h -> {
            try {
                CommandRunner.Result r = h.run(commands, environment);
                if (!r.succeeded()) {
                    LOG.warn("hook {} ({}) exited with {}: {}", h.script(), environment.get("reason"), r.exitCode(), r.output().strip());
                }
            } catch (IOException | IllegalArgumentException e) {
                // IllegalArgumentException: an environment value the OS refuses (a NUL from a server's option)
                LOG.warn("hook {} could not run: {}", h.script(), e.getMessage());
            }
        });
    }

    /** The effects the state machine asks for, on the real interface. */
    private final class Io implements ClientIo {

        @Override
        public void broadcast(DhcpMessage message) {
            byte[] payload = DhcpCodec.encode(message);
            try {
                if (udp != null) {
                    udp.send(Ipv4Address.BROADCAST, SERVER_PORT, payload);
                } else {
                    byte[] packet = RawUdp.packet(Ipv4Address.ANY, CLIENT_PORT, Ipv4Address.BROADCAST, SERVER_PORT, payload);
                    packets.send(packet, packet.length, BROADCAST_MAC);
                }
                LOG.debug("sent {} (xid 0x{}) by broadcast", message.messageType().orElse(null), Integer.toHexString(message.xid()));
            } catch (ErrnoException e) {
                LOG.warn("sending {}: {}", message.messageType().orElse(null), e.getMessage());
            }
        }

        @Override
        public void unicast(DhcpMessage message, Ipv4Address server) {
            if (udp == null) {
                broadcast(message);
                return;
            }
            try {
                udp.send(server, SERVER_PORT, DhcpCodec.encode(message));
                LOG.debug("sent {} (xid 0x{}) to {}", message.messageType().orElse(null), Integer.toHexString(message.xid()), server);
            } catch (ErrnoException e) {
                LOG.warn("sending {} to {}: {}", message.messageType().orElse(null), server, e.getMessage());
            }
        }

        @Override
        public void probe(Ipv4Address address) {
            pendingProbe = address;
        }

        @Override
        public void leaseChanged(LeaseEvent event) {
            Binding b = event.binding();
            String reason = event.reason().name();
            if (event.reason().inUse()) {
                LeaseParameters now = LeaseParameters.from(b);
                runAll(ip.apply(applied, now, clock.instant()), false);
                applied = Optional.of(now);
                openUdp();
                try {
                    resolver.apply(options.interfaceName(), now);
                } catch (IOException e) {
                    LOG.warn("DNS settings to {}: {}", resolver.describe(), e.getMessage());
                }
                try {
                    leaseFile.save(b);
                } catch (IOException e) {
                    LOG.warn("saving the lease to {}: {}", leaseFile.path(), e.getMessage());
                }
                runHook(HookScript.environment(reason, options.interfaceName(), b, event.previous().orElse(null)));
                if (event.reason() == LeaseEvent.Reason.BOUND || event.reason() == LeaseEvent.Reason.REBOOT) {
                    announcements.start(b.address(), clock.instant());
                }
                LOG.info("{} {} from {}: lease {} s, renew at {}, rebind at {}, expires {}", reason, now.cidr(), b.serverId(),
                        b.leaseTime().toSeconds(), b.renewAt(), b.rebindAt(), b.expiresAt());
                boundOnce = true;
            } else {
                LOG.info("{} {} (from {}): removing it", reason, b.address(), b.serverId());
                runHook(HookScript.environment(reason, options.interfaceName(), null, b));
                announcements.cancel();
                runAll(ip.remove(applied.orElseGet(() -> LeaseParameters.from(b))), true);
                applied = Optional.empty();
                if (udp != null) {
                    udp.close();
                    udp = null;
                }
                try {
                    resolver.remove(options.interfaceName());
                } catch (IOException e) {
                    LOG.warn("removing DNS settings from {}: {}", resolver.describe(), e.getMessage());
                }
                try {
                    leaseFile.delete();
                } catch (IOException e) {
                    LOG.warn("deleting {}: {}", leaseFile.path(), e.getMessage());
                }
            }
        }

        private void openUdp() {
            if (udp == null) {
                try {
                    udp = DeviceUdpSocket.open(options.interfaceName(), CLIENT_PORT);
                } catch (ErrnoException e) {
                    LOG.warn("UDP socket on {} port {}: {}; renewing by broadcast instead", options.interfaceName(),
                            CLIENT_PORT, e.getMessage());
                }
            }
        }

        @Override
        public void declined(Binding binding) {
            LOG.warn("DHCPDECLINE sent for {} to {}; starting over after {}", binding.address(), binding.serverId(),
                    options.settings().declineWait());
        }

        @Override
        public void informed(DhcpMessage ack) {
            informed = true;
            LeaseParameters p = LeaseParameters.from(Binding.from(ack, clock.instant()));
            LOG.info("INFORM from {}: DNS {}, domain {}", p.serverId(), p.dnsServers(), p.domainName().orElse("-"));
            try {
                resolver.apply(options.interfaceName(), p);
            } catch (IOException e) {
                LOG.warn("DNS settings to {}: {}", resolver.describe(), e.getMessage());
            }
            runHook(HookScript.informEnvironment(options.interfaceName(), p));
        }

        @Override
        public void tolerated(DhcpMessage message, String problem) {
            String line = message.messageType().map(Object::toString).orElse("message") + " from "
                    + message.serverIdentifier().map(Object::toString).orElse("?") + ": " + problem;
            // The same server sends the same flaw at every renewal: say it once, not every T1.
            if (toldAlready.size() >= 64) {
                toldAlready.clear(); // a server whose flaws keep changing is told about again, never remembered without end
            }
            if (toldAlready.add(line)) {
                LOG.warn("{}", line);
            } else {
                LOG.debug("{}", line);
            }
        }

        @Override
        public void refused(DhcpMessage message, String reason) {
            LOG.warn("{} from {}: {}", message.messageType().map(Object::toString).orElse("message"),
                    message.serverIdentifier().map(Object::toString).orElse("?"), reason);
        }

        @Override
        public void ignored(DhcpMessage message, String reason) {
            LOG.info("ignored {} xid 0x{} from {}: {}", message.messageType().map(Object::toString).orElse("message"),
                    Integer.toHexString(message.xid()), message.serverIdentifier().map(Object::toString).orElse("?"), reason);
        }
    }
}
