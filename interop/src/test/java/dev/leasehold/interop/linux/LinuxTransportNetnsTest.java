package dev.leasehold.interop.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.testkit.netns.CommandResult;
import dev.leasehold.testkit.netns.LabProcess;
import dev.leasehold.testkit.netns.LabRequirements;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Linux transport against traffic from other namespaces (RFC 2131 §4.1 reply delivery,
 * DESIGN §5): which interface a broadcast arrived on, broadcast and link-layer unicast replies as
 * a client sees them on the wire, replies leaving by the arrival interface of a multi-homed
 * server, interfaces appearing later, a port already taken, and the ICMP ping check.
 */
@Tag("netns")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LinuxTransportNetnsTest {

    private static final Duration EVENT = Duration.ofSeconds(15);

    private static TwoLanServer lan;

    @BeforeAll
    static void buildLan() throws Exception {
        Optional<String> unmet = LabRequirements.unmetReason("tcpdump");
        Assumptions.assumeTrue(unmet.isEmpty(), () -> unmet.orElseThrow());
        Assumptions.assumeTrue(Files.isExecutable(Path.of(TwoLanServer.PYTHON)),
                "the DHCPDISCOVER sender needs " + TwoLanServer.PYTHON + " (Debian package python3)");
        lan = TwoLanServer.create();
    }

    @AfterAll
    static void removeLan() {
        if (lan != null) {
            lan.close();
        }
    }

    @Test
    void broadcastDiscoverArrivesOnTheServerInterfaceAndTheBroadcastReplyReachesTheClient() {
        String iface = lan.server.interfaceName();
        int index = lan.interfaceIndex(lan.server.namespace(), iface);
        try (LabProcess probe = lan.startTransportProbe("probe-broadcast", iface, "broadcast")) {
            CommandResult client = lan.discover(lan.lan1Client, false, 10);

            assertThat(client.output()).contains("REPLY from=" + TwoLanServer.LAN1_SERVER + ":67");
            assertThat(probe.output()).contains("ARRIVAL iface=" + iface + " index=" + index
                    + " local=" + TwoLanServer.LAN1_SERVER + " broadcast=true source=0.0.0.0:68 length=300");
            assertThat(probe.output()).contains("SENT destination=Broadcast[port=68, interfaceName=" + iface + "]");
        }
    }

    @Test
    void linkLayerReplyReachesTheClientMacAtYiaddr() {
        String iface = lan.server.interfaceName();
        try (LabProcess probe = lan.startTransportProbe("probe-linklayer", iface, "linklayer:192.0.2.77");
             LabProcess capture = lan.capture("capture-linklayer", lan.lan1Client, 1)) {
            assertThat(probe.output()).contains("READY linklayer=true");

            lan.discover(lan.lan1Client, false, 0).requireSuccess();
            capture.awaitExit(EVENT);

            // tcpdump -e -vv: "SRCMAC > DSTMAC, ethertype IPv4 ... 192.0.2.1.67 > 192.0.2.77.68: [udp sum ok]"
            String frame = capture.output();
            assertThat(frame).contains(lan.server.mac() + " > " + lan.lan1Client.mac() + ", ethertype IPv4");
            assertThat(frame).contains("ttl 64").contains("flags [DF]").contains("proto UDP (17)");
            assertThat(frame).contains(TwoLanServer.LAN1_SERVER + ".67 > 192.0.2.77.68: [udp sum ok]");
            assertThat(frame).doesNotContain("bad cksum");
            assertThat(frame).contains("Reply");
            assertThat(probe.output()).contains("SENT destination=LinkLayerUnicast");
        }
    }

    @Test
    void multiHomedServerAnswersOutOfTheArrivalInterfaceOnly() {
        String both = lan.server.interfaceName() + "," + lan.lan2Interface;
        try (LabProcess probe = lan.startTransportProbe("probe-multihomed", both, "broadcast");
             LabProcess otherLan = lan.capture("capture-lan1-silent", lan.lan1Client, 1)) {
            CommandResult client = lan.discover(lan.lan2Client, false, 10);

            assertThat(client.output()).contains("REPLY from=" + TwoLanServer.LAN2_SERVER + ":67");
            assertThat(probe.output()).contains("ARRIVAL iface=" + lan.lan2Interface + " index="
                    + lan.interfaceIndex(lan.server.namespace(), lan.lan2Interface)
                    + " local=" + TwoLanServer.LAN2_SERVER + " broadcast=true");
            sleep(1_000);
            otherLan.stop(Duration.ofSeconds(3));
            assertThat(otherLan.output()).contains("0 packets captured");
        }
    }

    @Test
    void multiHomedLinkLayerReplyComesFromTheArrivalInterfaceAddress() {
        String both = lan.server.interfaceName() + "," + lan.lan2Interface;
        try (LabProcess probe = lan.startTransportProbe("probe-multihomed-ll", both, "linklayer:198.51.100.77");
             LabProcess capture = lan.capture("capture-lan2-linklayer", lan.lan2Client, 1)) {
            lan.discover(lan.lan2Client, false, 0).requireSuccess();
            capture.awaitExit(EVENT);

            assertThat(capture.output()).contains(lan.lan2Mac + " > " + lan.lan2Client.mac() + ", ethertype IPv4");
            assertThat(capture.output()).contains(TwoLanServer.LAN2_SERVER + ".67 > 198.51.100.77.68: [udp sum ok]");
            assertThat(probe.output()).contains("ARRIVAL iface=" + lan.lan2Interface);
        }
    }

    @Test
    void everyInterfaceServesAnAddressedClientByUnicast() {
        String client = "192.0.2.50";
        String ns = lan.lan1Client.namespace();
        lan.lab.exec(ns, TwoLanServer.COMMAND_TIMEOUT, "ip", "addr", "add", client + "/24", "dev",
                lan.lan1Client.interfaceName()).requireSuccess();
        try (LabProcess probe = lan.startTransportProbe("probe-star-unicast", "*", "unicast")) {
            assertThat(probe.output())
                    .contains("STATUS name=" + lan.server.interfaceName() + " state=SERVING")
                    .contains("STATUS name=" + lan.lan2Interface + " state=SERVING")
                    .doesNotContain("STATUS name=lo ");

            CommandResult reply = lan.discover(lan.lan1Client, false, 10, TwoLanServer.LAN1_SERVER, client);

            assertThat(reply.output()).contains("REPLY from=" + TwoLanServer.LAN1_SERVER + ":67");
            assertThat(probe.output()).contains("ARRIVAL iface=" + lan.server.interfaceName()
                    + " index=" + lan.interfaceIndex(lan.server.namespace(), lan.server.interfaceName())
                    + " local=" + TwoLanServer.LAN1_SERVER + " broadcast=false source=" + client + ":68");
        } finally {
            lan.lab.exec(ns, TwoLanServer.COMMAND_TIMEOUT, "ip", "addr", "flush", "dev", lan.lan1Client.interfaceName());
        }
    }

    @Test
    void interfaceThatAppearsAfterStartIsServedAndOneThatGoesIsDropped() {
        String late = lan.lan2Interface.substring(0, lan.lan2Interface.length() - 1) + "3";
        try (LabProcess probe = lan.startTransportProbe("probe-late", late, "broadcast")) {
            assertThat(probe.output()).contains("STATUS name=" + late + " state=MISSING")
                    .contains("does not exist; it will be served as soon as it appears");

            lan.addServerInterface(late, lan.lan2Mac.substring(0, 12) + "00:03", "ps3", "br0", "192.0.2.3/24");
            probe.awaitOutput("STATUS name=" + late + " state=SERVING", EVENT);
            CommandResult client = lan.discover(lan.lan1Client, false, 10);

            assertThat(client.output()).contains("REPLY from=192.0.2.3:67");
            assertThat(probe.output()).contains("ARRIVAL iface=" + late);

            lan.deleteServerInterface(late);
            probe.awaitOutput("went away; closed its socket", EVENT);
            assertThat(probe.isAlive()).isTrue();
        } finally {
            lan.lab.exec(lan.server.namespace(), TwoLanServer.COMMAND_TIMEOUT, "ip", "link", "del", late);
        }
    }

    @Test
    void interfaceDownAtStartIsReportedAndServedOnceItComesUp() {
        String iface = lan.lan2Interface;
        String srv = lan.server.namespace();
        lan.lab.exec(srv, TwoLanServer.COMMAND_TIMEOUT, "ip", "link", "set", iface, "down").requireSuccess();
        try (LabProcess probe = lan.startTransportProbe("probe-down", iface, "broadcast")) {
            assertThat(probe.output()).contains("STATUS name=" + iface + " state=SERVING")
                    .contains("interface " + iface + " is down; it will be served when it comes up");

            lan.lab.exec(srv, TwoLanServer.COMMAND_TIMEOUT, "ip", "link", "set", iface, "up").requireSuccess();
            probe.awaitOutput("STATUS name=" + iface + " state=SERVING index="
                    + lan.interfaceIndex(srv, iface) + " addresses=[" + TwoLanServer.LAN2_SERVER + "/24] detail=\n", EVENT);

            assertThat(lan.discover(lan.lan2Client, false, 10).output())
                    .contains("REPLY from=" + TwoLanServer.LAN2_SERVER + ":67");
        } finally {
            lan.lab.exec(srv, TwoLanServer.COMMAND_TIMEOUT, "ip", "link", "set", iface, "up");
        }
    }

    @Test
    void portTakenOnOneInterfaceIsReportedTheOtherIsServedAndTheFirstIsTakenWhenFreed() {
        String first = lan.server.interfaceName();
        try (LabProcess squatter = lan.holdPort(first, 67);
             LabProcess probe = lan.startTransportProbe("probe-port-taken", first + "," + lan.lan2Interface, "broadcast")) {
            assertThat(probe.output())
                    .contains("STATUS name=" + first + " state=FAILED")
                    .contains("interface " + first + ": bind(0.0.0.0:67): Address already in use (EADDRINUSE)")
                    .contains("STATUS name=" + lan.lan2Interface + " state=SERVING");
            assertThat(lan.discover(lan.lan2Client, false, 10).output()).contains("REPLY from=" + TwoLanServer.LAN2_SERVER);

            squatter.stop(Duration.ofSeconds(3));
            probe.awaitOutput("STATUS name=" + first + " state=SERVING", EVENT);

            assertThat(lan.discover(lan.lan1Client, false, 10).output()).contains("REPLY from=" + TwoLanServer.LAN1_SERVER);
        }
    }

    @Test
    void unprivilegedUserWithOnlyBindAndRawCapabilitiesServesWithLinkLayerReplies() throws Exception {
        String iface = lan.server.interfaceName();
        try (LabProcess probe = lan.startUnprivilegedTransportProbe("probe-caps", iface, "linklayer:192.0.2.78",
                     "+net_bind_service,+net_raw");
             LabProcess capture = lan.capture("capture-caps", lan.lan1Client, 1)) {
            probe.awaitOutput("READY", TwoLanServer.JVM_START);
            assertThat(probe.output()).as(probe.tail()).contains("READY linklayer=true");

            lan.discover(lan.lan1Client, false, 0).requireSuccess();
            capture.awaitExit(EVENT);

            assertThat(capture.output()).contains(lan.server.mac() + " > " + lan.lan1Client.mac())
                    .contains(TwoLanServer.LAN1_SERVER + ".67 > 192.0.2.78.68: [udp sum ok]");
        }
    }

    @Test
    void unprivilegedUserWithoutCapabilitiesIsToldWhichOneToGrant() throws Exception {
        try (LabProcess probe = lan.startUnprivilegedTransportProbe("probe-nocaps", lan.server.interfaceName(),
                "broadcast", "")) {
            assertThat(probe.awaitExit(TwoLanServer.JVM_START)).as(probe.tail()).isEqualTo(3);

            assertThat(probe.output())
                    .contains("OPEN-FAILED cannot serve any interface")
                    .contains("bind(0.0.0.0:67): Permission denied (EACCES)")
                    .contains("CAP_NET_BIND_SERVICE")
                    .contains("link-layer unicast is unavailable")
                    .contains("CAP_NET_RAW");
        }
    }

    @Test
    void pingCheckSeesAnAnsweringHostAndASilentAddress() {
        String client = "192.0.2.51";
        String ns = lan.lan1Client.namespace();
        lan.lab.exec(ns, TwoLanServer.COMMAND_TIMEOUT, "ip", "addr", "add", client + "/24", "dev",
                lan.lan1Client.interfaceName()).requireSuccess();
        try {
            assertThat(lan.runIcmpProbe("RAW", client, 1_000).output()).contains("MODE=RAW ANSWERED=true");
            assertThat(lan.runIcmpProbe("RAW", "192.0.2.99", 500).output()).contains("MODE=RAW ANSWERED=false");

            // Ping sockets are off until ping_group_range admits the group (a per-namespace sysctl).
            lan.lab.exec(lan.server.namespace(), TwoLanServer.COMMAND_TIMEOUT, "sysctl", "-w",
                    "net.ipv4.ping_group_range=0 2147483647").requireSuccess();
            assertThat(lan.runIcmpProbe("AUTO", client, 1_000).output()).contains("MODE=DATAGRAM ANSWERED=true");
            assertThat(lan.runIcmpProbe("DATAGRAM", "192.0.2.99", 500).output()).contains("MODE=DATAGRAM ANSWERED=false");
        } finally {
            lan.lab.exec(lan.server.namespace(), TwoLanServer.COMMAND_TIMEOUT, "sysctl", "-w",
                    "net.ipv4.ping_group_range=1 0");
            lan.lab.exec(ns, TwoLanServer.COMMAND_TIMEOUT, "ip", "addr", "flush", "dev", lan.lan1Client.interfaceName());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
