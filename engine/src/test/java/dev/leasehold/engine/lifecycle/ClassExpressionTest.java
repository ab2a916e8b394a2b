package dev.leasehold.engine.lifecycle;

import static dev.leasehold.engine.lifecycle.EngineHarness.ip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.testkit.TestClient;
import dev.leasehold.wire.DhcpCodec;
import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.MalformedMessageException;
import dev.leasehold.wire.OptionCode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The typed class expressions (option, relay, mac-prefix, all / any / not), one scenario per form:
 * a member of the one configured class gets the class's boot file name (option 67), anyone else
 * does not.
 */
class ClassExpressionTest {

    private static final byte[] ASKS_FOR_BOOT_FILE = {1, 3, 6, 67};

    private static EngineHarness withClass(String match) {
        return EngineHarness.start("""
                client-classes:
                  - name: tested
                    match: %s
                    options: {boot-file-name: member.efi}
                """.formatted(match) + EngineHarness.BASE);
    }

    /** Whether {@code client} (as tailored) lands in the class {@code match}, judged by its OFFER. */
    private static boolean member(String match, UnaryOperator<TestClient> client) {
        EngineHarness h = withClass(match);
        return isMember(client.apply(h.client("02:00:00:00:00:01")).withOption(OptionCode.PARAMETER_REQUEST_LIST,
                ASKS_FOR_BOOT_FILE).discover());
    }

    private static boolean isMember(DhcpMessage offer) {
        byte[] file = offer.options().getUnsafe(OptionCode.BOOTFILE_NAME);
        return file != null && new String(file, StandardCharsets.US_ASCII).equals("member.efi");
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void optionEqualsMatchesTheHostNameExactly() {
        String match = "{option: {code: 12, equals: printer-3}}";
        assertThat(member(match, c -> c.withOption(OptionCode.HOST_NAME, ascii("printer-3")))).isTrue();
        assertThat(member(match, c -> c.withOption(OptionCode.HOST_NAME, ascii("printer-33")))).isFalse();
        assertThat(member(match, c -> c)).isFalse();
    }

    @Test
    void optionPrefixMatchesTheStartOfTheVendorClass() {
        String match = "{option: {code: 60, prefix: PXEClient}}";
        assertThat(member(match, c -> c.withOption(OptionCode.VENDOR_CLASS_IDENTIFIER, ascii("PXEClient:Arch:00007")))).isTrue();
        assertThat(member(match, c -> c.withOption(OptionCode.VENDOR_CLASS_IDENTIFIER, ascii("MSFT 5.0")))).isFalse();
    }

    @Test
    void optionContainsFindsBytesAnywhereInTheValue() {
        String match = "{option: {code: 77, contains: iPXE}}";
        assertThat(member(match, c -> c.withOption(OptionCode.USER_CLASS, ascii("\u0004iPXE")))).isTrue();
        assertThat(member(match, c -> c.withOption(OptionCode.USER_CLASS, ascii("\u0004gPXE")))).isFalse();
    }

    @Test
    void optionExistsAndItsNegation() {
        assertThat(member("{option: {code: 81, exists: true}}", c -> c.withOption(OptionCode.CLIENT_FQDN, new byte[] {0, 0, 0}))).isTrue();
        assertThat(member("{option: {code: 81, exists: true}}", c -> c)).isFalse();
        assertThat(member("{option: {code: 81, exists: false}}", c -> c)).isTrue();
    }

    @Test
    void optionHexMatchesTheClientArchitecture() {
        // option 93 = 7, EFI x86-64 (RFC 4578 §2.1); 0 is legacy BIOS
        String match = "{option: {code: 93, hex: \"00:07\"}}";
        assertThat(member(match, c -> c.withOption(OptionCode.CLIENT_SYSTEM, new byte[] {0, 7}))).isTrue();
        assertThat(member(match, c -> c.withOption(OptionCode.CLIENT_SYSTEM, new byte[] {0, 0}))).isFalse();
    }

    @Test
    void relaySubOptionMatchesOnlyWhatARelayAdded() {
        EngineHarness h = withClass("{relay: {sub-option: 1, prefix: \"sw1/\"}}");
        TestClient onSwitch1 = h.relayedClient("02:00:00:00:00:02", ip("10.0.2.1"), "sw1/port7")
                .withOption(OptionCode.PARAMETER_REQUEST_LIST, ASKS_FOR_BOOT_FILE);
        TestClient onSwitch2 = h.relayedClient("02:00:00:00:00:03", ip("10.0.2.1"), "sw2/port7")
                .withOption(OptionCode.PARAMETER_REQUEST_LIST, ASKS_FOR_BOOT_FILE);
        // a direct client cannot claim a relay's sub-option by sending option 82 itself
        TestClient forger = h.client("02:00:00:00:00:04").withOption(OptionCode.PARAMETER_REQUEST_LIST, ASKS_FOR_BOOT_FILE)
                .withOption(OptionCode.RELAY_AGENT_INFORMATION, new byte[] {1, 9, 's', 'w', '1', '/', 'p', 'o', 'r', 't', '7'});

        assertThat(isMember(onSwitch1.discover())).isTrue();
        assertThat(isMember(onSwitch2.discover())).isFalse();
        assertThat(isMember(forger.discover())).isFalse();
    }

    @Test
    void macPrefixMatchesTheVendorOui() {
        EngineHarness h = withClass("{mac-prefix: \"00:04:f2\"}");
        assertThat(isMember(h.client("00:04:f2:11:22:33").withOption(OptionCode.PARAMETER_REQUEST_LIST, ASKS_FOR_BOOT_FILE)
                .discover())).isTrue();
        assertThat(isMember(h.client("00:04:f3:11:22:33").withOption(OptionCode.PARAMETER_REQUEST_LIST, ASKS_FOR_BOOT_FILE)
                .discover())).isFalse();
    }

    @Test
    void allAnyAndNotCombine() {
        String uefiPxe = """
                {all: [{option: {code: 60, prefix: PXEClient}},
                       {any: [{option: {code: 93, hex: "00:07"}}, {option: {code: 93, hex: "00:09"}}]},
                       {not: {option: {code: 77, contains: iPXE}}}]}""";
        UnaryOperator<TestClient> pxe = c -> c.withOption(OptionCode.VENDOR_CLASS_IDENTIFIER, ascii("PXEClient:Arch:00009"));

        assertThat(member(uefiPxe, c -> pxe.apply(c).withOption(OptionCode.CLIENT_SYSTEM, new byte[] {0, 9}))).isTrue();
        assertThat(member(uefiPxe, c -> pxe.apply(c).withOption(OptionCode.CLIENT_SYSTEM, new byte[] {0, 7}))).isTrue();
        assertThat(member(uefiPxe, c -> pxe.apply(c).withOption(OptionCode.CLIENT_SYSTEM, new byte[] {0, 0}))).isFalse();
        assertThat(member(uefiPxe, c -> pxe.apply(c).withOption(OptionCode.CLIENT_SYSTEM, new byte[] {0, 7})
                .withOption(OptionCode.USER_CLASS, ascii("\u0004iPXE")))).isFalse();
    }

    @Test
    void anOptionSplitAcrossInstancesIsMatchedAsOneValue() throws MalformedMessageException {
        // 400 bytes of vendor data: the encoder splits it into two instances (RFC 3396 §7); the
        // marker lies past the first instance's 255 bytes and only the joined value holds it
        byte[] vendorData = new byte[400];
        Arrays.fill(vendorData, (byte) 'x');
        System.arraycopy(ascii("MARK"), 0, vendorData, 300, 4);
        EngineHarness h = withClass("{option: {code: 125, contains: MARK}}");
        TestClient client = h.client("02:00:00:00:00:05").withOption(OptionCode.VIVSO, vendorData)
                .withOption(OptionCode.PARAMETER_REQUEST_LIST, ASKS_FOR_BOOT_FILE);
        byte[] wire = DhcpCodec.encode(client.tailor(client.messages().discover(7, null, false)));

        DhcpMessage offer = h.handle(DhcpCodec.decode(wire), true).orElseThrow();

        assertThat(isMember(offer)).isTrue();
    }

    @Test
    void pxeUefiExampleHandsEachFirmwareItsBootFile() throws java.io.IOException {
        java.nio.file.Path dir = java.nio.file.Path.of("").toAbsolutePath();
        while (!java.nio.file.Files.isRegularFile(dir.resolve("examples/pxe-uefi.yaml"))) {
            dir = dir.getParent();
        }
        EngineHarness h = EngineHarness.start(java.nio.file.Files.readString(dir.resolve("examples/pxe-uefi.yaml")))
                .arrivingOn("eth1");
        UnaryOperator<TestClient> pxe = c -> c.withOption(OptionCode.PARAMETER_REQUEST_LIST, new byte[] {1, 3, 66, 67})
                .withOption(OptionCode.VENDOR_CLASS_IDENTIFIER, ascii("PXEClient:Arch:00007:UNDI:003016"));

        assertThat(bootFile(pxe.apply(h.client("02:00:00:00:01:01")).withOption(OptionCode.CLIENT_SYSTEM, new byte[] {0, 0})))
                .isEqualTo("undionly.kpxe");
        assertThat(bootFile(pxe.apply(h.client("02:00:00:00:01:02")).withOption(OptionCode.CLIENT_SYSTEM, new byte[] {0, 7})))
                .isEqualTo("ipxe-x86_64.efi");
        assertThat(bootFile(pxe.apply(h.client("02:00:00:00:01:03")).withOption(OptionCode.CLIENT_SYSTEM, new byte[] {0, 11})))
                .isEqualTo("ipxe-arm64.efi");
        assertThat(bootFile(pxe.apply(h.client("02:00:00:00:01:04")).withOption(OptionCode.CLIENT_SYSTEM, new byte[] {0, 7})
                .withOption(OptionCode.USER_CLASS, ascii("\u0004iPXE")))).isEqualTo("http://10.20.0.5/boot.ipxe");
        assertThat(h.client("02:00:00:00:01:05").withOption(OptionCode.PARAMETER_REQUEST_LIST, new byte[] {1, 3, 66, 67})
                .discover().options().contains(OptionCode.BOOTFILE_NAME)).as("not a PXE client").isFalse();
    }

    /** Option 67 of the client's OFFER, after checking that the header's file field says the same. */
    private static String bootFile(TestClient client) {
        DhcpMessage offer = client.discover();
        byte[] file = offer.options().getUnsafe(OptionCode.BOOTFILE_NAME);
        String option = file == null ? null : new String(file, StandardCharsets.US_ASCII);
        assertThat(new String(offer.file(), StandardCharsets.US_ASCII).replace("\0", "")).as("file field").isEqualTo(option);
        assertThat(offer.siaddr()).as("next server").isEqualTo(ip("10.20.0.5"));
        return option;
    }
}
