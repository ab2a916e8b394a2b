package dev.leasehold.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.client.load.LoadGenerator;
import dev.leasehold.client.load.LoadPlan;
import dev.leasehold.client.load.LoadReport;
import dev.leasehold.engine.DropReason;
import dev.leasehold.lease.Lease;
import dev.leasehold.lease.LeaseState;
import dev.leasehold.wire.Ipv4Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reloading the configuration through the API while thousands of clients go through DORA loses
 * no lease and drops no valid packet: every client ends with an ACK, no NAK, no timeout, and
 * every acknowledged lease is in the store.
 */
class ReloadUnderLoadTest {

    private static final int CLIENTS = 3_000;

    @TempDir
    Path dir;
    private RunningServer s;

    @AfterEach
    void stop() {
        if (s != null) {
            s.close();
        }
    }

    private String config(int validLifetime) {
        return """
                listen: {address: 127.0.0.1, port: 0}
                data-directory: %s
                valid-lifetime: %d
                allocation: iterative    # the hard case: a freed address is the next one handed out
                control: {address: 127.0.0.1, port: 0, token-file: %s}
                subnets:
                  - id: 9
                    subnet: 10.64.0.0/16
                    relay-addresses: [127.0.0.1]
                    pools: [{range: 10.64.0.10-10.64.255.250}]
                """.formatted(dir.resolve("data"), validLifetime, dir.resolve("token"));
    }

    @Test
    void reloadsDuringDoraLoseNoLeaseAndDropNothing() throws Exception {
        s = RunningServer.start(dir, config(600));
        AtomicBoolean loading = new AtomicBoolean(true);
        AtomicInteger reloads = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        Thread reloader = Thread.ofPlatform().name("reloader").start(() -> {
            try {
                // Bounded: at most 500 reloads, and only while the load runs.
                for (int i = 0; i < 500 && loading.get(); i++) {
                    // Atomically, as editors and config management do: a reload must never read
                    // a half-written file (a truncated one can be valid, say a subnet without pools).
                    java.nio.file.Path next = s.configFile.resolveSibling("next.yaml");
                    Files.writeString(next, config(i % 2 == 0 ? 900 : 600));
                    Files.move(next, s.configFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                    RunningServer.Reply r = s.call("POST", "/config/reload");
                    if (r.status() == 200) {
                        reloads.incrementAndGet();
                    } else {
                        refused.incrementAndGet();
                    }
                    Thread.sleep(5);
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        LoadReport report;
        try {
            report = new LoadGenerator(new LoadPlan(s.server.localAddress(), Ipv4Address.parse("127.0.0.1"), CLIENTS, 64,
                    Duration.ofSeconds(5), false, false, 11, 0)).run();
        } finally {
            loading.set(false);
            reloader.join(30_000);
        }
        System.out.printf("reload under load: %s%d reloads during the run, %d refused%n", report.describe(),
                reloads.get(), refused.get());

        assertThat(reloads.get()).as("reloads happened during the load").isGreaterThan(10);
        assertThat(refused.get()).isZero();
        assertThat(report.naks()).as("NAKs").isZero();
        // The server's own word first: it dropped no request for any reason.
        for (DropReason reason : DropReason.values()) {
            assertThat(s.server.engine().counters().droppedCount(reason)).as("engine drops: " + reason).isZero();
        }
        assertThat(report.drops()).as("exchanges that timed out").isZero();
        assertThat(report.leases()).isEqualTo(CLIENTS);
        Set<Ipv4Address> addresses = new HashSet<>();
        Set<String> macs = new HashSet<>();
        s.server.store().forEach(l -> {
            if (l.state() == LeaseState.ACTIVE) {
                addresses.add(l.address());
                macs.add(l.hardwareAddress().toString());
            }
        });
        assertThat(macs).as("one active stored lease per client").hasSize(CLIENTS);
        assertThat(addresses).as("no address twice").hasSize(CLIENTS);
        assertThat(s.call("GET", "/statistics").json().path("sent").path("ack").asInt()).isEqualTo(CLIENTS);
    }
}
