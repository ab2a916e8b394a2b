package dev.leasehold.engine.lifecycle;

import static dev.leasehold.engine.lifecycle.EngineHarness.ip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.testkit.TestClient;
import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.Ipv4Address;
import org.junit.jupiter.api.Test;

/** The header fields of replies as RFC 2131 §4.3.1 table 3 sets them. */
class ReplyFieldsTest {

    private final EngineHarness h = EngineHarness.start();

    @Test
    void offerHasCiaddrZeroEvenWhenTheDiscoverCarriedOne() {
        // A client that still holds an address and DISCOVERs (some do after a link change).
        TestClient client = h.client("02:00:00:00:00:01");
        DhcpMessage discover = client.messages().discover(9, null, false).toBuilder().ciaddr(ip("10.0.0.150")).build();

        DhcpMessage offer = client.send(discover, TestClient.Delivery.BROADCAST).orElseThrow();

        assertThat(offer.ciaddr()).isEqualTo(Ipv4Address.ANY);
        assertThat(offer.hops()).isZero();
        assertThat(offer.secs()).isZero();
    }

    @Test
    void ackToARenewalCarriesTheRequestsCiaddr() {
        TestClient client = h.client("02:00:00:00:00:02");
        Ipv4Address bound = client.dora().address();

        assertThat(client.renew().orElseThrow().ciaddr()).isEqualTo(bound);
    }
}
