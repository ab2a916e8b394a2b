package dev.leasehold.bench.fuzz;

import dev.leasehold.config.ConfigException;
import dev.leasehold.config.ConfigLoader;
import dev.leasehold.config.ServerConfig;
import dev.leasehold.engine.DhcpEngine;
import dev.leasehold.engine.DropReason;
import dev.leasehold.lease.InMemoryLeaseStore;
import dev.leasehold.lease.Lease;
import dev.leasehold.lease.PutResult;
import dev.leasehold.net.InboundDatagram;
import dev.leasehold.net.OutboundDatagram;
import dev.leasehold.server.DhcpServer;
import dev.leasehold.testkit.FakeClock;
import dev.leasehold.testkit.ForwardingLeaseStore;
import dev.leasehold.testkit.InMemoryTransport;
import dev.leasehold.wire.DhcpCodec;
import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.Ipv4Address;
import dev.leasehold.wire.MalformedMessageException;
import dev.leasehold.wire.MessageType;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;

/**
 * The server pipeline's rules for any datagram (DESIGN §3, "bad input is data, not a crash"):
 * bytes in, a reply or nothing out, and
 * <ul>
 * <li>nothing escapes {@link DhcpServer#handle} (the receive loop would die);</li>
 * <li>bytes the decoder refuses get no reply, write no lease and are counted as malformed;</li>
 * <li>at most one reply, which decodes, is a BOOTREPLY with the request's xid and chaddr, is an
 *     OFFER, ACK or NAK, and is no larger than the request allows (option 57 less the IP and UDP
 *     headers, else 548 bytes: RFC 2131 §2, RFC 2132 §9.10);</li>
 * <li>only a REQUEST, DECLINE, RELEASE or a rapid-commit DISCOVER writes leases, and only of
 *     addresses inside the configured subnets;</li>
 * <li>the in-flight bound is never worn down: with a bound of one, a leaked permit would turn
 *     the next request into an {@link DropReason#OVERLOADED} drop.</li>
 * </ul>
 * One engine and store live across cases, with the clock moved now and then and the reclaimer
 * run, so requests meet offers, leases, expiry and declines left by earlier ones. Runs its cases
 * on the caller's thread (the in-memory store completes writes at once).
 */
public final class PipelineOracle implements AutoCloseable {

    /**
     * Subnets on eth0 (rapid commit, a reservation, a class pool, options too big for 548 bytes),
     * behind relay 10.0.2.1 (every limit), and behind 192.0.2.1 (trusting that relay only).
     */
    static final String CONFIG = """
            authoritative: true
            offer-hold: 30s
            decline-probation: 10m
            valid-lifetime: 1h
            min-lifetime: 5m
            max-lifetime: 2h
            allocation: random
            options:
              domain-name-servers: [10.0.0.53, 10.0.0.54]
              domain-name: fuzz.example
              domain-search: [a.fuzz.example, b.fuzz.example, c.fuzz.example, d.fuzz.example, e.fuzz.example]
              classless-static-route: "10.10.0.0/16 - 10.0.0.1, 10.11.0.0/16 - 10.0.0.1, 10.12.0.0/16 - 10.0.0.1, 10.13.0.0/16 - 10.0.0.1, 10.14.0.0/16 - 10.0.0.1, 10.15.0.0/16 - 10.0.0.1, 10.16.0.0/16 - 10.0.0.1, 10.17.0.0/16 - 10.0.0.1, 10.18.0.0/16 - 10.0.0.1, 10.19.0.0/16 - 10.0.0.1, 10.20.0.0/16 - 10.0.0.1, 10.21.0.0/16 - 10.0.0.1, 10.22.0.0/16 - 10.0.0.1, 10.23.0.0/16 - 10.0.0.1, 10.24.0.0/16 - 10.0.0.1, 10.25.0.0/16 - 10.0.0.1, 10.26.0.0/16 - 10.0.0.1, 10.27.0.0/16 - 10.0.0.1, 10.28.0.0/16 - 10.0.0.1, 10.29.0.0/16 - 10.0.0.1, 10.30.0.0/16 - 10.0.0.1, 10.31.0.0/16 - 10.0.0.1, 10.32.0.0/16 - 10.0.0.1, 10.33.0.0/16 - 10.0.0.1, 10.34.0.0/16 - 10.0.0.1, 10.35.0.0/16 - 10.0.0.1, 10.36.0.0/16 - 10.0.0.1, 10.37.0.0/16 - 10.0.0.1, 10.38.0.0/16 - 10.0.0.1, 10.39.0.0/16 - 10.0.0.1, 0.0.0.0/0 - 10.0.0.1"
            client-classes:
              - name: windows
                match: {vendor-class-prefix: "MSFT"}
            subnets:
              - id: 1
                subnet: 10.0.0.0/24
                interface: eth0
                rapid-commit: true
                pools:
                  - {range: 10.0.0.100-10.0.0.179}
                  - {range: 10.0.0.180-10.0.0.199, client-classes: [windows]}
                options: {routers: 10.0.0.1}
                reservations:
                  - {hw-address: "02:00:00:00:00:05", ip-address: 10.0.0.10, hostname: printer}
              - id: 2
                subnet: 10.0.2.0/24
                pools: [{range: 10.0.2.100-10.0.2.199}]
                options: {routers: 10.0.2.1}
                limits:
                  new-clients: {rate: 1/s, burst: 5, per: circuit-id}
                  max-leases: {per-circuit-id: 2, per-remote-id: 3, per-mac-prefix: {length: 3, max: 10}}
                  unknown-offer-share: 5%
                  declines: {max: 1, per: 1h}
                  trusted-relays: [10.0.2.1, 192.0.2.1]
              - id: 3
                subnet: 10.0.3.0/24
                relay-addresses: [192.0.2.1]
                pools: [{range: 10.0.3.100-10.0.3.199}]
                limits: {trusted-relays: [192.0.2.1], option-82-without-giaddr: drop}
            """;

    private static final Ipv4Address SERVER = Ipv4Address.parse("10.0.0.1");
    private static final List<InboundDatagram.Arrival> ARRIVALS = List.of(
            new InboundDatagram.Arrival("eth0", 2, SERVER, true),
            new InboundDatagram.Arrival("eth0", 2, SERVER, false),
            InboundDatagram.Arrival.UNKNOWN);
    private static final InetSocketAddress FROM_CLIENT = new InetSocketAddress("0.0.0.0", 68);
    private static final List<InetSocketAddress> RELAYS = List.of(
            new InetSocketAddress("10.0.2.1", 67), new InetSocketAddress("192.0.2.1", 67));

    /** Counts and keeps every lease write, so a case can tell what it wrote. */
    private static final class RecordingStore extends ForwardingLeaseStore {
        final List<Lease> written = new ArrayList<>();

        RecordingStore() {
            super(new InMemoryLeaseStore());
        }

        @Override
        public CompletableFuture<PutResult> put(Lease lease, Instant now) {
            written.add(lease);
            return super.put(lease, now);
        }
    }

    private final ServerConfig config;
    private final FakeClock clock = FakeClock.standing();
    private final InMemoryTransport transport = new InMemoryTransport();
    private final RecordingStore store = new RecordingStore();
    private final DhcpEngine engine;
    private final DhcpServer server;
    private long cases;
    private final Map<String, Long> outcomes = new TreeMap<>();

    public PipelineOracle(long engineSeed) {
        try {
            config = ConfigLoader.parse(CONFIG, "fuzz.yaml");
        } catch (ConfigException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        engine = DhcpEngine.start(config, store, clock, new SplittableRandom(engineSeed));
        server = new DhcpServer(transport, engine, clock, 1);
    }

    /**
     * Feeds {@code data} to the pipeline as arriving the way {@code random} picks (on eth0 by
     * broadcast or unicast, or by plain UDP from one of two relays), then checks every rule; every 256 cases the clock
     * moves on by up to two hours and the reclaimer runs. Answers whether the datagram decoded.
     */
    public boolean check(byte[] data, RandomGenerator random) {
        if (++cases % 256 == 0) {
            clock.advance(Duration.ofSeconds(random.nextLong(0, 7_200)));
            engine.reclaimExpired(10_000);
        }
        InboundDatagram.Arrival arrival = ARRIVALS.get(random.nextInt(ARRIVALS.size()));
        InetSocketAddress source = arrival == InboundDatagram.Arrival.UNKNOWN ? RELAYS.get(random.nextInt(RELAYS.size())) : FROM_CLIENT;
        Optional<DhcpMessage> request = decode(data);
        long malformedBefore = server.malformedCount();
        long overloadedBefore = engine.counters().droppedCount(DropReason.OVERLOADED);
        store.written.clear();
        try {
            server.handle(new InboundDatagram(data.clone(), data.length, source, arrival));
        } catch (RuntimeException | Error e) {
            throw new FuzzFailure("DhcpServer.handle threw", data, e);
        }
        List<OutboundDatagram> sent = transport.drainSent();
        if (engine.counters().droppedCount(DropReason.OVERLOADED) != overloadedBefore) {
            throw new FuzzFailure("a request was dropped as OVERLOADED with nothing else in flight: a permit leaked", data);
        }
        if (request.isEmpty()) {
            outcomes.merge("malformed", 1L, Long::sum);
            if (!sent.isEmpty() || !store.written.isEmpty() || server.malformedCount() != malformedBefore + 1) {
                throw new FuzzFailure("a malformed datagram got " + sent.size() + " replies, wrote " + store.written
                        + ", malformed count +" + (server.malformedCount() - malformedBefore), data);
            }
            return false;
        }
        DhcpMessage req = request.get();
        if (sent.size() > 1) {
            throw new FuzzFailure(sent.size() + " replies to one request", data);
        }
        for (OutboundDatagram d : sent) {
            outcomes.merge(checkReply(req, d, data).toString(), 1L, Long::sum);
        }
        if (sent.isEmpty()) {
            outcomes.merge("no reply", 1L, Long::sum);
        }
        if (!store.written.isEmpty()) {
            outcomes.merge("lease writes", (long) store.written.size(), Long::sum);
        }
        if (!store.written.isEmpty()) {
            MessageType type = req.messageType().orElse(null);
            boolean writes = type == MessageType.REQUEST || type == MessageType.DECLINE || type == MessageType.RELEASE
                    || type == MessageType.DISCOVER && req.options().contains(80);
            if (!writes) {
                throw new FuzzFailure("a " + type + " wrote " + store.written, data);
            }
            for (Lease l : store.written) {
                if (config.subnets().stream().noneMatch(s -> s.prefix().contains(l.address()))) {
                    throw new FuzzFailure("a lease outside every subnet was written: " + l, data);
                }
            }
        }
        return true;
    }

    private static MessageType checkReply(DhcpMessage request, OutboundDatagram d, byte[] data) {
        int limit = DhcpCodec.maxReplySize(request);
        if (d.length() > limit || d.length() < DhcpCodec.MIN_MESSAGE_SIZE) {
            throw new FuzzFailure("a reply of " + d.length() + " bytes, the request allows " + limit, data);
        }
        DhcpMessage reply;
        try {
            reply = DhcpCodec.decode(d.payload(), 0, d.length());
        } catch (MalformedMessageException e) {
            throw new FuzzFailure("the server sent bytes it cannot decode: " + e.getMessage(), data, e);
        }
        MessageType type = reply.messageType().orElse(null);
        if (reply.op() != DhcpMessage.BootOp.BOOTREPLY || reply.xid() != request.xid()
                || !Arrays.equals(reply.chaddr(), request.chaddr())
                || !(type == MessageType.OFFER || type == MessageType.ACK || type == MessageType.NAK)) {
            throw new FuzzFailure("a reply that does not answer the request: " + reply, data);
        }
        return type;
    }

    private static Optional<DhcpMessage> decode(byte[] data) {
        try {
            return Optional.of(DhcpCodec.decode(data, 0, data.length));
        } catch (MalformedMessageException e) {
            return Optional.empty();
        }
    }

    /**
     * How the cases ended: malformed, no reply, OFFER, ACK, NAK, how many lease writes they made,
     * and the engine's drops by reason (the limits' among them).
     */
    public Map<String, Long> outcomes() {
        Map<String, Long> all = new TreeMap<>(outcomes);
        for (DropReason reason : DropReason.values()) {
            long n = engine.counters().droppedCount(reason);
            if (n > 0) {
                all.put("dropped " + reason, n);
            }
        }
        return all;
    }

    /** Stored leases: how far the cases got into the lifecycle. */
    public long storedLeases() {
        return store.size();
    }

    public DhcpEngine engine() {
        return engine;
    }

    @Override
    public void close() {
        server.close();
        transport.close();
    }
}
