package dev.leasehold.engine.lifecycle;

import static dev.leasehold.engine.lifecycle.EngineHarness.SERVER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.client.Binding;
import dev.leasehold.engine.DropReason;
import dev.leasehold.lease.Lease;
import dev.leasehold.lease.LeaseState;
import dev.leasehold.testkit.TestClient;
import dev.leasehold.wire.MessageType;
import org.junit.jupiter.api.Test;

/** DHCPRELEASE (RFC 2131 §4.3.4): honoured only from the lease's owner; no reply. */
class ReleaseTest {

    private final EngineHarness h = EngineHarness.start();

    @Test
    void releaseFromTheOwnerReturnsTheAddressToThePool() {
        TestClient client = h.client("02:00:00:00:00:01");
        Binding bound = client.dora();
        long freeWhileBound = h.freeAddresses(1);

        assertThat(client.release()).isEmpty();

        assertThat(h.lastDropReason()).isEqualTo(DropReason.NO_REPLY_EXPECTED);
        assertThat(h.lease(bound.address()).orElseThrow().state()).isEqualTo(LeaseState.RELEASED);
        assertThat(h.freeAddresses(1)).isEqualTo(freeWhileBound + 1);
    }

    @Test
    void releasedAddressKeepsItsAffinityToTheClient() {
        TestClient client = h.client("02:00:00:00:00:01");
        Binding bound = client.dora();
        client.release();
        // A newcomer is given some other free address...
        assertThat(h.client("02:00:00:00:00:02").dora().address()).isNotEqualTo(bound.address());

        // ...and the returning client its old one.
        assertThat(client.dora().address()).isEqualTo(bound.address());
    }

    @Test
    void releaseFromAnotherClientChangesNothing() {
        TestClient owner = h.client("02:00:00:00:00:01");
        Binding bound = owner.dora();
        Lease before = h.lease(bound.address()).orElseThrow();
        long freeBefore = h.freeAddresses(1);

        assertThat(h.client("02:00:00:00:00:02").release(bound.address(), SERVER)).isEmpty();

        assertThat(h.lease(bound.address())).contains(before);
        assertThat(h.freeAddresses(1)).isEqualTo(freeBefore);
        assertThat(owner.renew().map(Replies::type)).contains(MessageType.ACK);
    }

    @Test
    void releaseWithTheOwnersMacButAnotherClientIdChangesNothing() {
        TestClient owner = h.clientWithId("02:00:00:00:00:01", new byte[] {1, 2, 0, 0, 0, 0, 1});
        Binding bound = owner.dora();

        h.clientWithId("02:00:00:00:00:01", new byte[] {9, 9, 9}).release(bound.address(), SERVER);

        assertThat(h.lease(bound.address()).orElseThrow().state()).isEqualTo(LeaseState.ACTIVE);
    }
}
