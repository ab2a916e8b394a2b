package dev.leasehold.net.linux;

import dev.leasehold.wire.InterfaceAddress;

import dev.leasehold.net.Destination;
import dev.leasehold.net.InboundDatagram;
import dev.leasehold.net.OutboundDatagram;
import dev.leasehold.net.Transport;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves directly attached clients on Linux: one UDP socket per interface, bound to it with
 * SO_BINDTODEVICE, made and used through the FFM API. Knows for every datagram the interface it
 * came in on, and sends each reply the way RFC 2131 §4.1 asks, out of the right interface:
 * <ul>
 * <li>{@link Destination.Unicast}: sendto(2) from the socket of the interface whose prefix holds
 *     the address, else of the interface the kernel's route to it uses (a relay behind a router);</li>
 * <li>{@link Destination.Broadcast}: 255.255.255.255 from the named interface's socket, which
 *     needs no route and cannot leave by another interface (every open interface when unnamed);</li>
 * <li>{@link Destination.LinkLayerUnicast}: an IPv4/UDP packet built here, from our address on
 *     the interface and the server port to yiaddr, sent through an AF_PACKET socket to the client's
 *     MAC; a broadcast instead when that socket cannot be opened (no CAP_NET_RAW, logged once) or
 *     the hardware address is not a 6-byte Ethernet one.</li>
 * <li>{@link Destination.AddressedClientUnicast}: the same frame to a client that has its address
 *     (ciaddr), out of the arrival interface, so the reply does not depend on the client answering
 *     ARP; an ordinary unicast when a frame cannot be sent.</li>
 * </ul>
 *
 * <p>Interfaces are re-scanned every {@link Options#rescanInterval()}: a configured interface that
 * is missing, or whose socket could not be opened (port taken, no permission), is logged with the
 * fix and tried again; one that appears is served from then on; one that goes away is closed.
 * The transport keeps serving whatever it could open.
 */
public final class LinuxTransport implements Transport {

    private static final Logger LOG = LoggerFactory.getLogger(LinuxTransport.class);

    /** The interface list entry meaning "every non-loopback interface with an IPv4 address". */
    public static final String ALL_INTERFACES = "*";
    /** The DHCP server port (RFC 2131 §4.1). */
    public static final int SERVER_PORT = 67;

    /** Idle send buffers kept for reuse; more concurrent sends allocate and let the GC free. */
    private static final int IDLE_SCRATCH = 16;
    /** Route look-ups remembered between scans; relays and routed clients are few. */
    private static final int ROUTE_CACHE_LIMIT = 1_024;

    /**
     * What to serve.
     *
     * @param interfaces     interface names, or the single entry {@code "*"}
     * @param port           the UDP port to bind (67; tests may use another)
     * @param rescanInterval how often to look for missing, changed or failed interfaces
     */
    public record Options(List<String> interfaces, int port, Duration rescanInterval) {

        public Options {
            interfaces = List.copyOf(interfaces);
            if (interfaces.isEmpty()) {
                throw new IllegalArgumentException("no interfaces to serve: name them, or use \"*\"");
            }
            if (interfaces.contains(ALL_INTERFACES) && interfaces.size() > 1) {
                throw new IllegalArgumentException("\"*\" already means every interface; do not list others with it");
            }
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("port must be 1-65535: " + port);
            }
            if (rescanInterval.isNegative() || rescanInterval.isZero()) {
                throw new IllegalArgumentException("rescan interval must be positive: " + rescanInterval);
            }
        }

        /** The given interfaces on port 67, re-scanned every 5 seconds. */
        public static Options serving(List<String> interfaces) {
            return new Options(interfaces, SERVER_PORT, Duration.ofSeconds(5));
        }

        public Options withPort(int port) {
            return new Options(interfaces, port, rescanInterval);
        }

        public Options withRescanInterval(Duration interval) {
            return new Options(interfaces, port, interval);
        }

        boolean allInterfaces() {
            return interfaces.equals(List.of(ALL_INTERFACES));
        }
    }

    private final Options options;
    private final InterfaceScanner scanner = new InterfaceScanner();
    private final Wakeup wakeup;
    private final DatagramReceiver receiver;
    private final PacketSender packetSender; // null when AF_PACKET was refused
    private final SendScratch.Pool scratch = new SendScratch.Pool(IDLE_SCRATCH);
    /** Serialises receivers: the receive buffers are not shared. */
    private final ReentrantLock receiveLock = new ReentrantLock();
    /** Readers use descriptors (receive, send); the writer closes them (re-scan, close). */
    private final ReentrantReadWriteLock descriptors = new ReentrantReadWriteLock();
    /** Serialises re-scans with each other and with close. */
    private final Object scanLock = new Object();
    private final Map<Ipv4Address, String> routeCache = new ConcurrentHashMap<>();
    private final ScheduledExecutorService rescans;
    private volatile OpenSockets sockets = OpenSockets.NONE;
    private volatile List<InterfaceStatus> statuses = List.of();
    private volatile boolean closed;

    private LinuxTransport(Options options, Wakeup wakeup, PacketSender packetSender) {
        this.options = options;
        this.wakeup = wakeup;
        this.receiver = new DatagramReceiver(wakeup);
        this.packetSender = packetSender;
        this.rescans = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("leasehold-interface-scan").factory());
    }

    /** {@link #open(Options)} on port 67 with a 5-second re-scan. */
    public static LinuxTransport open(List<String> interfaces) throws IOException {
        return open(Options.serving(interfaces));
    }

    /**
     * Opens a socket on every configured interface that exists now, and starts the periodic
     * re-scan for the rest.
     *
     * @throws IOException when not a single socket could be opened and at least one interface
     *                     failed for a reason other than being absent (port taken, no
     *                     permission): such a server could serve nothing. The message lists every
     *                     interface's error and fix. Absent interfaces alone do not fail: the
     *                     transport waits for them.
     */
    public static LinuxTransport open(Options options) throws IOException {
        PacketSender packetSender = null;
        try {
            packetSender = PacketSender.open();
        } catch (ErrnoException e) {
            LOG.warn("link-layer unicast is unavailable, replies to clients without an address will be broadcast: {}",
                    e.getMessage());
        }
        Wakeup wakeup;
        try {
            wakeup = Wakeup.open();
        } catch (ErrnoException e) {
            if (packetSender != null) {
                packetSender.close();
            }
            throw e;
        }
        LinuxTransport transport = new LinuxTransport(options, wakeup, packetSender);
        try {
            transport.rescan();
            List<InterfaceStatus> failed = transport.statuses.stream()
                    .filter(s -> s.state() == InterfaceStatus.State.FAILED).toList();
            if (transport.sockets.sockets().isEmpty() && !failed.isEmpty()) {
                StringBuilder message = new StringBuilder("cannot serve any interface:");
                failed.forEach(s -> message.append("\n  ").append(s.detail()));
                throw new IOException(message.toString());
            }
        } catch (IOException | RuntimeException e) {
            transport.close();
            throw e;
        }
        long period = options.rescanInterval().toMillis();
        transport.rescans.scheduleWithFixedDelay(transport::rescanQuietly, period, period, TimeUnit.MILLISECONDS);
        return transport;
    }

    // --- what the server asks ---

    /** The options this transport was opened with. */
    public Options options() {
        return options;
    }

    /**
     * Our IPv4 addresses with prefix lengths on {@code interfaceName} as of the last scan (at most
     * one re-scan interval old), primary first; empty for an interface we do not know.
     */
    public List<InterfaceAddress> addressesOf(String interfaceName) {
        for (InterfaceStatus s : statuses) { // per packet: a plain loop, no stream
            if (s.name().equals(interfaceName)) {
                return s.addresses();
            }
        }
        return List.of();
    }

    /** Every configured interface (every qualifying one with "*") and how it stands. */
    public List<InterfaceStatus> interfaces() {
        return statuses;
    }

    /** Whether replies to address-less clients go out as link-layer unicasts (false: as broadcasts). */
    public boolean linkLayerUnicastAvailable() {
        return packetSender != null;
    }

    /** Re-scans the interfaces now instead of waiting for the next periodic scan. */
    public void rescan() throws IOException {
        synchronized (scanLock) {
            if (!closed) {
                applyScan(scanner.scan());
            }
        }
    }

    // --- receiving ---

    @Override
    public InboundDatagram receive() throws IOException {
        receiveLock.lock();
        try {
            while (true) {
                descriptors.readLock().lock();
                try {
                    if (closed) {
                        throw new ClosedChannelException();
                    }
                    InboundDatagram datagram = receiver.receive(sockets);
                    if (datagram != null) {
                        return datagram;
                    }
                } finally {
                    descriptors.readLock().unlock();
                }
            }
        } finally {
            receiveLock.unlock();
        }
    }

    /** Counted from SO_RXQ_OVFL on every interface socket ({@link DatagramReceiver#receiveQueueOverflows()}). */
    @Override
    public OptionalLong receiveQueueOverflows() {
        return OptionalLong.of(receiver.receiveQueueOverflows());
    }

    // --- sending ---

    @Override
    public void send(OutboundDatagram outbound) throws IOException {
        descriptors.readLock().lock();
        SendScratch s = scratch.take();
        try {
            if (closed) {
                throw new ClosedChannelException();
            }
            switch (outbound.destination()) {
                case Destination.Unicast(Ipv4Address address, int port) ->
                        sendUdp(s, socketTowards(address), address, port, outbound);
                case Destination.Broadcast(int port, String interfaceName) ->
                        broadcast(s, port, interfaceName, outbound);
                case Destination.LinkLayerUnicast(HardwareAddress mac, Ipv4Address address, int port, String name) ->
                        sendLinkLayer(s, mac, address, port, name, outbound);
                case Destination.AddressedClientUnicast(HardwareAddress mac, Ipv4Address address, int port, String name) ->
                        sendToAddressedClient(s, mac, address, port, name, outbound);
            }
        } finally {
            scratch.give(s);
            descriptors.readLock().unlock();
        }
    }

    private void broadcast(SendScratch s, int port, String interfaceName, OutboundDatagram outbound) throws IOException {
        OpenSockets open = sockets;
        if (interfaceName.isEmpty()) {
            // The pipeline always knows the arrival interface with this transport; without one,
            // every served link is the only safe reading of "broadcast".
            IOException first = null;
            for (InterfaceSocket socket : open.sockets()) {
                try {
                    sendUdp(s, socket, Ipv4Address.BROADCAST, port, outbound);
                } catch (IOException e) {
                    first = first == null ? e : first;
                }
            }
            if (first != null) {
                throw first;
            }
            return;
        }
        sendUdp(s, open.byName(interfaceName).orElseThrow(() -> notServed(interfaceName)),
                Ipv4Address.BROADCAST, port, outbound);
    }

    private void sendLinkLayer(SendScratch s, HardwareAddress mac, Ipv4Address address, int port, String interfaceName,
                               OutboundDatagram outbound) throws IOException {
        OpenSockets open = sockets;
        Optional<InterfaceSocket> socket = interfaceName.isEmpty() ? open.reaching(address) : open.byName(interfaceName);
        if (socket.isEmpty()) {
            throw notServed(interfaceName.isEmpty() ? "(any reaching " + address + ")" : interfaceName);
        }
        InterfaceSocket out = socket.get();
        Ipv4Address source = out.addressFacing(address);
        boolean ethernet = mac.htype() == HardwareAddress.ETHERNET && mac.length() == 6;
        if (packetSender == null || !ethernet || source.isAny()) {
            // RFC 2131 §4.1: "If unicasting is not possible, the message MAY be sent as an IP broadcast".
            sendUdp(s, out, Ipv4Address.BROADCAST, port, outbound);
            return;
        }
        packetSender.send(s, out.index(), out.name(), mac.bytes(), source, options.port(), address, port,
                outbound.payload(), outbound.length());
    }

    /**
     * A frame to the client's MAC carrying the datagram to its own address, out of the interface
     * the request came in on, so that no ARP exchange stands between the reply and the client;
     * an ordinary unicast (through ARP) when a frame cannot be built.
     */
    private void sendToAddressedClient(SendScratch s, HardwareAddress mac, Ipv4Address address, int port,
                                       String interfaceName, OutboundDatagram outbound) throws IOException {
        Optional<InterfaceSocket> socket = sockets.byName(interfaceName);
        boolean ethernet = mac.htype() == HardwareAddress.ETHERNET && mac.length() == 6;
        Ipv4Address source = socket.map(out -> out.addressFacing(address)).orElse(Ipv4Address.ANY);
        if (packetSender == null || !ethernet || source.isAny()) {
            sendUdp(s, socket.isPresent() ? socket.get() : socketTowards(address), address, port, outbound);
            return;
        }
        InterfaceSocket out = socket.get();
        packetSender.send(s, out.index(), out.name(), mac.bytes(), source, options.port(), address, port,
                outbound.payload(), outbound.length());
    }

    private void sendUdp(SendScratch s, InterfaceSocket socket, Ipv4Address address, int port, OutboundDatagram outbound)
            throws ErrnoException {
        int length = outbound.length();
        MemorySegment.copy(outbound.payload(), 0, s.data, ValueLayout.JAVA_BYTE, 0, length);
        SocketStructs.writeSockaddrIn(s.address, address, port);
        long sent = Libc.sendto(s.state, socket.fd(), s.data, length, 0, s.address,
                (int) SocketStructs.SOCKADDR_IN.byteSize());
        if (sent < 0) {
            throw Errno.failure("interface " + socket.name() + ": send to " + address + ":" + port, Libc.errno(s.state));
        }
    }

    /**
     * The socket to unicast from: the interface on whose prefix {@code address} lies, else the one
     * the kernel routes it through (asked once per address and scan: a connected UDP socket's
     * local address names the route's source, which is ours on the outgoing interface).
     */
    private InterfaceSocket socketTowards(Ipv4Address address) throws IOException {
        OpenSockets open = sockets;
        Optional<InterfaceSocket> onLink = open.reaching(address);
        if (onLink.isPresent()) {
            return onLink.get();
        }
        String cached = routeCache.get(address);
        if (cached != null) {
            Optional<InterfaceSocket> socket = open.byName(cached);
            if (socket.isPresent()) {
                return socket.get();
            }
        }
        Ipv4Address source;
        try (DatagramChannel probe = DatagramChannel.open(StandardProtocolFamily.INET)) {
            probe.connect(new InetSocketAddress(address.toInetAddress(), 9));
            source = Ipv4Address.of((Inet4Address) ((InetSocketAddress) probe.getLocalAddress()).getAddress());
        } catch (IOException e) {
            throw new IOException("no route to " + address + ": " + e.getMessage(), e);
        }
        InterfaceSocket socket = open.owning(source).orElseThrow(() -> new IOException(
                "the route to " + address + " leaves from " + source + ", which is on no interface this server serves"));
        if (routeCache.size() >= ROUTE_CACHE_LIMIT) {
            routeCache.clear();
        }
        routeCache.put(address, socket.name());
        return socket;
    }

    private IOException notServed(String interfaceName) {
        String why = statuses.stream().filter(st -> st.name().equals(interfaceName)).findFirst()
                .map(st -> ": " + st.state() + (st.detail().isEmpty() ? "" : ", " + st.detail()))
                .orElse(": not a served interface");
        return new IOException("cannot send on interface " + interfaceName + why);
    }

    // --- interface scanning ---

    private void rescanQuietly() {
        try {
            rescan();
        } catch (IOException | RuntimeException e) {
            LOG.warn("interface re-scan failed (will retry): {}", e.toString());
        }
    }

    /** Opens, keeps, refreshes and closes sockets to match what the kernel has now. Holds scanLock. */
    private void applyScan(List<InterfaceInfo> present) {
        Map<String, InterfaceInfo> byName = new HashMap<>();
        present.forEach(i -> byName.put(i.name(), i));
        List<String> wanted = options.allInterfaces()
                ? present.stream().filter(i -> !i.loopback() && i.hasIpv4()).map(InterfaceInfo::name).toList()
                : options.interfaces();

        OpenSockets old = sockets;
        Map<String, InterfaceSocket> next = new LinkedHashMap<>();
        List<InterfaceSocket> retired = new ArrayList<>();
        for (InterfaceSocket s : old.sockets()) {
            InterfaceInfo info = byName.get(s.name());
            if (info != null && info.index() == s.index() && wanted.contains(s.name())) {
                next.put(s.name(), s.withState(info.up(), info.addresses()));
            } else {
                retired.add(s);
            }
        }
        Map<String, InterfaceStatus> previous = new HashMap<>();
        statuses.forEach(st -> previous.put(st.name(), st));
        List<InterfaceStatus> nextStatuses = new ArrayList<>();
        String retry = "; retrying every " + every();
        for (String name : wanted) {
            InterfaceInfo info = byName.get(name);
            if (info == null) {
                nextStatuses.add(new InterfaceStatus(name, InterfaceStatus.State.MISSING, 0, List.of(),
                        "interface " + name + " does not exist; it will be served as soon as it appears"
                                + " (checked every " + every() + ")"));
                continue;
            }
            if (!next.containsKey(name)) {
                try {
                    int fd = UdpSockets.openBound(name, options.port());
                    next.put(name, new InterfaceSocket(name, info.index(), fd, info.up(), info.addresses()));
                    warnIfSmallReceiveBuffer(name, UdpSockets.receiveBufferBytes(fd));
                } catch (ErrnoException e) {
                    nextStatuses.add(new InterfaceStatus(name, InterfaceStatus.State.FAILED, info.index(),
                            info.addresses(), e.getMessage() + retry));
                    continue;
                }
            }
            nextStatuses.add(new InterfaceStatus(name, InterfaceStatus.State.SERVING, info.index(), info.addresses(),
                    servingWarning(info)));
        }

        List<InterfaceSocket> nextList = List.copyOf(next.values());
        if (!nextList.equals(old.sockets())) {
            sockets = new OpenSockets(nextList, old.generation() + 1);
            wakeup.signal(); // the receiver polls the new set from its next round
        }
        if (!retired.isEmpty()) {
            descriptors.writeLock().lock();
            try {
                retired.forEach(s -> UdpSockets.close(s.fd()));
            } finally {
                descriptors.writeLock().unlock();
            }
            retired.forEach(s -> LOG.warn("interface {} (index {}) went away; closed its socket", s.name(), s.index()));
        }
        routeCache.clear();
        statuses = List.copyOf(nextStatuses);
        for (InterfaceStatus now : nextStatuses) {
            logChange(previous.get(now.name()), now);
        }
    }

    /**
     * A receive buffer the kernel capped (no CAP_NET_ADMIN, and net.core.rmem_max below what we
     * ask) holds a shorter burst: requests beyond it are dropped before we see them, and counted
     * in {@link #receiveQueueOverflows()}. Said once per socket opened, with the fix.
     */
    private static void warnIfSmallReceiveBuffer(String name, int granted) {
        if (granted >= 0 && granted < UdpSockets.BUFFER_BYTES / 2) {
            LOG.warn("interface {}: the kernel granted a {} KiB receive buffer (asked {} KiB): a burst of"
                    + " requests beyond it is dropped; raise net.core.rmem_max to {} or run with CAP_NET_ADMIN",
                    name, granted / 1024, UdpSockets.BUFFER_BYTES / 1024, UdpSockets.BUFFER_BYTES);
        }
    }

    private String every() {
        Duration d = options.rescanInterval();
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static String servingWarning(InterfaceInfo info) {
        if (!info.up()) {
            return "interface " + info.name() + " is down; it will be served when it comes up";
        }
        if (!info.hasIpv4()) {
            return "interface " + info.name() + " has no IPv4 address: the server cannot tell its subnet"
                    + " nor name itself to clients until one is added";
        }
        return "";
    }

    private static void logChange(InterfaceStatus before, InterfaceStatus now) {
        if (before != null && before.state() == now.state() && before.detail().equals(now.detail())
                && before.index() == now.index() && before.addresses().equals(now.addresses())) {
            return;
        }
        switch (now.state()) {
            case SERVING -> {
                LOG.info("serving interface {} (index {}, {})", now.name(), now.index(),
                        now.addresses().isEmpty() ? "no IPv4 address" : now.addresses());
                if (!now.detail().isEmpty()) {
                    LOG.warn("{}", now.detail());
                }
            }
            case MISSING, FAILED -> {
                // An unchanged problem is logged once, not on every scan.
                if (before == null || before.state() != now.state() || !before.detail().equals(now.detail())) {
                    LOG.warn("{}", now.detail());
                }
            }
        }
    }

    // --- closing ---

    @Override
    public void close() {
        synchronized (scanLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        rescans.shutdown();
        wakeup.signal();
        synchronized (scanLock) {
            descriptors.writeLock().lock();
            try {
                sockets.sockets().forEach(s -> UdpSockets.close(s.fd()));
                sockets = OpenSockets.NONE;
                if (packetSender != null) {
                    packetSender.close();
                }
                wakeup.close();
            } finally {
                descriptors.writeLock().unlock();
            }
        }
    }
}
