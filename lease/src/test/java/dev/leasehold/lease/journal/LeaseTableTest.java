package dev.leasehold.lease.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.lease.Lease;
import dev.leasehold.lease.LeaseState;
import dev.leasehold.wire.ClientId;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The index against the plainest possible model, a map by address: random puts and removes over
 * small pools of addresses, clients and MACs, so that chains are shared, relinked and unlinked
 * from every position, and the table grows several times.
 */
class LeaseTableTest {

    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

    @Test
    void randomPutsAndRemovesAgreeWithAMapAtEveryLookUp() {
        SplittableRandom random = new SplittableRandom(20260301);
        LeaseTable table = new LeaseTable(0);
        Map<Ipv4Address, Lease> model = new HashMap<>();
        for (int step = 0; step < 20_000; step++) {
            Ipv4Address address = new Ipv4Address(0x0A000000 + random.nextInt(3000));
            if (random.nextInt(4) == 0) {
                assertThat(table.remove(address.bits())).isEqualTo(model.remove(address) != null);
            } else {
                Lease lease = randomLease(random, address);
                table.store(LeaseCodec.row(lease));
                model.put(address, lease);
            }
            if (step % 1000 == 0) {
                assertAgrees(table, model);
            }
        }
        assertAgrees(table, model);
    }

    private static Lease randomLease(SplittableRandom random, Ipv4Address address) {
        int client = random.nextInt(400);
        int mac = random.nextInt(300);
        LeaseState state = LeaseState.values()[random.nextInt(LeaseState.values().length)];
        Instant start = T0.plusSeconds(random.nextInt(1000)).plusNanos(random.nextInt(1_000_000_000));
        return new Lease(address, new ClientId(new byte[] {1, 2, 0, (byte) (client >> 8), (byte) client}),
                new HardwareAddress(1 + random.nextInt(2), new byte[] {2, 0, 0, 0, (byte) (mac >> 8), (byte) mac}),
                random.nextInt(5), state, start, start.plusSeconds(random.nextInt(7200)),
                random.nextBoolean() ? "" : "h" + random.nextInt(100));
    }

    private static void assertAgrees(LeaseTable table, Map<Ipv4Address, Lease> model) {
        assertThat(table.size()).isEqualTo(model.size());
        Map<ClientId, List<Lease>> byClient = new HashMap<>();
        Map<HardwareAddress, List<Lease>> byMac = new HashMap<>();
        long recordBytes = 0;
        for (Lease lease : model.values()) {
            int slot = table.slotOf(lease.address().bits());
            assertThat(slot).isNotNegative();
            assertThat(table.lease(slot)).isEqualTo(lease);
            byClient.computeIfAbsent(lease.clientId(), k -> new ArrayList<>()).add(lease);
            byMac.computeIfAbsent(lease.hardwareAddress(), k -> new ArrayList<>()).add(lease);
            recordBytes += LeaseCodec.putRecord(LeaseCodec.row(lease)).length;
        }
        assertThat(table.liveRecordBytes()).isEqualTo(recordBytes);
        byClient.forEach((client, leases) ->
                assertThat(table.findByClient(client.bytes())).containsExactlyInAnyOrderElementsOf(leases));
        byMac.forEach((mac, leases) ->
                assertThat(table.findByHardware(mac.htype(), mac.bytes())).containsExactlyInAnyOrderElementsOf(leases));
        List<Lease> all = new ArrayList<>();
        for (int slot = 0; slot < table.slotLimit(); ) {
            slot = table.forEach(slot, 100, all::add);
        }
        assertThat(all).hasSize(model.size());
        assertThat(new HashSet<>(all)).isEqualTo(new HashSet<>(model.values()));
    }
}
