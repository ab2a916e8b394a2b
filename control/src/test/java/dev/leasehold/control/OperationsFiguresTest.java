package dev.leasehold.control;

import dev.leasehold.testkit.FakeClock;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.config.HistoryConfig;
import dev.leasehold.lease.Lease;
import dev.leasehold.lease.LeaseState;
import dev.leasehold.lease.PutResult;
import dev.leasehold.wire.ClientId;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The figures docs/operations.md quotes: /metrics render time over many leases, and history
 * query times over many events. Heavy (about a minute, a few hundred MB of disk), so run on
 * request only:
 * {@code ./mvnw -o -pl control test -Dtest=OperationsFiguresTest -Dleasehold.figures=true}.
 */
@EnabledIfSystemProperty(named = "leasehold.figures", matches = "true",
        disabledReason = "heavy measurement; run with -Dleasehold.figures=true")
class OperationsFiguresTest {

    @TempDir
    Path dir;

    @Test
    void historyQueriesOverAMillionEvents() throws Exception {
        int events = Integer.getInteger("leasehold.figures.events", 1_000_000);
        Instant start = Instant.parse("2026-11-20T00:00:00Z");
        FakeClock clock = FakeClock.at(start.plus(Duration.ofDays(8)));
        try (LeaseHistory h = LeaseHistory.open(dir, new HistoryConfig(Duration.ofDays(30), 1L << 40), clock)) {
            long t0 = System.nanoTime();
            long spacingMillis = Duration.ofDays(7).toMillis() / events;
            for (int i = 0; i < events; i++) {
                Instant at = start.plusMillis(i * spacingMillis).truncatedTo(ChronoUnit.SECONDS);
                int client = i % 20_000;
                String mac = HardwareAddress.parseEthernet(String.format("02:00:00:%02x:%02x:%02x", client >> 16,
                        (client >> 8) & 0xFF, client & 0xFF)).toString();
                Ipv4Address address = Ipv4Address.ofLong(Ipv4Address.parse("10.0.0.0").toLong() + client);
                h.record(new HistoryEvent(at, "ack", address, "01:" + mac, mac, 1, "10.255.0.1", "65:74:68:30", "host-" + client,
                        at.plusSeconds(86_400), "", "")); // renewed every ~3.4 h, so always held
                if (i % 50_000 == 0) {
                    h.flush(); // keep the queue from overflowing: this measures the writer, not drops
                }
            }
            h.flush();
            double writeSeconds = (System.nanoTime() - t0) / 1e9;
            assertThat(h.droppedCount()).isZero();

            Ipv4Address probe = Ipv4Address.parse("10.0.0.77");
            Instant mid = start.plus(Duration.ofDays(3));
            long q0 = System.nanoTime();
            var holder = h.holderAt(probe, mid);
            double holderMs = (System.nanoTime() - q0) / 1e6;
            assertThat(holder).isPresent();

            long q1 = System.nanoTime();
            var held = h.holdings(new HistoryFilter.ByMac(HardwareAddress.parseEthernet("02:00:00:00:00:4d")),
                    start, start.plus(Duration.ofDays(7)));
            double holdingsMs = (System.nanoTime() - q1) / 1e6;
            assertThat(held).isNotEmpty();

            System.out.printf("history: %,d events, %,d bytes, written in %.1f s (%.0f events/s); holderAt %.0f ms;"
                            + " holdings of one MAC over 7 days %.0f ms%n", events, h.bytes(), writeSeconds, events / writeSeconds,
                    holderMs, holdingsMs);
        }
    }

    @Test
    void metricsRenderOverAHundredThousandLeases() throws Exception {
        int leases = Integer.getInteger("leasehold.figures.leases", 100_000);
        String config = """
                listen: {address: 127.0.0.1, port: 0}
                data-directory: %s
                durability: none
                control: {address: 127.0.0.1, port: 0, token-file: %s}
                subnets:
                  - id: 1
                    subnet: 10.0.0.0/8
                    relay-addresses: [127.0.0.1]
                    pools: [{range: 10.0.0.10-10.15.255.250}]
                """.formatted(dir.resolve("data"), dir.resolve("token"));
        try (RunningServer s = RunningServer.start(dir, config)) {
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            List<CompletableFuture<PutResult>> writes = new ArrayList<>();
            for (int i = 0; i < leases; i++) {
                Ipv4Address a = Ipv4Address.ofLong(Ipv4Address.parse("10.0.0.10").toLong() + i);
                HardwareAddress mac = new HardwareAddress(1, new byte[]{2, 0, (byte) (i >> 24), (byte) (i >> 16), (byte) (i >> 8), (byte) i});
                writes.add(s.server.engine().adminPut(new Lease(a, ClientId.of(mac), mac, 1, LeaseState.ACTIVE, now,
                        now.plusSeconds(3600), "")));
            }
            writes.forEach(CompletableFuture::join);
            MetricsRenderer renderer = new MetricsRenderer(s.server, s.ops, new ConfigApi(s.server));
            for (int i = 0; i < 5; i++) {
                renderer.render(); // warm up
            }
            int runs = 20;
            long t0 = System.nanoTime();
            String text = "";
            for (int i = 0; i < runs; i++) {
                text = renderer.render();
            }
            double ms = (System.nanoTime() - t0) / 1e6 / runs;
            long h0 = System.nanoTime();
            RunningServer.Reply r = s.call("GET", "/metrics");
            double httpMs = (System.nanoTime() - h0) / 1e6;
            assertThat(r.body()).contains("leasehold_subnet_addresses_assigned{subnet=\"1\",prefix=\"10.0.0.0/8\"} " + leases);
            System.out.printf("metrics: %,d leases, %,d bytes of text, render %.1f ms (mean of %d), GET /metrics %.1f ms%n",
                    leases, text.length(), ms, runs, httpMs);
        }
    }
}
