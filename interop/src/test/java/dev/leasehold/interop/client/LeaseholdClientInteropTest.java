package dev.leasehold.interop.client;

import static dev.leasehold.interop.client.ClientLab.BIND;
import static dev.leasehold.interop.client.ClientLab.assumeLab;
import static dev.leasehold.interop.client.ClientLab.routeTo;
import static dev.leasehold.interop.client.ClientLab.startClient;
import static dev.leasehold.interop.client.ClientLab.startLeaseholdServer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.client.Binding;
import dev.leasehold.client.linux.LeaseFile;
import dev.leasehold.client.linux.NetworkNamespace;
import dev.leasehold.testkit.netns.Await;
import dev.leasehold.testkit.netns.Dnsmasq;
import dev.leasehold.testkit.netns.IscDhcpd;
import dev.leasehold.testkit.netns.KeaDhcp4;
import dev.leasehold.testkit.netns.LabNode;
import dev.leasehold.testkit.netns.LabProcess;
import dev.leasehold.testkit.netns.NetnsLab;
import dev.leasehold.testkit.netns.ReferenceServer;
import dev.leasehold.testkit.netns.ServerSettings;
import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.DhcpOptions;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import dev.leasehold.wire.MessageType;
import dev.leasehold.wire.OptionCode;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code leasehold client IFACE} as a child JVM in a lab namespace, against Kea, dnsmasq, ISC
 * dhcpd and Leasehold's own server: the lifecycle of RFC 2131 §4.4 on a real (virtual) Ethernet,
 * with short leases so each test takes seconds.
 */
@Tag("netns")
class LeaseholdClientInteropTest {

    private static final Duration SHORT = Duration.ofSeconds(15);

    /** A server the client is run against: how to start it, what it logs when a lease is released. */
    record Server(String name, String binary, BiFunction<NetnsLab, LabNode, LabProcess> start, String releaseMarker) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Leases of 20 s with T1 5 s and T2 10 s; dnsmasq cannot go below 120 s but honours T1 and T2 as options. */
    static Stream<Server> servers() {
        return Stream.of(
                reference(new KeaDhcp4(), 20),
                reference(new Dnsmasq(), 120),
                reference(new IscDhcpd(), 20),
                new Server("leasehold", "ip", (lab, node) -> startLeaseholdServer(lab, node, 20, 5, 10), "release"));
    }

    private static Server reference(ReferenceServer server, int lease) {
        return new Server(server.binary(), server.binary(), (lab, node) -> server.start(lab, node.namespace(),
                ServerSettings.forLab(lab).withLifetimes(lease, 5, 10)), server.releaseLogMarker());
    }

    @ParameterizedTest(name = "against {0}")
    @MethodSource("servers")
    void obtainsAppliesRenewsAndReleasesALease(Server server) {
        assumeLab(server.binary());
        try (NetnsLab lab = NetnsLab.create(1)) {
            LabProcess serving = server.start().apply(lab, lab.server());
            LabNode node = lab.client(0);
            ClientLab.RunningClient client = startClient(lab, node, "c", "--release-on-exit");

            String bound = client.awaitEvent("BOUND", BIND);
            String address = lab.awaitIpv4Address(node, SHORT);
            assertThat(address).as(client.process().tail()).matches("192\\.0\\.2\\.1\\d\\d/24");
            assertThat(bound).startsWith("BOUND " + address.substring(0, address.indexOf('/')) + " ");
            // Option 3 (or 121 from Leasehold, which wins over 3: RFC 3442) → routes in the client's namespace.
            assertThat(routeTo(lab, node, "default")).as("routes %s", lab.ipv4Routes(node)).isPresent()
                    .get().asString().startsWith("default via 192.0.2.1 dev " + node.interfaceName());
            if (server.name().equals("leasehold")) {
                assertThat(routeTo(lab, node, "198.51.100.0/24")).as("routes %s", lab.ipv4Routes(node)).isPresent();
                assertThat(ClientLab.linkShow(lab, node)).contains("mtu 1400");
            }
            assertThat(client.resolv()).contains("nameserver 192.0.2.53", "nameserver 192.0.2.54", "lab.example");
            assertThat(lab.resolvConf(node)).doesNotContain("192.0.2.53"); // the namespace's own file untouched
            assertThat(client.leaseFile()).exists();

            // T1 = 5 s: a unicast DHCPREQUEST, answered (RFC 2131 §4.4.5).
            String renewed = client.awaitEvent("RENEW", SHORT);
            assertThat(renewed).startsWith("RENEW " + address.substring(0, address.indexOf('/')) + " ");

            // SIGTERM with --release-on-exit: DHCPRELEASE, address and routes removed (§4.4.6).
            client.process().stop(Duration.ofSeconds(10));
            client.awaitEvent("RELEASE", SHORT);
            assertThat(lab.ipv4Addresses(node)).isEmpty();
            assertThat(routeTo(lab, node, "default")).isEmpty();
            serving.awaitOutput(server.releaseMarker(), SHORT);
            assertThat(client.leaseFile()).doesNotExist();
        }
    }

    @Test
    void rebindsToASecondServerWhenTheFirstIsGone() {
        assumeLab("kea-dhcp4", "dnsmasq");
        try (NetnsLab lab = NetnsLab.create(2)) {
            LabProcess first = new KeaDhcp4().start(lab, lab.server().namespace(), ServerSettings.forLab(lab).withLifetimes(20, 4, 8));
            LabNode node = lab.client(0);
            ClientLab.RunningClient client = startClient(lab, node, "c");
            client.awaitEvent("BOUND", BIND);
            String address = lab.awaitIpv4Address(node, SHORT);

            // A second server on the LAN (the other client namespace, given 192.0.2.2), then the first one goes.
            LabNode secondNode = lab.addAddress(lab.client(1), "192.0.2.2/24");
            new Dnsmasq().start(lab, secondNode.namespace(), new ServerSettings(java.util.List.of(secondNode.interfaceName()),
                    java.util.List.of(dev.leasehold.testkit.netns.LabSubnet.SERVER_LAN), java.util.List.of("192.0.2.53"),
                    "lab.example", 120, 60, 100));
            first.stop(Duration.ofSeconds(5));

            // T1 4 s: unicast to 192.0.2.1 goes unanswered; T2 8 s: broadcast, and dnsmasq answers (§4.4.5).
            String rebound = client.awaitEvent("REBIND", Duration.ofSeconds(20));
            String ip = address.substring(0, address.indexOf('/'));
            assertThat(rebound).isEqualTo("REBIND " + ip + " " + ip + " 192.0.2.2 192.0.2.1 " + node.interfaceName());
            assertThat(client.events()).noneMatch(e -> e.startsWith("RENEW "));
            assertThat(lab.ipv4Addresses(node)).containsExactly(address);
        }
    }

    @Test
    void leaseNobodyRenewsExpiresAndTheAddressIsRemoved() {
        assumeLab("kea-dhcp4");
        try (NetnsLab lab = NetnsLab.create(1)) {
            LabProcess kea = new KeaDhcp4().start(lab, lab.server().namespace(), ServerSettings.forLab(lab).withLifetimes(12, 4, 8));
            LabNode node = lab.client(0);
            ClientLab.RunningClient client = startClient(lab, node, "c", "--min-lease", "10s"); // below the 60 s default
            client.awaitEvent("BOUND", BIND);
            String address = lab.awaitIpv4Address(node, SHORT);
            kea.stop(Duration.ofSeconds(5));

            String expired = client.awaitEvent("EXPIRE", Duration.ofSeconds(20));
            assertThat(expired).startsWith("EXPIRE  " + address.substring(0, address.indexOf('/')));
            lab.awaitNoIpv4Address(node, Duration.ofSeconds(3));
            assertThat(routeTo(lab, node, "default")).isEmpty();
            assertThat(client.leaseFile()).doesNotExist();
            assertThat(client.process().isAlive()).isTrue(); // back in INIT, discovering
        }
    }

    @Test
    void rememberedLeaseTheServerRefusesIsNakedAndTheClientStartsOver() throws Exception {
        assumeLab();
        try (NetnsLab lab = NetnsLab.create(1)) {
            startLeaseholdServer(lab, lab.server(), 20, 5, 10);
            LabNode node = lab.client(0);
            // A lease from another network, remembered in the lease file: INIT-REBOOT asks for it (RFC 2131 §3.2).
            DhcpMessage oldAck = DhcpMessage.builder().op(DhcpMessage.BootOp.BOOTREPLY).xid(7)
                    .hardwareAddress(HardwareAddress.parseEthernet(node.mac())).yiaddr(Ipv4Address.parse("10.99.0.5"))
                    .options(DhcpOptions.builder().put(OptionCode.MESSAGE_TYPE, MessageType.ACK.code())
                            .put(OptionCode.SERVER_IDENTIFIER, Ipv4Address.parse("10.99.0.1"))
                            .put(OptionCode.SUBNET_MASK, Ipv4Address.parse("255.255.255.0"))
                            .putU32(OptionCode.LEASE_TIME, 3600).build()).build();
            new LeaseFile(lab.workDir().resolve("c.lease"), new LeaseFile.Owner(node.interfaceName(),
                    HardwareAddress.parseEthernet(node.mac()), NetworkNamespace.named(node.namespace())))
                    .save(Binding.from(oldAck, Instant.now()));

            ClientLab.RunningClient client = startClient(lab, node, "c");
            String nak = client.awaitEvent("NAK", BIND);
            assertThat(nak).startsWith("NAK  10.99.0.5");
            String bound = client.awaitEvent("BOUND", SHORT);
            assertThat(bound).startsWith("BOUND 192.0.2.1");
            assertThat(client.events().indexOf(nak)).isLessThan(client.events().indexOf(bound));
        }
    }

    @Test
    void restartWithARememberedLeaseRebootsIntoTheSameAddress() {
        assumeLab();
        try (NetnsLab lab = NetnsLab.create(1)) {
            startLeaseholdServer(lab, lab.server(), 60, 30, 50);
            LabNode node = lab.client(0);
            ClientLab.RunningClient first = startClient(lab, node, "c");
            first.awaitEvent("BOUND", BIND);
            String address = lab.awaitIpv4Address(node, SHORT);
            first.process().stop(Duration.ofSeconds(10)); // no --release-on-exit: the lease stays ours
            assertThat(lab.ipv4Addresses(node)).containsExactly(address);

            ClientLab.RunningClient second = startClient(lab, node, "c");
            String reboot = second.awaitEvent("REBOOT", BIND);
            assertThat(reboot).startsWith("REBOOT " + address.substring(0, address.indexOf('/')) + " ");
            assertThat(lab.ipv4Addresses(node)).containsExactly(address);
        }
    }

    @Test
    void addressInUseIsDeclinedAndAnotherOneTaken() {
        assumeLab();
        try (NetnsLab lab = NetnsLab.create(2)) {
            LabProcess server = startLeaseholdServer(lab, lab.server(), 60, 30, 50);
            // Someone uses 192.0.2.100, the first address iterative allocation offers, without a lease.
            lab.addAddress(lab.client(1), "192.0.2.100/24");
            LabNode node = lab.client(0);
            ClientLab.RunningClient client = startClient(lab, node, "c", "--decline-wait", "1s");
            String bound = client.awaitEvent("BOUND", BIND);
            assertThat(bound).doesNotStartWith("BOUND 192.0.2.100 ");
            assertThat(client.process().output()).contains("DHCPDECLINE sent for 192.0.2.100");
            Await.until("the server to log the decline", SHORT, () -> server.output().toLowerCase().contains("decline"));
        }
    }

    @Test
    void informFetchesOptionsForAStaticallyConfiguredInterface() throws Exception {
        assumeLab("kea-dhcp4");
        try (NetnsLab lab = NetnsLab.create(1)) {
            new KeaDhcp4().start(lab, lab.server().namespace(), ServerSettings.forLab(lab));
            LabNode node = lab.addAddress(lab.client(0), "192.0.2.50/24");
            ClientLab.RunningClient client = startClient(lab, node, "c", "--inform", "--timeout", "20s");
            assertThat(client.process().awaitExit(Duration.ofSeconds(30))).as(client.process().tail()).isZero();
            assertThat(client.resolv()).contains("nameserver 192.0.2.53");
            assertThat(client.events()).anyMatch(e -> e.startsWith("INFORM "));
            assertThat(lab.ipv4Addresses(node)).containsExactly("192.0.2.50/24");
            assertThat(Files.exists(client.leaseFile())).isFalse();
        }
    }
}
