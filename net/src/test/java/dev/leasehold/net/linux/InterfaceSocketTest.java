package dev.leasehold.net.linux;

import dev.leasehold.wire.InterfaceAddress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.wire.Ipv4Address;
import java.util.List;
import org.junit.jupiter.api.Test;

class InterfaceSocketTest {

    private static final InterfaceAddress LAN = new InterfaceAddress(ip("192.0.2.1"), 24);
    private static final InterfaceAddress SECOND = new InterfaceAddress(ip("198.51.100.1"), 25);
    private static final InterfaceSocket ETH1 = new InterfaceSocket("eth1", 3, 42, true, List.of(LAN, SECOND));

    @Test
    void limitedAndDirectedBroadcastsCountAsBroadcast() {
        assertThat(ETH1.isBroadcast(Ipv4Address.BROADCAST)).isTrue();
        assertThat(ETH1.isBroadcast(ip("192.0.2.255"))).isTrue();
        assertThat(ETH1.isBroadcast(ip("198.51.100.127"))).isTrue();
        assertThat(ETH1.isBroadcast(ip("198.51.100.255"))).isFalse();
        assertThat(ETH1.isBroadcast(ip("192.0.2.1"))).isFalse();
    }

    @Test
    void unicastArrivalKeepsTheAddressItWasSentTo() {
        assertThat(ETH1.localAddressFor(ip("198.51.100.1"), ip("203.0.113.9"))).isEqualTo(ip("198.51.100.1"));
    }

    @Test
    void broadcastFromAClientOnTheSecondPrefixGetsTheSecondAddress() {
        assertThat(ETH1.localAddressFor(Ipv4Address.BROADCAST, ip("198.51.100.20"))).isEqualTo(ip("198.51.100.1"));
    }

    @Test
    void broadcastFromAnAddresslessClientGetsThePrimaryAddress() {
        assertThat(ETH1.localAddressFor(Ipv4Address.BROADCAST, Ipv4Address.ANY)).isEqualTo(ip("192.0.2.1"));
    }

    @Test
    void interfaceWithoutAddressesAnswersAny() {
        InterfaceSocket bare = new InterfaceSocket("eth2", 4, 43, true, List.of());

        assertThat(bare.localAddressFor(Ipv4Address.BROADCAST, Ipv4Address.ANY)).isEqualTo(Ipv4Address.ANY);
    }

    @Test
    void interfaceAddressKnowsItsPrefix() {
        assertThat(SECOND.network()).isEqualTo(ip("198.51.100.0"));
        assertThat(SECOND.mask()).isEqualTo(ip("255.255.255.128"));
        assertThat(SECOND.directedBroadcast()).isEqualTo(ip("198.51.100.127"));
        assertThat(SECOND.contains(ip("198.51.100.126"))).isTrue();
        assertThat(SECOND.contains(ip("198.51.100.128"))).isFalse();
        assertThat(new InterfaceAddress(ip("10.0.0.1"), 0).contains(ip("203.0.113.1"))).isTrue();
    }

    private static Ipv4Address ip(String text) {
        return Ipv4Address.parse(text);
    }
}
