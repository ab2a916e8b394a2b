package dev.leasehold.config;

import static dev.leasehold.config.Configs.load;
import static dev.leasehold.config.Configs.problem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.wire.Ipv4Address;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The control, event-log and lease-history keys. */
class OperationsConfigTest {

    private static String withTop(String top) {
        return top + "\n" + Configs.MINIMAL_SUBNET;
    }

    @Test
    void withoutTheKeysThereIsNoApiTextEventsAndDefaultHistory() {
        OperationsConfig ops = load(Configs.MINIMAL_SUBNET).operations();

        assertThat(ops.control()).isEmpty();
        assertThat(ops.eventLogFormat()).isEqualTo(EventLogFormat.TEXT);
        assertThat(ops.history()).isEqualTo(new HistoryConfig(Duration.ofDays(30), 256L << 20));
    }

    @Test
    void controlDefaultsToLoopbackOnPort8067() {
        ControlConfig control = load(withTop("control: {token-file: /etc/leasehold/token}")).operations().control().orElseThrow();

        assertThat(control.address()).isEqualTo(Ipv4Address.parse("127.0.0.1"));
        assertThat(control.port()).isEqualTo(8067);
        assertThat(control.tokenFile()).isEqualTo(Path.of("/etc/leasehold/token"));
        assertThat(control.tls()).isEmpty();
    }

    @Test
    void everyControlKeyIsRead() {
        ControlConfig control = load(withTop("""
                control:
                  address: 10.0.0.1
                  port: 9000
                  token-file: t
                  tls: {keystore: k.p12, password-file: p}
                """)).operations().control().orElseThrow();

        assertThat(control).isEqualTo(new ControlConfig(Ipv4Address.parse("10.0.0.1"), 9000, Path.of("t"),
                java.util.Optional.of(new ControlConfig.TlsConfig(Path.of("k.p12"), Path.of("p")))));
    }

    @Test
    void controlWithoutTokenFileIsRefused() {
        assertThat(problem(withTop("control: {port: 9000}")).toString())
                .isEqualTo("test.yaml:1: control.token-file: required, but missing");
    }

    @Test
    void tlsWithoutPasswordFileIsRefused() {
        assertThat(problem(withTop("control: {token-file: t, tls: {keystore: k.p12}}")).path())
                .isEqualTo("control.tls.password-file");
    }

    @Test
    void controlOffLoopbackWithoutTlsIsRefused() {
        assertThat(problem(withTop("control: {address: 10.0.0.1, token-file: t}")).toString())
                .isEqualTo("test.yaml:1: control.address: 10.0.0.1 is not loopback and control.tls is not set: the bearer"
                        + " token would cross the network in clear; add control.tls or listen on 127.0.0.1");
    }

    @Test
    void controlOnTheWildcardIsRefusedEvenWithTls() {
        assertThat(problem(withTop("control: {address: 0.0.0.0, token-file: t, tls: {keystore: k, password-file: p}}"))
                .message()).startsWith("0.0.0.0 would also listen on every IPv6 address");
    }

    @Test
    void controlOnAnyLoopbackAddressNeedsNoTls() {
        assertThat(load(withTop("control: {address: 127.0.0.2, token-file: t}")).operations().control().orElseThrow()
                .address()).isEqualTo(Ipv4Address.parse("127.0.0.2"));
    }

    @Test
    void misspeltControlKeyIsRefusedWithSuggestion() {
        assertThat(problem(withTop("control: {token-file: t, tokenfile: u}")).message())
                .isEqualTo("unknown key; did you mean 'token-file'?");
    }

    @Test
    void eventLogFormatJsonIsRead() {
        assertThat(load(withTop("event-log: {format: json}")).operations().eventLogFormat()).isEqualTo(EventLogFormat.JSON);
    }

    @Test
    void unknownEventLogFormatIsRefused() {
        assertThat(problem(withTop("event-log: {format: xml}")).message()).isEqualTo("'xml' is not one of text, json");
    }

    @Test
    void historyRetentionAndSizeAreRead() {
        assertThat(load(withTop("lease-history: {retention: 7d, max-size: 64MiB}")).operations().history())
                .isEqualTo(new HistoryConfig(Duration.ofDays(7), 64L << 20));
    }

    @Test
    void historySizeInPlainBytesIsRead() {
        assertThat(load(withTop("lease-history: {max-size: 1048576}")).operations().history().maxBytes()).isEqualTo(1 << 20);
    }

    @Test
    void historySizeWithUnknownUnitIsRefused() {
        assertThat(problem(withTop("lease-history: {max-size: 64MB}")).message())
                .startsWith("'64MB' is not a size");
    }

    @Test
    void historySizeBelowOneSegmentIsRefused() {
        assertThat(problem(withTop("lease-history: {max-size: 1KiB}")).message())
                .isEqualTo("'1KiB' is too small; the history needs at least 64KiB");
    }

    @Test
    void zeroRetentionIsRefused() {
        assertThat(problem(withTop("lease-history: {retention: 0}")).message()).isEqualTo("must be longer than zero");
    }
}
