package dev.leasehold.engine.lifecycle;

import static dev.leasehold.engine.lifecycle.EngineHarness.ip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.client.Binding;
import dev.leasehold.testkit.TestClient;
import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.MessageType;
import dev.leasehold.wire.OptionCode;
import org.junit.jupiter.api.Test;

/** Reload (issue 3, "Configuration"): the new configuration replaces the old between requests; leases are kept. */
class ReconfigureTest {

    private final EngineHarness h = EngineHarness.start();

    @Test
    void leasesSurviveAReloadAndRenewUnderTheNewOptions() {
        TestClient client = h.client("02:00:00:00:00:01");
        Binding bound = client.dora();

        h.engine.reconfigure(EngineHarness.config(EngineHarness.BASE.replace("routers: 10.0.0.1", "routers: 10.0.0.254")));

        DhcpMessage ack = client.renew().orElseThrow();
        assertThat(Replies.type(ack)).isEqualTo(MessageType.ACK);
        assertThat(ack.yiaddr()).isEqualTo(bound.address());
        assertThat(Replies.address(ack, OptionCode.ROUTERS)).isEqualTo(ip("10.0.0.254"));
    }

    @Test
    void leasedAddressesStayOutOfThePoolAfterAReload() {
        Binding bound = h.client("02:00:00:00:00:01").dora();

        h.engine.reconfigure(EngineHarness.config(EngineHarness.BASE));

        assertThat(h.client("02:00:00:00:00:02").discover(bound.address()).yiaddr()).isNotEqualTo(bound.address());
        assertThat(h.freeAddresses(1)).isEqualTo(98);
    }

    @Test
    void outstandingOffersSurviveAReloadAndKeepTheirAddressFromOthers() {
        dev.leasehold.wire.DhcpMessage offer = h.client("02:00:00:00:00:01").discover();

        h.engine.reconfigure(EngineHarness.config(EngineHarness.BASE));

        assertThat(h.engine.outstandingOffers()).isEqualTo(1);
        assertThat(h.freeAddresses(1)).isEqualTo(99);
        assertThat(h.client("02:00:00:00:00:02").discover().yiaddr()).isNotEqualTo(offer.yiaddr());
    }

    @Test
    void offerWhoseAddressLeftThePoolsIsDroppedByAReload() {
        h.client("02:00:00:00:00:01").discover();

        h.engine.reconfigure(EngineHarness.config(EngineHarness.BASE.replace("10.0.0.100-10.0.0.199", "10.0.0.150-10.0.0.199")));

        assertThat(h.engine.outstandingOffers()).isZero();
        assertThat(h.freeAddresses(1)).isEqualTo(50);
    }

    /** Runs {@code afterScan} once, right after the next full scan: a write a reload's indexing cannot see. */
    private static final class ScanHookStore extends dev.leasehold.testkit.ForwardingLeaseStore {
        private Runnable afterScan;

        ScanHookStore() {
            super(new dev.leasehold.lease.InMemoryLeaseStore());
        }

        @Override
        public void forEach(java.util.function.Consumer<dev.leasehold.lease.Lease> action) {
            super.forEach(action);
            Runnable hook = afterScan;
            afterScan = null;
            if (hook != null) {
                hook.run();
            }
        }
    }

    @Test
    void addressReleasedWhileAReloadIndexesTheStoreIsFreeInTheNewConfiguration() {
        ScanHookStore store = new ScanHookStore();
        String onePool = AddressChoiceTest.onePoolAddress();
        EngineHarness one = EngineHarness.start(onePool, store);
        TestClient first = one.client("02:00:00:00:00:01");
        first.dora();
        store.afterScan = first::release;

        one.engine.reconfigure(EngineHarness.config(onePool));

        assertThat(one.client("02:00:00:00:00:02").discover().yiaddr()).isEqualTo(ip("10.0.0.100"));
    }

    @Test
    void addressLeasedWhileAReloadIndexesTheStoreStaysUsedInTheNewConfiguration() {
        ScanHookStore store = new ScanHookStore();
        EngineHarness h2 = EngineHarness.start(EngineHarness.BASE, store);
        long before = h2.freeAddresses(1);
        store.afterScan = () -> h2.client("02:00:00:00:00:03").dora();

        h2.engine.reconfigure(EngineHarness.config(EngineHarness.BASE));

        assertThat(h2.freeAddresses(1)).isEqualTo(before - 1);
    }
}
