package dev.leasehold.interop.leasehold;

import static dev.leasehold.interop.leasehold.LabAssumptions.assumeBinaries;
import static dev.leasehold.interop.leasehold.LabAssumptions.assumeLabAvailable;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.cli.Main;
import dev.leasehold.config.ClientClassConfig;
import dev.leasehold.config.ConfigException;
import dev.leasehold.config.ConfigLoader;
import dev.leasehold.config.OptionSetting;
import dev.leasehold.config.ServerConfig;
import dev.leasehold.config.SubnetConfig;
import dev.leasehold.lease.Lease;
import dev.leasehold.lease.LeaseState;
import dev.leasehold.testkit.netns.Await;
import dev.leasehold.testkit.netns.DhcpCapture;
import dev.leasehold.testkit.netns.DhcpCapture.Packet;
import dev.leasehold.testkit.netns.Dhclient;
import dev.leasehold.testkit.netns.Dhcpcd;
import dev.leasehold.testkit.netns.LabNode;
import dev.leasehold.testkit.netns.LabProcess;
import dev.leasehold.testkit.netns.LabSpec;
import dev.leasehold.testkit.netns.LeaseholdServerProcess;
import dev.leasehold.testkit.netns.NetnsLab;
import dev.leasehold.testkit.netns.RealClient;
import dev.leasehold.wire.MessageType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The migration issue 17 asks for, end to end with the real servers: in a lab of its own, Kea,
 * ISC dhcpd or dnsmasq (started from a configuration this test writes, in the server namespace)
 * leases addresses to dhclient and dhcpcd; the test then stops that server, runs
 * {@code leasehold import <server>-config} and {@code leasehold import <server>-leases} as an
 * operator would, starts Leasehold from the imported file on the same interface, and watches each
 * client renew at T1 (RFC 2131 §4.4.5: a unicast REQUEST from RENEWING) and get a DHCPACK from
 * Leasehold for the address it already has: no DHCPNAK, no new DISCOVER, the same address on its
 * interface, and Leasehold's store extending the imported lease. dhcpcd identifies itself with a
 * DUID client id (RFC 4361), dhclient with its MAC only, so both ways of keeping client identity
 * are crossed.
 *
 * <p>Leases are 120 s (dnsmasq's floor), T1 40 s, T2 100 s: the clients renew some 30–40 s
 * after binding, by which time Leasehold serves. The three servers run side by side, one lab each,
 * about a minute in all.
 */
@Tag("netns")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MigrationRoundTripTest {

    private static final int VALID = 120;
    private static final int T1 = 40;
    private static final int T2 = 100;
    private static final Duration BIND = Duration.ofSeconds(30);
    private static final Duration STOP = Duration.ofSeconds(10);
    /**
     * From Leasehold serving to its ACK of a renewal: T1 after binding at the latest, or, when
     * Leasehold came up after T1 on a loaded machine, the client's retry halfway to T2.
     */
    private static final Duration RENEWAL = Duration.ofSeconds(T2);
    private static final String SERVER = "192.0.2.1";

    /** One source server: how to write its configuration, start it, and where it keeps its leases. */
    enum Source {
        KEA("kea-dhcp4", "kea"), DHCPD("dhcpd", "dhcpd"), DNSMASQ("dnsmasq", "dnsmasq");

        final String binary;
        final String importName;

        Source(String binary, String importName) {
            this.binary = binary;
            this.importName = importName;
        }
    }

    @BeforeAll
    void labAvailable() {
        assumeLabAvailable("tshark", "dhclient", "dhcpcd");
    }

    Stream<Source> sources() {
        return Stream.of(Source.values());
    }

    @ParameterizedTest(name = "{0}")
    @Execution(ExecutionMode.CONCURRENT)
    @MethodSource("sources")
    void clientsOfTheOldServerRenewTheirAddressesWithLeasehold(Source source) throws IOException {
        assumeBinaries(source.binary);
        try (NetnsLab lab = NetnsLab.create(LabSpec.singleLan(2))) {
            String iface = lab.server().interfaceName();
            DhcpCapture capture = DhcpCapture.start(lab, lab.server());
            Started old = start(source, lab, iface);

            List<RealClient> clients = List.of(new Dhclient(), new Dhcpcd());
            List<String> addresses = new ArrayList<>();
            List<LabProcess> running = new ArrayList<>();
            for (int i = 0; i < clients.size(); i++) {
                running.add(clients.get(i).start(lab, lab.client(i)));
            }
            for (int i = 0; i < clients.size(); i++) {
                // dhcpcd may take an IPv4 link-local address (RFC 3927) while it still ARP-probes the offer.
                LabNode node = lab.client(i);
                String cidr = Await.value("a lease of 192.0.2.0/24 on " + node.interfaceName(), BIND,
                        () -> lab.ipv4Addresses(node).stream().filter(a -> a.startsWith("192.0.2.")).findFirst());
                assertThat(cidr).as(running.get(i).tail()).matches("192\\.0\\.2\\.1\\d\\d/24");
                addresses.add(cidr.substring(0, cidr.indexOf('/')));
            }
            for (int i = 0; i < clients.size(); i++) {
                String mac = lab.client(i).mac();
                Await.until(source + " to record the lease of " + mac, STOP, () -> read(old.leases()).contains(mac));
            }
            int mark = capture.mark();
            old.process().stop(STOP);

            // --- the operator's two commands, then Leasehold on the imported configuration
            Path yaml = lab.workDir().resolve("imported.yaml");
            List<String> importConfig = new ArrayList<>(List.of("import", source.importName + "-config",
                    old.config().toString(), "--output", yaml.toString()));
            if (source == Source.DHCPD) {
                importConfig.addAll(List.of("--interface", iface)); // dhcpd has them on its command line
            }
            int configExit = Main.run(importConfig.toArray(String[]::new));
            assertThat(configExit).as("import %s-config", source.importName).isZero();
            String imported = Files.readString(yaml);
            // LeaseholdServerProcess names the data directory after the process: "leasehold-data".
            Path config = lab.workDir().resolve("leasehold.yaml");
            Files.writeString(config, "data-directory: \"" + lab.workDir().resolve("leasehold-data") + "\"\n" + imported);
            assertImportedSettings(source, config);
            int leasesExit = Main.run("import", source.importName + "-leases", old.leases().toString(),
                    "--config", config.toString());
            assertThat(leasesExit).as("import %s-leases", source.importName).isZero();

            LeaseholdServerProcess leasehold = LeaseholdServerProcess.start(lab, lab.server().namespace(), "leasehold", imported);
            Instant serving = Instant.now();
            Map<String, Lease> importedLeases = new java.util.HashMap<>();
            for (int i = 0; i < clients.size(); i++) {
                List<Lease> stored = leasehold.leasesOf(lab.client(i).mac());
                assertThat(stored).as("imported lease of %s", clients.get(i)).singleElement()
                        .satisfies(l -> assertThat(l.state()).isEqualTo(LeaseState.ACTIVE));
                importedLeases.put(lab.client(i).mac(), stored.getFirst());
            }

            for (int i = 0; i < clients.size(); i++) {
                LabNode node = lab.client(i);
                String mac = node.mac();
                String address = addresses.get(i);
                assertThat(importedLeases.get(mac).address().toString()).isEqualTo(address);
                // A renewal sent while no server ran yet goes unanswered; the client retries (RFC 2131 §4.4.5).
                Packet ack = capture.await("Leasehold's ACK of " + clients.get(i) + "'s renewal", mark, RENEWAL,
                        p -> p.mac().equals(mac) && p.is(MessageType.ACK) && p.time().isAfter(serving));
                assertThat(ack.yiaddr()).isEqualTo(address);
                Packet renewal = capture.packetsSince(mark).stream()
                        .filter(p -> p.mac().equals(mac) && p.is(MessageType.REQUEST) && p.time().isBefore(ack.time()))
                        .reduce((earlier, later) -> later).orElseThrow();
                assertThat(renewal.requestState()).as(DhcpCapture.describe(capture.packetsSince(mark))).contains("RENEWING");
                assertThat(renewal.ciaddr()).isEqualTo(address);
                List<Packet> since = capture.packetsSince(mark).stream().filter(p -> p.mac().equals(mac)).toList();
                assertThat(since).as(DhcpCapture.describe(since))
                        .noneMatch(p -> p.is(MessageType.NAK) || p.is(MessageType.DISCOVER));
                assertThat(lab.ipv4Addresses(node)).contains(address + "/24");
                Lease renewed = leasehold.leasesOf(mac).getFirst();
                assertThat(renewed.address().toString()).isEqualTo(address);
                assertThat(renewed.state()).isEqualTo(LeaseState.ACTIVE);
                assertThat(renewed.expiresAt()).isAfter(importedLeases.get(mac).expiresAt());
                assertThat(renewed.clientId()).isEqualTo(importedLeases.get(mac).clientId());
            }
            leasehold.stop(STOP);
        }
    }

    /** What each source's configuration holds besides the pool: the subnet id, the reservation, the class, the site option. */
    private static void assertImportedSettings(Source source, Path config) {
        ServerConfig loaded;
        try {
            loaded = ConfigLoader.load(config);
        } catch (ConfigException e) {
            throw new AssertionError("the imported configuration does not load: " + e.getMessage(), e);
        }
        SubnetConfig subnet = loaded.subnets().getFirst();
        assertThat(subnet.id()).isEqualTo(source == Source.KEA ? 7 : 1);
        assertThat(subnet.reservations()).singleElement()
                .satisfies(r -> assertThat(r.address().toString()).isEqualTo("192.0.2.10"));
        assertThat(loaded.clientClasses()).extracting(ClientClassConfig::name).containsExactly("phones");
        assertThat(loaded.options()).extracting(OptionSetting::code).contains(6, 15, 252);
        if (source == Source.KEA) {
            assertThat(subnet.relayAddresses()).extracting(Object::toString).containsExactly("198.51.100.254");
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** The old server as the test started it, and the files an operator would hand to the import. */
    record Started(LabProcess process, Path config, Path leases) {
    }

    private static Started start(Source source, NetnsLab lab, String iface) {
        Path dir = lab.workDir();
        String ns = lab.server().namespace();
        try {
            return switch (source) {
                case KEA -> {
                    Path config = dir.resolve("kea-dhcp4.conf");
                    Path leases = dir.resolve("kea-leases4.csv");
                    Files.writeString(config, """
                            // Written by MigrationRoundTripTest: Kea's own syntax, comments included.
                            { "Dhcp4": {
                                "interfaces-config": { "interfaces": [ "%s" ] },
                                "lease-database": { "type": "memfile", "persist": true, "name": "%s", "lfc-interval": 0 },
                                "valid-lifetime": %d, "renew-timer": %d, "rebind-timer": %d,
                                "option-def": [ { "name": "wpad", "code": 252, "type": "string" } ],
                                "option-data": [
                                  { "name": "domain-name-servers", "data": "192.0.2.53, 192.0.2.54" },
                                  { "name": "domain-name", "data": "lab.example" },
                                  { "name": "wpad", "data": "http://wpad.lab.example/wpad.dat" } ],
                                "client-classes": [ { "name": "phones", "test": "substring(option[60].hex,0,7) == 'Polycom'",
                                                      "option-data": [ { "name": "tftp-server-name", "data": "tftp.lab.example" } ] } ],
                                "subnet4": [ {
                                    "id": 7, "subnet": "192.0.2.0/24",
                                    "pools": [ { "pool": "192.0.2.100 - 192.0.2.199" },
                                               { "pool": "192.0.2.200 - 192.0.2.209", "client-class": "phones" } ],
                                    "relay": { "ip-addresses": [ "198.51.100.254" ] },
                                    "option-data": [ { "name": "routers", "data": "192.0.2.1" } ],
                                    "reservations": [ { "hw-address": "02:00:00:00:00:99", "ip-address": "192.0.2.10", "hostname": "printer" } ]
                                } ],
                                "loggers": [ { "name": "kea-dhcp4", "severity": "INFO", "output_options": [ { "output": "stdout" } ] } ]
                            } }
                            """.formatted(iface, leases, VALID, T1, T2));
                    LabProcess kea = lab.start("kea", ns, List.of("kea-dhcp4", "-c", config.toString()),
                            Map.of("KEA_PIDFILE_DIR", dir.toString(), "KEA_LOCKFILE_DIR", dir.toString()));
                    kea.awaitOutput("DHCP4_STARTED", Duration.ofSeconds(15));
                    yield new Started(kea, config, leases);
                }
                case DHCPD -> {
                    Path config = dir.resolve("dhcpd.conf");
                    Path leases = dir.resolve("dhcpd.leases");
                    Files.writeString(config, """
                            # Written by MigrationRoundTripTest.
                            authoritative;
                            ddns-update-style none;
                            default-lease-time %d;
                            max-lease-time %d;
                            option dhcp-renewal-time %d;
                            option dhcp-rebinding-time %d;
                            option wpad code 252 = text;
                            option wpad "http://wpad.lab.example/wpad.dat";
                            option domain-name-servers 192.0.2.53, 192.0.2.54;
                            option domain-name "lab.example";
                            class "phones" { match if substring(option vendor-class-identifier, 0, 7) = "Polycom"; }
                            subnet 192.0.2.0 netmask 255.255.255.0 {
                              option routers 192.0.2.1;
                              pool { range 192.0.2.100 192.0.2.199; }
                              pool { allow members of "phones"; range 192.0.2.200 192.0.2.209; }
                            }
                            host printer { hardware ethernet 02:00:00:00:00:99; fixed-address 192.0.2.10; }
                            """.formatted(VALID, VALID, T1, T2));
                    Files.writeString(leases, "");
                    LabProcess dhcpd = lab.start("dhcpd", ns, List.of("dhcpd", "-4", "-f", "-d", "-cf", config.toString(),
                            "-lf", leases.toString(), "-pf", dir.resolve("dhcpd.pid").toString(), iface));
                    dhcpd.awaitOutput("Sending on", Duration.ofSeconds(10));
                    yield new Started(dhcpd, config, leases);
                }
                case DNSMASQ -> {
                    Path config = dir.resolve("dnsmasq.conf");
                    Path leases = dir.resolve("dnsmasq.leases");
                    Files.writeString(config, """
                            # Written by MigrationRoundTripTest: DHCP only.
                            port=0
                            interface=%s
                            bind-interfaces
                            dhcp-authoritative
                            dhcp-range=set:lan,192.0.2.100,192.0.2.199,255.255.255.0,%dm
                            dhcp-option=tag:lan,option:router,192.0.2.1
                            dhcp-option=option:dns-server,192.0.2.53,192.0.2.54
                            dhcp-option=option:domain-name,lab.example
                            dhcp-option=option:T1,%d
                            dhcp-option=option:T2,%d
                            dhcp-option=252,"http://wpad.lab.example/wpad.dat"
                            dhcp-vendorclass=set:phones,Polycom
                            dhcp-option=tag:phones,option:tftp-server,tftp.lab.example
                            dhcp-host=02:00:00:00:00:99,192.0.2.10,printer
                            dhcp-leasefile=%s
                            """.formatted(iface, VALID / 60, T1, T2, leases));
                    LabProcess dnsmasq = lab.start("dnsmasq", ns, List.of("dnsmasq", "--keep-in-foreground",
                            "--log-facility=-", "--log-dhcp", "--conf-file=" + config, "--user=root", "--group=root",
                            "--pid-file=" + dir.resolve("dnsmasq.pid")));
                    dnsmasq.awaitOutput("DHCP, IP range", Duration.ofSeconds(10));
                    yield new Started(dnsmasq, config, leases);
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
