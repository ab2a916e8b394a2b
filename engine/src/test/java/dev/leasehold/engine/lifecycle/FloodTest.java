package dev.leasehold.engine.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.client.Binding;
import dev.leasehold.client.ClientMessages;
import dev.leasehold.engine.DropReason;
import dev.leasehold.testkit.TestClient;
import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import dev.leasehold.wire.MessageType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A DISCOVER flood from random MACs against a small pool: the pool fills, the rest is dropped
 * as POOL_EXHAUSTED, and clients that already hold leases keep renewing.
 */
class FloodTest {

    private static final int POOL = 20;
    private static final int BOUND = 5;
    private static final int FLOOD = 500;

    @Test
    void floodFillsThePoolAndExistingLeasesStillRenew() {
        EngineHarness h = EngineHarness.start(EngineHarness.BASE.replace("10.0.0.100-10.0.0.199", "10.0.0.100-10.0.0.119")
                .replace("allocation: iterative", "allocation: random"));
        List<TestClient> bound = new ArrayList<>();
        for (int i = 0; i < BOUND; i++) {
            TestClient c = h.client(String.format("02:00:00:00:00:%02x", i));
            c.dora();
            bound.add(c);
        }

        SplittableRandom random = new SplittableRandom(7);
        Set<Ipv4Address> offered = new HashSet<>();
        int answered = 0;
        for (int i = 0; i < FLOOD; i++) {
            byte[] mac = new byte[6];
            random.nextBytes(mac);
            mac[0] = (byte) ((mac[0] & 0xFC) | 0x02);   // locally administered unicast
            TestClient attacker = h.client(new ClientMessages(new HardwareAddress(1, mac), null, null,
                    ClientMessages.RelayFields.NONE));
            Optional<DhcpMessage> reply = attacker.tryDiscover(null, false);
            if (reply.isPresent()) {
                answered++;
                assertThat(offered.add(reply.get().yiaddr())).as("offered twice: %s", reply.get().yiaddr()).isTrue();
            }
        }

        assertThat(answered).isEqualTo(POOL - BOUND);
        assertThat(h.freeAddresses(1)).isZero();
        assertThat(h.engine.counters().droppedCount(DropReason.POOL_EXHAUSTED)).isEqualTo(FLOOD - (POOL - BOUND));
        for (TestClient c : bound) {
            Binding before = c.binding();
            assertThat(offered).doesNotContain(before.address());
            assertThat(c.renew().map(Replies::type)).as("renewal of %s", c).contains(MessageType.ACK);
            assertThat(c.rebind().map(Replies::type)).as("rebinding of %s", c).contains(MessageType.ACK);
            assertThat(c.initReboot(before.address()).map(Replies::type)).as("reboot of %s", c).contains(MessageType.ACK);
        }
    }
}
