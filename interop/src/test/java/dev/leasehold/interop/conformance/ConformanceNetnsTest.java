package dev.leasehold.interop.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.leasehold.testkit.netns.CommandResult;
import dev.leasehold.testkit.netns.LabException;
import dev.leasehold.testkit.netns.LabNode;
import dev.leasehold.testkit.netns.LabRequirements;
import dev.leasehold.testkit.netns.LabSpec;
import dev.leasehold.testkit.netns.LeaseholdServerProcess;
import dev.leasehold.testkit.netns.NetnsLab;
import dev.leasehold.testkit.netns.ServerSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 13 on a real (namespace) LAN with the real server, {@code leasehold serve} on the lab's
 * interface, configured with more options than fit 576 bytes: a client that sends no option 57
 * gets fitted replies; a renewing client that never answers ARP still gets its ACK (RFC 2131
 * §4.1, a frame straight to its MAC); a second Leasehold on the same interface is refused.
 *
 * <p>The client is a scapy script on an interface with no address and ARP switched off, so the
 * kernel answers no ARP for it: what reaches it must have been addressed to its MAC by the server.
 */
@Tag("netns")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ConformanceNetnsTest {

    private static final String PYTHON = "/usr/bin/python3";
    private static final Duration SCRIPT = Duration.ofSeconds(40);

    /**
     * DORA at the link layer, then a RENEWING REQUEST (ciaddr = the leased address, unicast to the
     * server, RFC 2131 §4.4.5) and a DHCPINFORM from the same address; for each, whether a reply came
     * within 4 s and how many ARP requests for the client's address the wire carried meanwhile.
     * argv: IFACE MAC SERVER_MAC SERVER_IP
     */
    private static final String CLIENT_SCRIPT = """
            import sys, os
            from scapy.all import Ether, IP, UDP, BOOTP, DHCP, ARP, AsyncSniffer, srp1, conf
            conf.verb = 0
            conf.checkIPaddr = False  # replies to a broadcast come from the server's own address
            iface, mac, server_mac, server_ip = sys.argv[1:5]
            chaddr = bytes.fromhex(mac.replace(':', ''))
            def xid():
                return int.from_bytes(os.urandom(4), 'big')
            def opt(reply, name):
                for o in reply[DHCP].options:
                    if isinstance(o, tuple) and o[0] == name:
                        return o[1]
                return None
            def bcast(x, msg):
                return (Ether(src=mac, dst='ff:ff:ff:ff:ff:ff') / IP(src='0.0.0.0', dst='255.255.255.255')
                        / UDP(sport=68, dport=67) / BOOTP(chaddr=chaddr, xid=x) / DHCP(options=msg + ['end']))
            x = xid()
            offer = srp1(bcast(x, [('message-type', 'discover')]), iface=iface, timeout=5)
            if offer is None or opt(offer, 'message-type') != 2:
                print('NO-OFFER', flush=True); sys.exit(2)
            address = offer[BOOTP].yiaddr
            ack = srp1(bcast(x, [('message-type', 'request'), ('requested_addr', address), ('server_id', server_ip)]),
                       iface=iface, timeout=5)
            if ack is None or opt(ack, 'message-type') != 5:
                print('NO-ACK', flush=True); sys.exit(2)
            print('BOUND address=%s offer-bytes=%d ack-bytes=%d routes=%d' % (address, len(offer[BOOTP]), len(ack[BOOTP]),
                  len(opt(ack, 'classless_static_routes') or [])), flush=True)
            for kind, mtype in (('RENEW', 'request'), ('INFORM', 'inform')):
                arp = AsyncSniffer(iface=iface, filter='arp', store=True)
                arp.start()
                x = xid()
                pkt = (Ether(src=mac, dst=server_mac) / IP(src=address, dst=server_ip) / UDP(sport=68, dport=67)
                       / BOOTP(chaddr=chaddr, xid=x, ciaddr=address) / DHCP(options=[('message-type', mtype), 'end']))
                reply = srp1(pkt, iface=iface, timeout=4)
                arp.stop()
                asked = sum(1 for p in arp.results if p.haslayer(ARP) and p[ARP].op == 1 and p[ARP].pdst == address)
                if reply is None:
                    print('%s-NO-REPLY arp-requests=%d' % (kind, asked), flush=True)
                else:
                    print('%s-REPLY type=%s to=%s dst=%s arp-requests=%d' % (kind, opt(reply, 'message-type'),
                          reply[Ether].dst, reply[IP].dst, asked), flush=True)
            """;

    private NetnsLab lab;
    private LeaseholdServerProcess leasehold;
    private Path clientScript;
    private String config;

    @BeforeAll
    void startLeasehold() throws IOException {
        LabRequirements.unmetReason("tcpdump").ifPresent(reason -> Assumptions.abort("skipped: " + reason));
        Assumptions.assumeTrue(Files.isExecutable(Path.of(PYTHON)), "the scripted client needs " + PYTHON);
        lab = NetnsLab.create(LabSpec.singleLan(1));
        Assumptions.assumeTrue(lab.exec(lab.client(0), SCRIPT, PYTHON, "-c", "import scapy.all").succeeded(),
                "the scripted client needs scapy (Debian package python3-scapy)");
        // 40 classless routes and a 300-byte site option: far more than the 548 bytes a client
        // without option 57 takes (issue 13 item 1); the scripted client sends neither 55 nor 57.
        String routes = IntStream.rangeClosed(1, 40).mapToObj(i -> "10." + i + ".0.0/16 - 192.0.2.1")
                .collect(Collectors.joining(", "));
        config = LeaseholdServerProcess.config(ServerSettings.forLab(lab).withLifetimes(300, 150, 260))
                .replaceFirst("\noptions:\n", "\noptions:\n  classless-static-route: \"" + routes + "\"\n"
                        + "  wpad: {code: 252, type: string, value: \"" + "w".repeat(300) + "\"}\n");
        leasehold = LeaseholdServerProcess.start(lab, lab.server().namespace(), "leasehold", config);
        clientScript = Files.writeString(lab.workDir().resolve("no-arp-client.py"), CLIENT_SCRIPT);
    }

    @AfterAll
    void removeLab() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void clientWithoutOption57GetsFittedRepliesAndRenewsWithoutAnsweringArp() {
        LabNode client = lab.client(0);
        lab.exec(client, SCRIPT, "ip", "link", "set", "dev", client.interfaceName(), "arp", "off").requireSuccess();

        CommandResult run = lab.exec(client.namespace(), SCRIPT, PYTHON, clientScript.toString(), client.interfaceName(),
                client.mac(), lab.server().mac(), lab.server().ipv4().orElseThrow());

        String out = run.output();
        assertThat(out).as(out).contains("BOUND address=192.0.2.");
        String bound = out.substring(out.indexOf("BOUND ")).lines().findFirst().orElseThrow();
        String address = bound.split(" ")[1].substring("address=".length());
        // replies fitted to 548 bytes (RFC 2131 §2) rather than dropped
        assertThat(Integer.parseInt(bound.split(" ")[2].substring("offer-bytes=".length()))).isBetween(300, 548);
        assertThat(Integer.parseInt(bound.split(" ")[3].substring("ack-bytes=".length()))).isBetween(300, 548);
        assertThat(out).contains("RENEW-REPLY type=5 to=" + client.mac() + " dst=" + address + " arp-requests=0");
        assertThat(out).contains("INFORM-REPLY type=5 to=" + client.mac() + " dst=" + address + " arp-requests=0");
    }

    @Test
    void secondLeaseholdOnTheSameInterfaceRefusesToStartNamingThePort() {
        assertThatThrownBy(() -> LeaseholdServerProcess.start(lab, lab.server().namespace(), "leasehold-second", config).close())
                .isInstanceOf(LabException.class)
                .hasMessageContaining("bind(0.0.0.0:67): Address already in use (EADDRINUSE)")
                .hasMessageContaining("interface " + lab.server().interfaceName());
        assertThat(leasehold.process().isAlive()).as("the first server keeps serving").isTrue();
    }
}
