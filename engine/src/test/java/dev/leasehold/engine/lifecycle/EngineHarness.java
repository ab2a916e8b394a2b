package dev.leasehold.engine.lifecycle;

import dev.leasehold.client.ClientMessages;
import dev.leasehold.config.ConfigException;
import dev.leasehold.config.ConfigLoader;
import dev.leasehold.config.ServerConfig;
import dev.leasehold.engine.Decision;
import dev.leasehold.engine.DhcpEngine;
import dev.leasehold.engine.DropReason;
import dev.leasehold.engine.LeaseEventSink;
import dev.leasehold.engine.RequestContext;
import dev.leasehold.lease.InMemoryLeaseStore;
import dev.leasehold.lease.Lease;
import dev.leasehold.lease.LeaseStore;
import dev.leasehold.testkit.FakeClock;
import dev.leasehold.testkit.TestClient;
import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.InterfaceAddress;
import dev.leasehold.wire.Ipv4Address;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * One engine over an in-memory lease store and a fake clock, with test clients that call
 * {@link DhcpEngine#handle} directly and remember the engine's last {@link Decision}, so a test
 * can tell why a request went unanswered.
 */
final class EngineHarness {

    /** Our address on every path: option 54 of every reply (RFC 2131 §4.3.1). */
    static final Ipv4Address SERVER = ip("10.0.0.1");
    /** Another server on the same link, for SELECTING requests that name it. */
    static final Ipv4Address OTHER_SERVER = ip("10.0.0.2");
    /** The interface the directly attached clients are on; subnet 1 of {@link #BASE} serves it. */
    static final String INTERFACE = "eth0";

    /**
     * Two subnets: 10.0.0.0/24 on eth0 (direct clients) and 10.0.2.0/24 behind a relay, with
     * lease times 1h (600s..2h), so a client asking for less or more is bounded.
     */
    static final String BASE = """
            offer-hold: 30s
            decline-probation: 1h
            valid-lifetime: 1h
            min-lifetime: 10m
            max-lifetime: 2h
            allocation: iterative
            options: {domain-name-servers: [10.0.0.53]}
            subnets:
              - id: 1
                subnet: 10.0.0.0/24
                interface: eth0
                pools: [{range: 10.0.0.100-10.0.0.199}]
                options: {routers: 10.0.0.1}
              - id: 2
                subnet: 10.0.2.0/24
                pools: [{range: 10.0.2.100-10.0.2.199}]
                options: {routers: 10.0.2.1}
            """;

    final FakeClock clock = FakeClock.standing();
    final LeaseStore store;
    final DhcpEngine engine;
    private String interfaceName = INTERFACE;
    private Ipv4Address serverAddress = SERVER;
    private List<InterfaceAddress> interfaceNetworks = List.of();
    private Ipv4Address source = Ipv4Address.ANY;
    private Decision last;

    private EngineHarness(ServerConfig config, LeaseStore store, LeaseEventSink events) {
        this.store = store;
        engine = DhcpEngine.start(config, store, clock, new SplittableRandom(42), events);
    }

    static EngineHarness start(String yaml) {
        return start(yaml, new InMemoryLeaseStore());
    }

    /** An engine over {@code store} instead of a fresh in-memory one. */
    static EngineHarness start(String yaml, LeaseStore store) {
        return new EngineHarness(config(yaml), store, LeaseEventSink.NONE);
    }

    /** An engine over a fresh in-memory store that tells {@code events} of every lease event. */
    static EngineHarness startTelling(LeaseEventSink events) {
        return new EngineHarness(config(BASE), new InMemoryLeaseStore(), events);
    }

    static EngineHarness start() {
        return start(BASE);
    }

    static ServerConfig config(String yaml) {
        try {
            return ConfigLoader.parse(yaml, "scenario.yaml");
        } catch (ConfigException e) {
            throw new AssertionError("scenario configuration refused:\n" + e.getMessage(), e);
        }
    }

    /**
     * Requests from now on arrive on an interface that has {@code addresses} (primary first,
     * "a.b.c.d/len"), reaching us at {@code reachedAt} (what the transport reports as the local
     * address of the arrival).
     */
    EngineHarness withInterfaceAddresses(String reachedAt, String... addresses) {
        serverAddress = ip(reachedAt);
        interfaceNetworks = java.util.Arrays.stream(addresses).map(a -> {
            String[] parts = a.split("/");
            return new InterfaceAddress(ip(parts[0]), Integer.parseInt(parts[1]));
        }).toList();
        return this;
    }

    /** Requests from now on come from IP source {@code address} (a relay's own address, say). */
    EngineHarness from(String address) {
        source = ip(address);
        return this;
    }

    /** Requests from now on arrive on {@code name} (empty: unknown, as on a plain UDP socket). */
    EngineHarness arrivingOn(String name) {
        interfaceName = name;
        return this;
    }

    /** A directly attached client without option 61. */
    TestClient client(String mac) {
        return client(new ClientMessages(HardwareAddress.parseEthernet(mac), null, null, ClientMessages.RelayFields.NONE));
    }

    /** A directly attached client sending option 61 {@code clientId}. */
    TestClient clientWithId(String mac, byte[] clientId) {
        return client(new ClientMessages(HardwareAddress.parseEthernet(mac), clientId, null, ClientMessages.RelayFields.NONE));
    }

    /** A client behind the relay at {@code giaddr}, which adds option 82 with {@code circuitId}. */
    TestClient relayedClient(String mac, Ipv4Address giaddr, String circuitId) {
        return client(new ClientMessages(HardwareAddress.parseEthernet(mac), null, null,
                new ClientMessages.RelayFields(giaddr, circuitId.getBytes(StandardCharsets.US_ASCII), false)));
    }

    TestClient client(ClientMessages messages) {
        return new TestClient(messages, (request, delivery) -> handle(request, delivery == TestClient.Delivery.BROADCAST),
                clock);
    }

    /** Runs {@code request} through the engine as if it arrived by broadcast or unicast. */
    Optional<DhcpMessage> handle(DhcpMessage request, boolean broadcast) {
        last = engine.handle(new RequestContext(serverAddress, interfaceName, interfaceNetworks, broadcast, source), request).join();
        return last instanceof Decision.Respond(DhcpMessage reply) ? Optional.of(reply) : Optional.empty();
    }

    Decision lastDecision() {
        return last;
    }

    /** Why the last request went unanswered; fails when it was answered. */
    DropReason lastDropReason() {
        if (last instanceof Decision.Drop(DropReason reason, String detail)) {
            return reason;
        }
        throw new AssertionError("expected no reply, but the engine answered " + last);
    }

    Optional<Lease> lease(Ipv4Address address) {
        return store.get(address);
    }

    long freeAddresses(int subnetId) {
        return engine.usage().stream().filter(u -> u.subnetId() == subnetId).findFirst().orElseThrow().freeAddresses();
    }

    static Ipv4Address ip(String text) {
        return Ipv4Address.parse(text);
    }
}
