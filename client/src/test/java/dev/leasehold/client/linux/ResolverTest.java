package dev.leasehold.client.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.client.LeaseParameters;
import dev.leasehold.wire.DhcpOptions;
import dev.leasehold.wire.OptionCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResolverTest {

    static LeaseParameters lease(String address, String... dns) {
        byte[] servers = new byte[4 * dns.length];
        for (int i = 0; i < dns.length; i++) {
            System.arraycopy(dev.leasehold.wire.Ipv4Address.parse(dns[i]).toBytes(), 0, servers, 4 * i, 4);
        }
        return LeaseParameters.from(IpCommandsTest.binding(address, null,
                DhcpOptions.builder().putUnsafe(OptionCode.DOMAIN_NAME_SERVERS, servers)));
    }

    @Test
    void resolvConfIsWrittenAndTheOriginalRestored(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("resolv.conf");
        Files.writeString(file, "nameserver 203.0.113.1\n");
        ResolvConfFile resolv = new ResolvConfFile(file);
        resolv.apply("eth9", LeaseParameters.from(IpCommandsTest.binding("192.0.2.100", null)));
        assertThat(Files.readString(file)).contains("search lab.example\n", "nameserver 192.0.2.53\n", "nameserver 192.0.2.54\n")
                .doesNotContain("203.0.113.1");
        resolv.remove("eth9");
        assertThat(Files.readString(file)).isEqualTo("nameserver 203.0.113.1\n");
        assertThat(resolv.savedCopy()).doesNotExist();
    }

    @Test
    void aClientRestartedAfterKillNineStillRestoresTheTrueOriginal(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("resolv.conf");
        Files.writeString(file, "nameserver 203.0.113.1\n");
        new ResolvConfFile(file).apply("eth9", lease("192.0.2.100", "192.0.2.53"));
        // kill -9: no restore. A new process (a new instance) binds again and later releases.
        ResolvConfFile restarted = new ResolvConfFile(file);
        restarted.apply("eth9", lease("192.0.2.100", "192.0.2.54"));
        assertThat(Files.readString(file)).contains("nameserver 192.0.2.54").doesNotContain("192.0.2.53");
        restarted.remove("eth9");
        assertThat(Files.readString(file)).isEqualTo("nameserver 203.0.113.1\n");
    }

    @Test
    void twoInterfacesAreMergedAndTheFirstToLeaveDoesNotRestore(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("resolv.conf");
        Files.writeString(file, "nameserver 203.0.113.1\n");
        ResolvConfFile resolv = new ResolvConfFile(file);
        resolv.apply("eth0", lease("192.0.2.100", "192.0.2.53"));
        resolv.apply("eth1", lease("198.51.100.100", "198.51.100.53"));
        assertThat(Files.readString(file)).contains("nameserver 192.0.2.53\nnameserver 198.51.100.53\n");
        resolv.remove("eth0");
        assertThat(Files.readString(file)).contains("nameserver 198.51.100.53").doesNotContain("192.0.2.53", "203.0.113.1");
        resolv.remove("eth1");
        assertThat(Files.readString(file)).isEqualTo("nameserver 203.0.113.1\n");
    }

    @Test
    void autoPrefersSystemdResolvedThenResolvconfThenTheFile() {
        CommandRunner none = (c, e, i, t) -> new CommandRunner.Result(0, "");
        assertThat(Resolver.choose("auto", none, Set.of("resolvectl", "resolvconf")::contains, true))
                .isInstanceOf(Resolver.Resolvectl.class);
        assertThat(Resolver.choose("auto", none, Set.of("resolvectl", "resolvconf")::contains, false))
                .isInstanceOf(Resolver.Resolvconf.class);
        assertThat(Resolver.choose("auto", none, Set.<String>of()::contains, false))
                .isInstanceOfSatisfying(ResolvConfFile.class, f -> assertThat(f.file()).isEqualTo(Path.of("/etc/resolv.conf")));
        assertThat(Resolver.choose("none", none, c -> true, true)).isInstanceOf(Resolver.None.class);
        assertThat(Resolver.choose("/tmp/x.conf", none, c -> true, true)).isInstanceOf(ResolvConfFile.class);
    }

    @Test
    void resolvconfGetsTheLinesOnStandardInputAndResolvectlPerLinkSettings() throws IOException {
        List<String> ran = new ArrayList<>();
        CommandRunner recording = (command, env, input, timeout) -> {
            ran.add(String.join(" ", command) + (input.isEmpty() ? "" : " <<" + input.replace("\n", "|")));
            return new CommandRunner.Result(0, "");
        };
        LeaseParameters p = lease("192.0.2.100", "192.0.2.53", "192.0.2.54");
        new Resolver.Resolvconf(recording).apply("eth9", p);
        new Resolver.Resolvconf(recording).remove("eth9");
        new Resolver.Resolvectl(recording).apply("eth9", p);
        new Resolver.Resolvectl(recording).remove("eth9");
        assertThat(ran).containsExactly(
                "resolvconf -a eth9.leasehold <<search lab.example|nameserver 192.0.2.53|nameserver 192.0.2.54|",
                "resolvconf -d eth9.leasehold",
                "resolvectl dns eth9 192.0.2.53 192.0.2.54",
                "resolvectl domain eth9 lab.example",
                "resolvectl revert eth9");
    }
}
