package dev.leasehold.engine.lifecycle;

import static dev.leasehold.engine.lifecycle.EngineHarness.SERVER;
import static dev.leasehold.engine.lifecycle.EngineHarness.ip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.client.ClientMessages;
import dev.leasehold.engine.DropReason;
import dev.leasehold.testkit.TestClient;
import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.DhcpOptions;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import dev.leasehold.wire.MessageType;
import dev.leasehold.wire.OptionCode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** Requests a server must survive without harm: they are answered sensibly or dropped and counted. */
class BadInputTest {

    private final EngineHarness h = EngineHarness.start();

    @Test
    void bootReplyIsDropped() {
        DhcpMessage reply = h.client("02:00:00:00:00:01").discover().toBuilder().op(DhcpMessage.BootOp.BOOTREPLY).build();

        assertThat(h.handle(reply, true)).isEmpty();
        assertThat(h.lastDropReason()).isEqualTo(DropReason.NOT_A_REQUEST);
    }

    @ParameterizedTest
    @EnumSource(value = MessageType.class, names = {"OFFER", "ACK", "NAK", "FORCERENEW", "LEASEQUERY", "LEASEACTIVE"})
    void serverMessageTypesFromAClientAreDroppedAndCounted(MessageType type) {
        DhcpMessage odd = discoverFrom("02:00:00:00:00:01", o -> o.put(OptionCode.MESSAGE_TYPE, type.code()));

        assertThat(h.handle(odd, true)).isEmpty();
        assertThat(h.lastDropReason()).isEqualTo(DropReason.NOT_A_REQUEST);
        assertThat(h.engine.counters().droppedCount(DropReason.NOT_A_REQUEST)).isEqualTo(1);
    }

    @Test
    void requestWithoutMessageTypeOrWithAnUnknownOneIsDropped() {
        assertThat(h.handle(discoverFrom("02:00:00:00:00:01", o -> o.remove(OptionCode.MESSAGE_TYPE)), true)).isEmpty();
        assertThat(h.handle(discoverFrom("02:00:00:00:00:01", o -> o.put(OptionCode.MESSAGE_TYPE, 200)), true)).isEmpty();
        assertThat(h.handle(discoverFrom("02:00:00:00:00:01",
                o -> o.putUnsafe(OptionCode.MESSAGE_TYPE, new byte[] {1, 1})), true)).isEmpty();
        assertThat(h.engine.outstandingOffers()).isZero();
        assertThat(h.store.size()).isZero();
    }

    @Test
    void everyDroppedNonRequestIsCounted() {
        DhcpMessage reply = h.client("02:00:00:00:00:01").discover().toBuilder().op(DhcpMessage.BootOp.BOOTREPLY).build();
        h.handle(reply, true);
        h.handle(discoverFrom("02:00:00:00:00:01", o -> o.remove(OptionCode.MESSAGE_TYPE)), true);
        h.handle(discoverFrom("02:00:00:00:00:01", o -> o.put(OptionCode.MESSAGE_TYPE, 200)), true);

        assertThat(h.engine.counters().droppedCount(DropReason.NOT_A_REQUEST)).isEqualTo(3);
    }

    @ParameterizedTest(name = "htype {0}, hlen {1}")
    @CsvSource({"1, 0", "1, 16", "6, 6", "0, 6", "32, 16", "255, 1"})
    void clientWithOddHardwareTypeOrLengthCompletesDoraWithItsFieldsEchoed(int htype, int hlen) {
        byte[] chaddr = new byte[hlen];
        Arrays.fill(chaddr, (byte) 0x5A);
        TestClient client = h.client(new ClientMessages(new HardwareAddress(htype, chaddr), null, null,
                ClientMessages.RelayFields.NONE));

        DhcpMessage offer = client.discover();
        client.dora();

        assertThat(offer.htype()).isEqualTo(htype);
        assertThat(offer.hlen()).isEqualTo(hlen);
        assertThat(offer.hardwareAddress()).isEqualTo(new HardwareAddress(htype, chaddr));
        assertThat(client.binding().address()).isEqualTo(offer.yiaddr());
    }

    @Test
    void twoClientsWithHlenZeroButDifferentClientIdsGetDifferentLeases() {
        HardwareAddress none = new HardwareAddress(1, new byte[0]);
        var a = h.client(new ClientMessages(none, new byte[] {0, 'a'}, null,
                ClientMessages.RelayFields.NONE)).dora();
        var b = h.client(new ClientMessages(none, new byte[] {0, 'b'}, null,
                ClientMessages.RelayFields.NONE)).dora();

        assertThat(a.address()).isNotEqualTo(b.address());
    }

    @Test
    void giaddrFromNoConfiguredNetworkIsDroppedForEveryMessageType() {
        TestClient client = h.relayedClient("02:00:00:00:00:01", ip("203.0.113.9"), "x");

        assertThat(client.tryDiscover(null, false)).isEmpty();
        assertThat(client.initReboot(ip("10.0.0.150"))).isEmpty();
        assertThat(client.inform(ip("203.0.113.20"))).isEmpty();
        assertThat(h.engine.counters().droppedCount(DropReason.NO_SUBNET)).isEqualTo(3);
        assertThat(h.store.size()).isZero();
    }

    @Test
    void requestForAnAddressOutsideEveryPoolIsNakedAndDiscoverForOneGetsAPoolAddress() {
        TestClient client = h.client("02:00:00:00:00:01");

        assertThat(client.discover(ip("10.0.0.5")).yiaddr()).isEqualTo(ip("10.0.0.100"));
        assertThat(client.requestSelecting(SERVER, ip("10.0.0.5")).map(Replies::type)).contains(MessageType.NAK);
        assertThat(client.requestSelecting(SERVER, ip("10.0.0.255")).map(Replies::type)).contains(MessageType.NAK);
        // Not authoritative and no record of the client: silence, even for the network address.
        assertThat(client.initReboot(ip("10.0.0.0"))).isEmpty();
        assertThat(h.store.size()).isZero();
    }

    @Test
    void requestWithNeitherServerIdRequestedAddressNorCiaddrIsDropped() {
        DhcpMessage bare = discoverFrom("02:00:00:00:00:01", o -> o.put(OptionCode.MESSAGE_TYPE, MessageType.REQUEST.code()));

        assertThat(h.handle(bare, true)).isEmpty();
    }

    @Test
    void declineWithoutAnAddressIsIgnored() {
        DhcpMessage bare = discoverFrom("02:00:00:00:00:01", o -> o.put(OptionCode.MESSAGE_TYPE, MessageType.DECLINE.code()));

        assertThat(h.handle(bare, true)).isEmpty();
        assertThat(h.engine.counters().declineCount()).isZero();
    }

    @Test
    void hostNameWithControlCharactersIsStoredSanitised() {
        TestClient client = h.client("02:00:00:00:00:01")
                .withOption(OptionCode.HOST_NAME, "evil\nhost\u0000name".getBytes(StandardCharsets.ISO_8859_1));

        Ipv4Address address = client.dora().address();

        assertThat(h.lease(address).orElseThrow().hostname()).isEqualTo("evilhostname");
    }

    /** A plain DISCOVER from {@code mac} with its options changed by {@code change}. */
    private DhcpMessage discoverFrom(String mac, Consumer<DhcpOptions.Builder> change) {
        DhcpMessage discover = h.client(mac).messages().discover(7, null, false);
        DhcpOptions.Builder o = discover.options().toBuilder();
        change.accept(o);
        return discover.toBuilder().options(o.build()).build();
    }
}
