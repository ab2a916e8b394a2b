package dev.leasehold.bench.engine;

import dev.leasehold.client.ClientMessages;
import dev.leasehold.config.ConfigException;
import dev.leasehold.config.ConfigLoader;
import dev.leasehold.config.ServerConfig;
import dev.leasehold.engine.Decision;
import dev.leasehold.engine.DhcpEngine;
import dev.leasehold.testkit.FakeClock;
import dev.leasehold.lease.Lease;
import dev.leasehold.lease.LeaseState;
import dev.leasehold.lease.LeaseStore;
import dev.leasehold.wire.ClientId;
import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;

/** What the engine benchmarks share: configuration, client identities and pre-existing leases. */
final class BenchClients {

    /** Our address, option 54 of every reply. */
    static final Ipv4Address SERVER = Ipv4Address.parse("10.0.0.1");
    /** Another server, named by a SELECTING request that turns our offer down. */
    static final Ipv4Address OTHER_SERVER = Ipv4Address.parse("10.0.0.2");

    private BenchClients() {
    }

    static ServerConfig config(String yaml) {
        try {
            return ConfigLoader.parse(yaml, "bench.yaml");
        } catch (ConfigException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /**
     * An engine serving one /16 on interface eth0 (a relayed request finds it by giaddr) with
     * random allocation and 30-day leases, longer than any run: the request-path benchmarks' setting.
     */
    static DhcpEngine slash16Engine(LeaseStore store, FakeClock clock) {
        return DhcpEngine.start(config("""
                valid-lifetime: 30d
                allocation: random
                subnets:
                  - id: 1
                    subnet: 10.0.0.0/16
                    interface: eth0
                    pools: [{range: 10.0.0.10-10.0.255.250}]
                    options: {routers: 10.0.0.1, domain-name-servers: [10.0.0.53]}
                """), store, clock, new SplittableRandom(11));
    }

    /** The {@code n}-th client's MAC: 02:xx:... (locally administered), distinct for every n below 2^32. */
    static HardwareAddress mac(long n, int prefix) {
        return new HardwareAddress(1, new byte[] {
            0x02, (byte) prefix, (byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
    }

    static ClientMessages client(long n, int prefix) {
        return new ClientMessages(mac(n, prefix), null, null, ClientMessages.RelayFields.NONE);
    }

    /** Stores an active lease of {@code address} for the {@code n}-th client of prefix 0xEE. */
    static void lease(LeaseStore store, Ipv4Address address, long n, Instant now) {
        HardwareAddress hw = mac(n, 0xEE);
        store.put(new Lease(address, ClientId.of(hw), hw, 1, LeaseState.ACTIVE, now, now.plus(Duration.ofDays(30)), ""),
                now).join();
    }

    /**
     * Moves the clock past the offer hold (30 s by default) and runs the reclaimer's offer purge,
     * reclaiming no leases (every lease in the benchmarks lasts 30 days, longer than any run).
     */
    static void reclaimOffers(DhcpEngine engine, FakeClock clock) {
        clock.advance(Duration.ofSeconds(31));
        engine.reclaimExpired(0);
    }

    /** The reply of a decision; fails the benchmark when the engine stayed silent. */
    static DhcpMessage reply(Decision decision) {
        if (decision instanceof Decision.Respond(DhcpMessage reply)) {
            return reply;
        }
        throw new IllegalStateException("expected a reply, got " + decision);
    }
}
