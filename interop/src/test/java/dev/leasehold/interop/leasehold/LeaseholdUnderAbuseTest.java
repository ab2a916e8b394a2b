package dev.leasehold.interop.leasehold;

import static dev.leasehold.interop.leasehold.LabAssumptions.assumeLabAvailable;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.lease.Lease;
import dev.leasehold.lease.LeaseState;
import dev.leasehold.testkit.netns.Await;
import dev.leasehold.testkit.netns.DhcRelay;
import dev.leasehold.testkit.netns.DhcpCapture;
import dev.leasehold.testkit.netns.DhcpCapture.Packet;
import dev.leasehold.testkit.netns.Dhclient;
import dev.leasehold.testkit.netns.JavaCommand;
import dev.leasehold.testkit.netns.LabNode;
import dev.leasehold.testkit.netns.LabProcess;
import dev.leasehold.testkit.netns.LabSpec;
import dev.leasehold.testkit.netns.LeaseholdServerProcess;
import dev.leasehold.testkit.netns.NetnsLab;
import dev.leasehold.testkit.netns.Relay;
import dev.leasehold.testkit.netns.Udhcpc;
import dev.leasehold.wire.MessageType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 20 on a real (namespace) LAN: {@code leasehold serve} with {@code limits} under the
 * abuse they are for, with real clients that must keep being served.
 *
 * <pre>
 *   server 192.0.2.1 ── br0 ── c1 dhclient (has a lease, keeps renewing)
 *                           ├─ c2 attacker: random-MAC DISCOVER flood (raw frames), later a relay poser
 *                           ├─ c3 udhcpc, a new client arriving during the flood
 *                           └─ relay 192.0.2.2 / 198.51.100.1 ── br1 ── d1 udhcpc behind dhcrelay -a
 * </pre>
 *
 * <ol>
 *   <li>A DISCOVER flood from random MACs on the server's LAN, about 500/s: offers to unknown
 *       clients never hold more than {@code unknown-offer-share} of the pool, the rest are dropped
 *       as OFFER_SHARE_LIMIT or RATE_LIMITED; the known client's renewals are acknowledged
 *       throughout (RFC 2131 §4.4.5); the new client gets an address, at the latest once the
 *       flood's offers lapse.</li>
 *   <li>A flood of whole relayed exchanges from one circuit (option 82 circuit id, RFC 3046
 *       §2.0) through a trusted relay address: the circuit ends with {@code max-leases} leases
 *       and no more, while a client on another circuit of the same subnet gets its address.</li>
 *   <li>A host on the LAN setting giaddr itself, not a trusted relay: dropped as RELAY_UNTRUSTED.</li>
 * </ol>
 *
 * <p>Every flood is bounded in count and time, and stays inside the lab's namespaces.
 */
@Tag("netns")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class LeaseholdUnderAbuseTest {

    private static final String PYTHON = "/usr/bin/python3";
    private static final Duration BIND = Duration.ofSeconds(30);
    private static final Duration STEP = Duration.ofSeconds(15);
    private static final String TOKEN = "abuse-lab-token-0123456789";
    /** 32 pool addresses on the server's LAN, 25 %: eight offers to unknown clients at once. */
    private static final int SHARE_OF_LAN_POOL = 8;
    private static final int LEASES_PER_CIRCUIT = 3;
    private static final int FLOOD_RATE = 500;
    private static final int FLOOD_SECONDS = 12;
    private static final Duration OFFER_HOLD = Duration.ofSeconds(5);
    /** Locally administered MACs 06:66:…: the flood's clients, told apart from the lab's 02:… nodes. */
    private static final String FLOOD_MAC_PREFIX = "06:66:";

    /**
     * Random-MAC DISCOVERs as raw Ethernet frames from 0.0.0.0 (how dhcpstarv or yersinia do it),
     * paced to RATE per second for SECONDS. scapy builds one frame; each copy gets its own source
     * MAC, chaddr and xid (the UDP checksum is 0, "none", RFC 768, so the copies stay valid).
     * argv: IFACE RATE SECONDS MAC-PREFIX-HEX
     */
    private static final String FLOOD_SCRIPT = """
            import os, socket, sys, time
            from scapy.all import Ether, IP, UDP, BOOTP, DHCP
            iface, rate, seconds, prefix = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), bytes.fromhex(sys.argv[4])
            frame = bytearray(bytes(Ether(src='06:66:00:00:00:00', dst='ff:ff:ff:ff:ff:ff')
                    / IP(src='0.0.0.0', dst='255.255.255.255') / UDP(sport=68, dport=67, chksum=0)
                    / BOOTP(chaddr=b'\\0' * 16, xid=0) / DHCP(options=[('message-type', 'discover'), 'end'])))
            XID, CHADDR = 14 + 20 + 8 + 4, 14 + 20 + 8 + 28
            s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
            s.bind((iface, 0))
            total, sent, start = int(rate * seconds), 0, time.monotonic()
            print('flooding', flush=True)
            while sent < total:
                wait = start + sent / rate - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
                mac = prefix + os.urandom(6 - len(prefix))
                frame[6:12] = mac
                frame[CHADDR:CHADDR + 6] = mac
                frame[XID:XID + 4] = os.urandom(4)
                s.send(frame)
                sent += 1
            print('sent %d in %.1f s' % (sent, time.monotonic() - start), flush=True)
            """;

    private NetnsLab lab;
    private LeaseholdServerProcess leasehold;
    private DhcpCapture capture;
    private Path floodScript;

    @BeforeAll
    void startLeasehold() throws IOException {
        assumeLabAvailable("dhclient", "udhcpc", "dhcrelay", "tshark");
        Assumptions.assumeTrue(Files.isExecutable(Path.of(PYTHON)), "the flood needs " + PYTHON);
        lab = NetnsLab.create(LabSpec.singleLan(3).withRelayedLan(1));
        Assumptions.assumeTrue(lab.exec(lab.client(1), STEP, PYTHON, "-c", "import scapy.all").succeeded(),
                "the flood needs scapy (Debian package python3-scapy)");
        floodScript = Files.writeString(lab.workDir().resolve("discover-flood.py"), FLOOD_SCRIPT);
        Path token = lab.workDir().resolve("api.token");
        Files.writeString(token, TOKEN + "\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        String relay = lab.relay().orElseThrow().upstream().ipv4().orElseThrow();
        leasehold = LeaseholdServerProcess.start(lab, lab.server().namespace(), "leasehold", """
                interfaces: [%s]
                authoritative: true
                allocation: iterative
                offer-hold: %ds
                valid-lifetime: 30
                min-lifetime: 30
                max-lifetime: 30
                renew-timer: 8
                rebind-timer: 20
                control: {token-file: "%s"}
                limits:
                  trusted-relays: [%s]
                subnets:
                  - id: 1
                    subnet: 192.0.2.0/24
                    pools: [{range: 192.0.2.100-192.0.2.131}]
                    options: {routers: 192.0.2.1}
                    limits:
                      new-clients: {rate: 20/s, burst: 20, per: subnet}
                      unknown-offer-share: 25%%
                      trusted-relays: [%s]
                  - id: 2
                    subnet: 198.51.100.0/24
                    pools: [{range: 198.51.100.100-198.51.100.199}]
                    options: {routers: 198.51.100.1}
                    limits:
                      new-clients: {rate: 10/s, burst: 10, per: circuit-id}
                      max-leases: {per-circuit-id: %d}
                      trusted-relays: [%s]
                """.formatted(lab.server().interfaceName(), OFFER_HOLD.toSeconds(), token, relay, relay,
                LEASES_PER_CIRCUIT, relay));
        capture = DhcpCapture.start(lab, lab.server());
    }

    @AfterAll
    void removeLab() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    @Order(1)
    void aRandomMacFloodHoldsNoMoreThanItsShareWhileAKnownClientRenewsAndANewOneGetsIn() {
        LabNode known = lab.client(0);
        LabNode attacker = lab.client(1);
        LabNode newcomer = lab.client(2);
        LabProcess dhclient = new Dhclient().start(lab, known);
        String knownAddress = lab.awaitIpv4Address(known, BIND);
        Map<String, Long> before = drops();

        Instant floodStart = Instant.now();
        LabProcess flood = lab.start("flood", attacker.namespace(), List.of(PYTHON, floodScript.toString(),
                attacker.interfaceName(), Integer.toString(FLOOD_RATE), Integer.toString(FLOOD_SECONDS), "0666"));
        flood.awaitOutput("flooding", STEP);
        sleep(Duration.ofSeconds(1));
        Instant newcomerStart = Instant.now();
        LabProcess udhcpc = new Udhcpc().start(lab, newcomer);
        // While the flood lasts: the offers outstanding in subnet 1, once a second.
        List<Long> offered = new ArrayList<>();
        Instant newcomerBound = null;
        while (flood.isAlive() && Duration.between(floodStart, Instant.now()).toSeconds() < FLOOD_SECONDS + 10) {
            offered.add(gauge(metrics(), "leasehold_subnet_addresses_offered", "subnet=\"1\""));
            if (newcomerBound == null && !lab.ipv4Addresses(newcomer).isEmpty()) {
                newcomerBound = Instant.now();
            }
            sleep(Duration.ofSeconds(1));
        }
        flood.awaitExit(STEP);
        Instant floodEnd = Instant.now();
        assertThat(flood.output()).as(flood.tail()).contains("sent " + FLOOD_RATE * FLOOD_SECONDS);

        // The newcomer: during the flood if it won a place, at the latest once the flood's offers lapse.
        String newcomerAddress = lab.awaitIpv4Address(newcomer, OFFER_HOLD.plus(BIND));
        if (newcomerBound == null) {
            newcomerBound = Instant.now();
        }
        assertThat(newcomerAddress).as(udhcpc.tail()).matches("192\\.0\\.2\\.1([01][0-9]|2[0-9]|3[01])/24");

        // Offers to unknown clients never held more than their share (plus the newcomer's own).
        assertThat(offered).as("offers outstanding in subnet 1, once a second during the flood").isNotEmpty()
                .allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(SHARE_OF_LAN_POOL + 1));
        List<Packet> packets = capture.packets();
        List<Packet> floodOffers = packets.stream()
                .filter(p -> p.is(MessageType.OFFER) && p.mac().startsWith(FLOOD_MAC_PREFIX)).toList();
        assertThat(floodOffers).as("the flood got some offers").isNotEmpty();
        for (Packet offer : floodOffers) {
            // An offer holds its address for offer-hold: those made within one hold of each other
            // overlap. The capture's times are not the server's: a lapsed offer's place is taken
            // by the next DISCOVER at once, and on a busy machine its OFFER may leave later than
            // the one it replaced did, so the window is a second shorter than the hold. Without
            // the share, 20/s would put 80 offers in it.
            long overlapping = floodOffers.stream().filter(o -> !o.time().isAfter(offer.time())
                    && o.time().isAfter(offer.time().minus(OFFER_HOLD).plusSeconds(1))).count();
            assertThat(overlapping).as("flood offers outstanding at " + offer.time()).isLessThanOrEqualTo(SHARE_OF_LAN_POOL);
        }
        assertThat(leasehold.leases()).as("the flood never requested: no lease of its").noneMatch(
                l -> l.hardwareAddress().toString().toLowerCase(java.util.Locale.ROOT).startsWith(FLOOD_MAC_PREFIX));

        // The known client renewed (unicast RENEWING, RFC 2131 §4.4.5) during the flood, and every renewal got its ACK.
        List<Packet> renewals = packets.stream().filter(p -> p.mac().equals(known.mac())
                && p.requestState().filter("RENEWING"::equals).isPresent()
                && p.time().isAfter(floodStart) && p.time().isBefore(floodEnd)).toList();
        assertThat(renewals).as("dhclient renews every 8 s").isNotEmpty();
        for (Packet renewal : renewals) {
            assertThat(packets).as("the ACK of " + renewal.describe()).anyMatch(p -> p.is(MessageType.ACK)
                    && p.xid() == renewal.xid() && p.mac().equals(known.mac()) && !p.time().isBefore(renewal.time()));
        }
        assertThat(lab.ipv4Addresses(known)).contains(knownAddress);

        Map<String, Long> after = drops();
        long shareDrops = after.get("offer-share-limit") - before.get("offer-share-limit");
        long rateDrops = after.get("rate-limited") - before.get("rate-limited");
        assertThat(shareDrops).isPositive();
        assertThat(rateDrops).isPositive();
        System.out.printf("flood: %d DISCOVERs in %d s; %d offers to the flood (max %d outstanding in subnet 1 at a"
                        + " sample, share %d); drops rate_limited %d, offer_share_limit %d; %d renewals of %s acknowledged;"
                        + " newcomer bound %s after it started (flood ended %s after it started)%n",
                FLOOD_RATE * FLOOD_SECONDS, Duration.between(floodStart, floodEnd).toSeconds(), floodOffers.size(),
                offered.stream().mapToLong(Long::longValue).max().orElse(0), SHARE_OF_LAN_POOL, rateDrops, shareDrops,
                renewals.size(), knownAddress, Duration.between(newcomerStart, newcomerBound),
                Duration.between(newcomerStart, floodEnd));
        dhclient.kill(STEP);
        udhcpc.kill(STEP);
    }

    @Test
    @Order(2)
    void aFloodFromOneCircuitGetsItsLeasesAndNoMoreWhileAnotherCircuitIsServed() {
        Relay relay = lab.relay().orElseThrow();
        LabNode legit = lab.relayedClients().get(0);
        // dhcrelay -a adds option 82 with the circuit id of its downstream interface (RFC 3046 §2.0).
        DhcRelay.start(lab, relay, lab.server().ipv4().orElseThrow(), "-a");
        Map<String, Long> before = drops();

        LabProcess flood = lab.start("relayed-flood", relay.namespace(), JavaCommand.ofCurrentJvm().main(
                RelayedFlood.class.getName(), lab.server().ipv4().orElseThrow(), "198.51.100.1", "evil",
                "300", "100", Integer.toString(0xee), "3000"));
        sleep(Duration.ofSeconds(2)); // the flood's JVM starts and floods
        LabProcess udhcpc = new Udhcpc().start(lab, legit);
        String address = lab.awaitIpv4Address(legit, BIND);
        assertThat(address).as(udhcpc.tail()).startsWith("198.51.100.");
        flood.awaitExit(Duration.ofSeconds(30));

        String out = flood.output();
        Matcher done = Pattern.compile("done sent=300 offers=(\\d+) acks=(\\d+) naks=(\\d+)").matcher(out);
        assertThat(done.find()).as(flood.tail()).isTrue();
        assertThat(Integer.parseInt(done.group(2))).as(out).isEqualTo(LEASES_PER_CIRCUIT);
        List<Lease> evil = leasehold.leases().stream()
                .filter(l -> l.hardwareAddress().toString().toLowerCase(java.util.Locale.ROOT).startsWith("02:ee:") && l.state() == LeaseState.ACTIVE)
                .toList();
        assertThat(evil).as("the circuit's leases").hasSize(LEASES_PER_CIRCUIT);

        Map<String, Long> after = drops();
        long leaseDrops = after.get("lease-limit") - before.get("lease-limit");
        long rateDrops = after.get("rate-limited") - before.get("rate-limited");
        assertThat(leaseDrops).isPositive();
        assertThat(rateDrops).isPositive();
        System.out.printf("relayed flood: 300 DISCOVERs from circuit \"evil\" at 100/s: %s offers, %s ACKs; drops lease_limit %d,"
                        + " rate_limited %d; the client on dhcrelay's circuit got %s%n", done.group(1), done.group(2),
                leaseDrops, rateDrops, address);
        udhcpc.kill(STEP);
    }

    @Test
    @Order(3)
    void aHostOnTheLanPosingAsARelayIsDropped() {
        LabNode poser = lab.addAddress(lab.client(1), "192.0.2.50/24");
        Map<String, Long> before = drops();

        LabProcess flood = lab.start("poser", poser.namespace(), JavaCommand.ofCurrentJvm().main(
                RelayedFlood.class.getName(), lab.server().ipv4().orElseThrow(), "192.0.2.50", "poser",
                "20", "50", Integer.toString(0xdd), "1000"));
        flood.awaitExit(Duration.ofSeconds(30));

        assertThat(flood.output()).as(flood.tail()).contains("done sent=20 offers=0 acks=0 naks=0");
        long untrusted = drops().get("relay-untrusted") - before.get("relay-untrusted");
        assertThat(untrusted).isEqualTo(20);
    }

    /** {@code leasehold_packets_dropped_total} by reason label. */
    private Map<String, Long> drops() {
        Map<String, Long> out = new java.util.HashMap<>();
        Matcher m = Pattern.compile("(?m)^leasehold_packets_dropped_total\\{reason=\"([a-z-]+)\"} (\\d+)").matcher(metrics());
        while (m.find()) {
            out.put(m.group(1), Long.parseLong(m.group(2)));
        }
        assertThat(out).containsKeys("rate-limited", "lease-limit", "offer-share-limit", "relay-untrusted");
        return out;
    }

    private static long gauge(String metrics, String name, String label) {
        Matcher m = Pattern.compile("(?m)^" + name + "\\{[^}]*" + Pattern.quote(label) + "[^}]*} (\\d+)").matcher(metrics);
        assertThat(m.find()).as(name + " " + label).isTrue();
        return Long.parseLong(m.group(1));
    }

    /** GET /metrics on the control API, from inside the server's namespace, with bash's /dev/tcp. */
    private String metrics() {
        String script = "exec 3<>/dev/tcp/127.0.0.1/8067 && printf 'GET /metrics HTTP/1.0\\r\\nAuthorization: Bearer "
                + TOKEN + "\\r\\n\\r\\n' >&3 && timeout 10 cat <&3";
        return lab.exec(lab.server().namespace(), STEP, "bash", "-c", script).requireSuccess().output();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
