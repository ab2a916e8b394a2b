package dev.leasehold.engine.lifecycle;

import static dev.leasehold.engine.lifecycle.EngineHarness.ip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.client.Binding;
import dev.leasehold.engine.DropReason;
import dev.leasehold.testkit.TestClient;
import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.Ipv4Address;
import dev.leasehold.wire.MessageType;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Which address a DISCOVER is offered, in the order of RFC 2131 §4.3.1: the client's reservation,
 * its current or recently expired lease, the address it asks for if free and allowed, then any
 * free one. An offer holds its address briefly, in memory only.
 */
class AddressChoiceTest {

    private static final String WITH_RESERVATION = EngineHarness.BASE.replace("""
                options: {routers: 10.0.0.1}
            """, """
                options: {routers: 10.0.0.1}
                reservations:
                  - {hw-address: "02:00:00:00:01:01", ip-address: 10.0.0.10, hostname: printer}
            """);

    private final EngineHarness h = EngineHarness.start();

    @Test
    void withNothingElseToGoByTheFirstFreeAddressIsOffered() {
        assertThat(h.client("02:00:00:00:00:01").discover().yiaddr()).isEqualTo(ip("10.0.0.100"));
        assertThat(h.client("02:00:00:00:00:02").discover().yiaddr()).isEqualTo(ip("10.0.0.101"));
    }

    @Test
    void reservedClientIsOfferedItsReservationEvenWhenAskingForAnother() {
        EngineHarness reserved = EngineHarness.start(WITH_RESERVATION);

        DhcpMessage offer = reserved.client("02:00:00:00:01:01").discover(ip("10.0.0.150"));

        assertThat(offer.yiaddr()).isEqualTo(ip("10.0.0.10"));
    }

    @Test
    void reservationWinsOverTheClientsExistingLease() {
        EngineHarness reserved = EngineHarness.start();
        TestClient printer = reserved.client("02:00:00:00:01:01");
        assertThat(printer.dora().address()).isEqualTo(ip("10.0.0.100"));

        reserved.engine.reconfigure(EngineHarness.config(WITH_RESERVATION));

        assertThat(printer.discover().yiaddr()).isEqualTo(ip("10.0.0.10"));
    }

    @Test
    void clientWithALeaseIsOfferedItsLeasedAddressAgain() {
        h.client("02:00:00:00:00:01").discover();   // takes .100 as an offer
        TestClient client = h.client("02:00:00:00:00:02");
        Binding bound = client.dora();
        h.client("02:00:00:00:00:03").dora();

        assertThat(client.discover().yiaddr()).isEqualTo(bound.address());
    }

    @Test
    void clientWhoseLeaseExpiredGetsItsOldAddressBack() {
        TestClient client = h.client("02:00:00:00:00:01");
        Ipv4Address old = client.dora().address();
        h.clock.advance(Duration.ofHours(2));
        assertThat(h.engine.reclaimExpired(100)).isEqualTo(1);
        // Others arrive meanwhile and take the addresses after the old one.
        for (int i = 0; i < 5; i++) {
            h.client("02:00:00:00:01:0" + i).dora();
        }

        assertThat(client.discover().yiaddr()).isEqualTo(old);
    }

    @Test
    void clientsCurrentLeaseComesBeforeAnOlderReleasedOne() {
        // RFC 2131 §4.3.1: "the client's current address as recorded in the client's current
        // binding, ELSE the client's previous address as recorded in the client's (now expired
        // or released) binding".
        TestClient client = h.client("02:00:00:00:00:01");
        Ipv4Address first = client.dora().address();
        client.release();
        TestClient other = h.client("02:00:00:00:00:02");
        assertThat(other.discover(first).yiaddr()).isEqualTo(first);   // holds the old address as an offer
        Ipv4Address current = client.dora().address();
        assertThat(current).isNotEqualTo(first);
        other.requestSelecting(EngineHarness.OTHER_SERVER, first);    // the old address is free again

        assertThat(client.discover().yiaddr()).isEqualTo(current);
    }

    @Test
    void requestedAddressIsOfferedWhenFree() {
        assertThat(h.client("02:00:00:00:00:01").discover(ip("10.0.0.150")).yiaddr()).isEqualTo(ip("10.0.0.150"));
    }

    @Test
    void requestedAddressLeasedToAnotherClientIsNotOffered() {
        Binding first = h.client("02:00:00:00:00:01").dora();

        DhcpMessage offer = h.client("02:00:00:00:00:02").discover(first.address());

        assertThat(offer.yiaddr()).isNotEqualTo(first.address());
        assertThat(offer.yiaddr()).isEqualTo(ip("10.0.0.101"));
    }

    @Test
    void requestedAddressOfferedToAnotherClientIsNotOffered() {
        Ipv4Address offered = h.client("02:00:00:00:00:01").discover().yiaddr();

        assertThat(h.client("02:00:00:00:00:02").discover(offered).yiaddr()).isNotEqualTo(offered);
    }

    @Test
    void requestedAddressOutsideEveryPoolGetsAFreePoolAddressInstead() {
        // In the subnet but outside its pool, and outside every subnet.
        assertThat(h.client("02:00:00:00:00:01").discover(ip("10.0.0.50")).yiaddr()).isEqualTo(ip("10.0.0.100"));
        assertThat(h.client("02:00:00:00:00:02").discover(ip("192.168.1.1")).yiaddr()).isEqualTo(ip("10.0.0.101"));
    }

    @Test
    void requestedReservedAddressIsNotOfferedToAnotherClient() {
        EngineHarness reserved = EngineHarness.start(WITH_RESERVATION.replace("ip-address: 10.0.0.10", "ip-address: 10.0.0.150"));

        assertThat(reserved.client("02:00:00:00:00:01").discover(ip("10.0.0.150")).yiaddr()).isNotEqualTo(ip("10.0.0.150"));
    }

    @Test
    void repeatedDiscoverGetsTheSameOfferAndHoldsOneAddress() {
        TestClient client = h.client("02:00:00:00:00:01");
        long freeBefore = h.freeAddresses(1);

        DhcpMessage first = client.discover();
        DhcpMessage second = client.discover();

        assertThat(second.yiaddr()).isEqualTo(first.yiaddr());
        assertThat(h.freeAddresses(1)).isEqualTo(freeBefore - 1);
        assertThat(h.engine.outstandingOffers()).isEqualTo(1);
    }

    @Test
    void anOfferIsNotALease() {
        h.client("02:00:00:00:00:01").discover();

        assertThat(h.store.size()).isZero();
    }

    @Test
    void offeredAddressIsHeldFromOthersDuringTheOfferHold() {
        EngineHarness tiny = EngineHarness.start(onePoolAddress());
        tiny.client("02:00:00:00:00:01").discover();
        tiny.clock.advance(Duration.ofSeconds(29));
        tiny.engine.reclaimExpired(100);

        assertThat(tiny.client("02:00:00:00:00:02").tryDiscover(null, false)).isEmpty();
        assertThat(tiny.lastDropReason()).isEqualTo(DropReason.POOL_EXHAUSTED);
    }

    @Test
    void offeredAddressIsFreeAgainOnceTheHoldLapsesAndTheReclaimerRuns() {
        EngineHarness tiny = EngineHarness.start(onePoolAddress());
        tiny.client("02:00:00:00:00:01").discover();
        tiny.clock.advance(Duration.ofSeconds(31));
        tiny.engine.reclaimExpired(100);

        assertThat(tiny.client("02:00:00:00:00:02").discover().yiaddr()).isEqualTo(ip("10.0.0.100"));
        assertThat(tiny.engine.outstandingOffers()).isEqualTo(1);
    }

    @Test
    void lapsedOfferDoesNotBlockItsAddressBeforeTheReclaimerRuns() {
        EngineHarness tiny = EngineHarness.start(onePoolAddress());
        tiny.client("02:00:00:00:00:01").discover();
        tiny.clock.advance(Duration.ofSeconds(31));

        assertThat(tiny.client("02:00:00:00:00:02").tryDiscover(null, false)).isPresent();
    }

    @Test
    void clientWhoseOfferLapsedCanStillRequestTheAddressWhileNobodyTookIt() {
        EngineHarness tiny = EngineHarness.start(onePoolAddress());
        TestClient client = tiny.client("02:00:00:00:00:01");
        DhcpMessage offer = client.discover();
        tiny.clock.advance(Duration.ofSeconds(31));

        assertThat(client.select(offer).map(Replies::type)).contains(MessageType.ACK);
    }

    static String onePoolAddress() {
        return EngineHarness.BASE.replace("10.0.0.100-10.0.0.199", "10.0.0.100-10.0.0.100");
    }
}
