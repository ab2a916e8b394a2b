package dev.leasehold.engine.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.config.ConfigException;
import dev.leasehold.config.ConfigLoader;
import dev.leasehold.engine.DhcpEngine;
import dev.leasehold.engine.DnsUpdate;
import dev.leasehold.engine.LeaseEvent;
import dev.leasehold.engine.RequestContext;
import dev.leasehold.engine.Decision;
import dev.leasehold.lease.InMemoryLeaseStore;
import dev.leasehold.testkit.FakeClock;
import dev.leasehold.testkit.TestClient;
import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.OptionCode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The Client FQDN option (RFC 4702) in OFFER and ACK, and the DNS name an ACK hands to the DNS
 * updater: flags S/O/N (§3.1, §4), RCODEs 255 (§3.3), the client's encoding (E), the qualifying
 * suffix, option 81 over option 12, reservations' names, generated names.
 */
class ClientFqdnTest {

    private static final int S = 0x01;
    private static final int O = 0x02;
    private static final int E = 0x04;
    private static final int N = 0x08;

    /** DDNS on, suffix example.com, a reservation with a host name. */
    private static final String DDNS = """
            valid-lifetime: 1h
            ddns-qualifying-suffix: example.com
            dhcp-ddns:
              forward-ddns:
                ddns-domains: [{name: example.com., dns-servers: [{ip-address: 127.0.0.1}]}]
            subnets:
              - id: 1
                subnet: 10.0.0.0/24
                interface: eth0
                pools: [{range: 10.0.0.100-10.0.0.199}]
                reservations:
                  - {hw-address: "02:00:00:00:00:99", ip-address: 10.0.0.9, hostname: printer}
            """;

    private final FakeClock clock = FakeClock.standing();
    private final List<LeaseEvent> events = new ArrayList<>();

    private TestClient client(String yaml, String mac) {
        DhcpEngine engine;
        try {
            engine = DhcpEngine.start(ConfigLoader.parse(yaml, "fqdn.yaml"), new InMemoryLeaseStore(), clock,
                    new SplittableRandom(1), events::add);
        } catch (ConfigException e) {
            throw new AssertionError(e.getMessage(), e);
        }
        return TestClient.ethernet(mac, (request, delivery) -> {
            Decision d = engine.handle(new RequestContext(EngineHarness.SERVER, "eth0", List.of(),
                    delivery == TestClient.Delivery.BROADCAST), request).join();
            return d instanceof Decision.Respond(DhcpMessage reply) ? Optional.of(reply) : Optional.empty();
        }, clock);
    }

    private static byte[] wire(int flags, String name, boolean full) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(flags);
        out.write(0);
        out.write(0);
        if (!name.isEmpty()) {
            for (String label : name.split("\\.")) {
                out.write(label.length());
                out.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
            }
        }
        if (full) {
            out.write(0);
        }
        return out.toByteArray();
    }

    /** The server's answer: RCODE1 and RCODE2 255 (RFC 4702 §3.3), a fully qualified wire-format name. */
    private static byte[] answer(int flags, String name) {
        byte[] v = wire(flags, name, true);
        v[1] = (byte) 255;
        v[2] = (byte) 255;
        return v;
    }

    private static byte[] ascii(int flags, String name) {
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        byte[] v = new byte[3 + n.length];
        v[0] = (byte) flags;
        System.arraycopy(n, 0, v, 3, n.length);
        return v;
    }

    private static byte[] fqdn(DhcpMessage reply) {
        return reply.options().get(OptionCode.CLIENT_FQDN).orElseThrow(() -> new AssertionError("no option 81"));
    }

    private DnsUpdate ackedDns() {
        return events.stream().filter(e -> e.type() == LeaseEvent.Type.ACK).reduce((a, b) -> b).orElseThrow().dns();
    }

    @Test
    void partialWireNameIsCompletedAndTheServerTakesBothUpdatesWhenAsked() {
        TestClient c = client(DDNS, "02:00:00:00:00:01").withOption(OptionCode.CLIENT_FQDN, wire(E | S, "alpha", false));

        DhcpMessage offer = c.discover();
        DhcpMessage ack = c.select(offer).orElseThrow();

        for (DhcpMessage reply : List.of(offer, ack)) {
            assertThat(fqdn(reply)).isEqualTo(answer(E | S, "alpha.example.com"));
        }
        DnsUpdate dns = ackedDns();
        assertThat(dns.fqdn()).isEqualTo("alpha.example.com");
        assertThat(dns.forward()).isTrue();
        assertThat(dns.reverse()).isTrue();
        // RFC 4701 §3.3: no option 61, so htype + chaddr with identifier type 0x0000.
        assertThat(HexFormat.of().formatHex(dns.dhcidIdentifier())).isEqualTo("000001020000000001");
    }

    @Test
    void singleLabelEndedWithTheRootLabelIsCompletedAsDhclientExpects() {
        TestClient c = client(DDNS, "02:00:00:00:00:0e").withOption(OptionCode.CLIENT_FQDN, wire(E | S, "iota", true));

        DhcpMessage ack = c.select(c.discover()).orElseThrow();

        assertThat(fqdn(ack)).isEqualTo(answer(E | S, "iota.example.com"));
        assertThat(ackedDns().fqdn()).isEqualTo("iota.example.com");
    }

    @Test
    void clientThatUpdatesItsOwnARecordLeavesTheServerOnlyThePtr() {
        TestClient c = client(DDNS, "02:00:00:00:00:02").withOption(OptionCode.CLIENT_FQDN, wire(E, "beta.example.com", true));

        DhcpMessage ack = c.select(c.discover()).orElseThrow();

        byte[] v = fqdn(ack);
        assertThat(v[0] & 0x0F).isEqualTo(E); // S=0 O=0 N=0: the client does A, the server PTR (§3.1)
        assertThat(ackedDns().forward()).isFalse();
        assertThat(ackedDns().reverse()).isTrue();
    }

    @Test
    void overridingTheClientsChoiceSetsTheOFlag() {
        TestClient c = client(DDNS.replace("ddns-qualifying-suffix: example.com",
                "ddns-qualifying-suffix: example.com\nddns-override-client-update: true"), "02:00:00:00:00:03")
                .withOption(OptionCode.CLIENT_FQDN, wire(E, "gamma", false));

        DhcpMessage ack = c.select(c.discover()).orElseThrow();

        assertThat(fqdn(ack)[0] & 0x0F).isEqualTo(E | S | O);
        assertThat(ackedDns().forward()).isTrue();
    }

    @Test
    void clientAskingForNoUpdateGetsNAndNothingIsRegistered() {
        TestClient c = client(DDNS, "02:00:00:00:00:04").withOption(OptionCode.CLIENT_FQDN, wire(E | N, "delta", false));

        DhcpMessage ack = c.select(c.discover()).orElseThrow();

        assertThat(fqdn(ack)[0] & 0x0F).isEqualTo(E | N);
        assertThat(ackedDns()).isEqualTo(DnsUpdate.NONE);
    }

    @Test
    void withoutDhcpDdnsTheServerAnswersNAndOverridesS() {
        String off = DDNS.substring(0, DDNS.indexOf("dhcp-ddns:")) + DDNS.substring(DDNS.indexOf("subnets:"));
        TestClient c = client(off, "02:00:00:00:00:05").withOption(OptionCode.CLIENT_FQDN, wire(E | S, "eps", false));

        DhcpMessage offer = c.discover();

        byte[] v = fqdn(offer);
        assertThat(v[0] & 0x0F).isEqualTo(E | N | O);
        assertThat(v[1] & 0xFF).isEqualTo(255);
        assertThat(v[2] & 0xFF).isEqualTo(255);
    }

    @Test
    void asciiEncodedNameIsAnsweredInAscii() {
        TestClient c = client(DDNS, "02:00:00:00:00:06").withOption(OptionCode.CLIENT_FQDN, ascii(S, "Zeta"));

        DhcpMessage offer = c.discover();

        byte[] v = fqdn(offer);
        assertThat(v[0] & 0x0F).isEqualTo(S);
        assertThat(new String(v, 3, v.length - 3, StandardCharsets.US_ASCII)).isEqualTo("zeta.example.com");
    }

    @Test
    void optionEightyOneWinsOverAConflictingHostName() {
        TestClient c = client(DDNS, "02:00:00:00:00:07")
                .withOption(OptionCode.HOST_NAME, "other".getBytes(StandardCharsets.US_ASCII))
                .withOption(OptionCode.CLIENT_FQDN, wire(E | S, "eta", false));

        c.select(c.discover()).orElseThrow();

        assertThat(ackedDns().fqdn()).isEqualTo("eta.example.com");
    }

    @Test
    void hostNameAloneIsSanitisedQualifiedAndRegisteredWithoutOptionEightyOneInTheReply() {
        TestClient c = client(DDNS.replace("ddns-qualifying-suffix: example.com",
                "ddns-qualifying-suffix: example.com\nhostname-char-replacement: x"), "02:00:00:00:00:08")
                .withOption(OptionCode.HOST_NAME, "My_Laptop".getBytes(StandardCharsets.US_ASCII));

        DhcpMessage ack = c.select(c.discover()).orElseThrow();

        assertThat(ack.options().contains(OptionCode.CLIENT_FQDN)).isFalse();
        assertThat(ackedDns().fqdn()).isEqualTo("myxlaptop.example.com");
        assertThat(ackedDns().forward()).isTrue();
    }

    @Test
    void reservationHostNameWinsOverTheClientsName() {
        TestClient c = client(DDNS, "02:00:00:00:00:99").withOption(OptionCode.CLIENT_FQDN, wire(E | S, "mine", false));

        DhcpMessage ack = c.select(c.discover()).orElseThrow();

        assertThat(ackedDns().fqdn()).isEqualTo("printer.example.com");
        assertThat(new String(fqdn(ack), 4, 7, StandardCharsets.US_ASCII)).isEqualTo("printer");
    }

    @Test
    void generatedNameWhenTheClientSendsNoneAndTheConfigAsks() {
        TestClient c = client(DDNS.replace("ddns-qualifying-suffix: example.com",
                "ddns-qualifying-suffix: example.com\nddns-replace-client-name: when-not-present\nddns-generated-prefix: host"),
                "02:00:00:00:00:0a");

        DhcpMessage ack = c.select(c.discover()).orElseThrow();

        assertThat(ackedDns().fqdn()).isEqualTo("host-" + ack.yiaddr().toString().replace('.', '-') + ".example.com");
    }

    @Test
    void clientWithoutAnyNameIsNotRegistered() {
        TestClient c = client(DDNS, "02:00:00:00:00:0b");

        c.select(c.discover()).orElseThrow();

        assertThat(ackedDns()).isEqualTo(DnsUpdate.NONE);
    }

    @Test
    void malformedOptionEightyOneIsIgnoredNotFatal() {
        // A label claiming 40 octets where 3 remain.
        TestClient c = client(DDNS, "02:00:00:00:00:0c")
                .withOption(OptionCode.CLIENT_FQDN, new byte[] {(byte) (E | S), 0, 0, 40, 'a', 'b', 'c'});

        DhcpMessage offer = c.discover();

        assertThat(offer.options().contains(OptionCode.CLIENT_FQDN)).isFalse();
    }

    @Test
    void clientIdentifierBecomesTheDhcidIdentifier() {
        TestClient c = client(DDNS, "02:00:00:00:00:0d")
                .withOption(OptionCode.CLIENT_IDENTIFIER, new byte[] {1, 2, 0, 0, 0, 0, 0x0d})
                .withOption(OptionCode.CLIENT_FQDN, wire(E | S, "theta", false));

        c.select(c.discover()).orElseThrow();

        assertThat(HexFormat.of().formatHex(ackedDns().dhcidIdentifier())).isEqualTo("00010102000000000d");
    }
}
