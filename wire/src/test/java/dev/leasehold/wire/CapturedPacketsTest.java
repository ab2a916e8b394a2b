package dev.leasehold.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Packets captured from real clients (dhclient, udhcpc, dhcpcd) and from Kea answering them,
 * one UDP payload per {@code captured/*.hex} file, named {@code <sender>-<type>[-<detail>]}.
 * Re-created by {@code scripts/capture-client-packets.sh}.
 */
class CapturedPacketsTest {

    /** The captures this test was written against; more may be added, none may go missing. */
    private static final List<String> EXPECTED = List.of(
            "dhclient-discover", "dhclient-request", "dhclient-request-renew", "dhclient-release",
            "udhcpc-discover", "udhcpc-request", "udhcpc-release",
            "dhcpcd-discover", "dhcpcd-request", "dhcpcd-inform", "dhcpcd-release",
            "kea-offer-to-dhclient", "kea-offer-to-udhcpc", "kea-offer-to-dhcpcd",
            "kea-ack-to-dhclient", "kea-ack-to-udhcpc", "kea-ack-to-dhcpcd",
            "kea-ack-request-renew-to-dhclient", "kea-ack-inform-to-dhcpcd",
            "dhclient-request-init-reboot", "kea-nak-request-init-reboot-to-dhclient",
            "relayed-discover", "relayed-request", "relayed-release", "kea-offer-to-relayed", "kea-ack-to-relayed");

    static Stream<Path> captures() throws IOException, URISyntaxException {
        URL folder = CapturedPacketsTest.class.getResource("/captured");
        if (folder == null) {
            return Stream.empty();
        }
        try (Stream<Path> files = Files.list(Path.of(folder.toURI()))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".hex")).sorted().toList().stream();
        }
    }

    @Test
    void folderHoldsCapturesOfEveryClientAndTheirReplies() throws Exception {
        List<String> names = captures().map(CapturedPacketsTest::name).toList();
        assertThat(names).containsAll(EXPECTED);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("captures")
    void captureDecodesToTheTypeInItsNameAndReencodesToTheSameBytes(Path file) throws Exception {
        byte[] wire = HexFixtures.file(file);
        DhcpMessage message = DhcpCodec.decode(wire);
        String type = name(file).split("-")[1].toUpperCase(Locale.ROOT);
        assertThat(message.messageType()).as(file.getFileName().toString()).contains(MessageType.valueOf(type));
        assertThat(message.op()).isEqualTo(name(file).startsWith("kea-") ? DhcpMessage.BootOp.BOOTREPLY : DhcpMessage.BootOp.BOOTREQUEST);
        assertThat(withoutTrailingZeros(DhcpCodec.encode(message))).isEqualTo(withoutTrailingZeros(wire));
    }

    @Test
    void dhcpcdIdentifiesItselfWithAnRfc4361ClientIdThatKeaEchoes() throws Exception {
        DhcpMessage discover = DhcpCodec.decode(HexFixtures.resource("captured/dhcpcd-discover.hex"));
        DuidClientIdentifier id = discover.duidClientIdentifier().orElseThrow();
        assertThat(id.duidType()).isEqualTo(1); // DUID-LLT
        assertThat(DhcpCodec.decode(HexFixtures.resource("captured/kea-ack-to-dhcpcd.hex")).duidClientIdentifier()).contains(id);
        assertThat(DhcpCodec.decode(HexFixtures.resource("captured/udhcpc-discover.hex")).duidClientIdentifier()).isEmpty();
    }

    @Test
    void keaEchoesTheRelayAgentInformationThatDhcrelayAdded() throws Exception {
        DhcpMessage discover = DhcpCodec.decode(HexFixtures.resource("captured/relayed-discover.hex"));
        assertThat(discover.giaddr().isAny()).isFalse();
        assertThat(discover.hops()).isEqualTo(1);
        RelayAgentInformation added = discover.relayAgentInformation().orElseThrow();
        assertThat(added.circuitId()).isPresent();
        assertThat(discover.options().codeAt(discover.options().size() - 1)).isEqualTo(OptionCode.RELAY_AGENT_INFORMATION);
        DhcpMessage offer = DhcpCodec.decode(HexFixtures.resource("captured/kea-offer-to-relayed.hex"));
        assertThat(offer.relayAgentInformation()).contains(added);
        assertThat(offer.giaddr()).isEqualTo(discover.giaddr());
    }

    private static String name(Path file) {
        String n = file.getFileName().toString();
        return n.substring(0, n.length() - ".hex".length());
    }

    private static byte[] withoutTrailingZeros(byte[] b) {
        int end = b.length;
        while (end > 0 && b[end - 1] == 0) {
            end--;
        }
        return Arrays.copyOf(b, end);
    }
}
