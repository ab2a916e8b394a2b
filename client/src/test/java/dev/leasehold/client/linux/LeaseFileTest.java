package dev.leasehold.client.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.client.Binding;
import dev.leasehold.wire.HardwareAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeaseFileTest {

    static final HardwareAddress MAC = HardwareAddress.parseEthernet("02:00:00:00:00:01");
    static final HardwareAddress OTHER_MAC = HardwareAddress.parseEthernet("02:00:00:00:00:02");
    static final NetworkNamespace HOST = new NetworkNamespace(4026531840L, Optional.empty());
    static final NetworkNamespace LAB = new NetworkNamespace(4026532999L, Optional.of("lab1"));

    final List<String> why = new ArrayList<>();

    @Test
    void leaseRoundTripsForItsOwner(@TempDir Path dir) throws IOException {
        LeaseFile file = new LeaseFile(dir.resolve("sub/client.lease"), new LeaseFile.Owner("eth9", MAC, HOST));
        Binding b = IpCommandsTest.binding("192.0.2.100", null);
        file.save(b);
        assertThat(file.load(why::add)).contains(b);
        assertThat(why).isEmpty();
        file.delete();
        assertThat(file.load(why::add)).isEmpty();
    }

    @Test
    void aSameNamedInterfaceWithAnotherMacOrInAnotherNamespaceDoesNotGetTheLease(@TempDir Path dir) throws IOException {
        Path path = dir.resolve("client.lease");
        new LeaseFile(path, new LeaseFile.Owner("eth9", MAC, HOST)).save(IpCommandsTest.binding("192.0.2.100", null));
        assertThat(new LeaseFile(path, new LeaseFile.Owner("eth9", OTHER_MAC, HOST)).load(why::add)).isEmpty();
        assertThat(new LeaseFile(path, new LeaseFile.Owner("eth9", MAC, LAB)).load(why::add)).isEmpty();
        assertThat(new LeaseFile(path, new LeaseFile.Owner("eth8", MAC, HOST)).load(why::add)).isEmpty();
        assertThat(why).hasSize(3).allMatch(w -> w.contains("holds the lease of interface eth9 (02:00:00:00:00:01"));
    }

    @Test
    void defaultPathIsKeyedByInterfaceMacAndNamedNamespace() {
        assertThat(LeaseFile.defaultPath(LeaseFile.STATE_DIRECTORY, new LeaseFile.Owner("eth0", MAC, HOST)))
                .isEqualTo(Path.of("/var/lib/leasehold/client-eth0-020000000001.lease"));
        assertThat(LeaseFile.defaultPath(LeaseFile.STATE_DIRECTORY, new LeaseFile.Owner("eth0", MAC, LAB)))
                .isEqualTo(Path.of("/var/lib/leasehold/client-eth0-020000000001-lab1.lease"));
        assertThat(LeaseFile.defaultPath(LeaseFile.STATE_DIRECTORY, new LeaseFile.Owner("eth0", OTHER_MAC, HOST)))
                .isNotEqualTo(LeaseFile.defaultPath(LeaseFile.STATE_DIRECTORY, new LeaseFile.Owner("eth0", MAC, HOST)));
    }

    @Test
    void aFileOfTheOldFormatOrDamagedIsIgnoredWithAReason(@TempDir Path dir) throws IOException {
        Path path = dir.resolve("client.lease");
        LeaseFile file = new LeaseFile(path, new LeaseFile.Owner("eth9", MAC, HOST));
        Files.writeString(path, "interface=eth9\nbound-at=2025-01-01T00:00:00Z\nack=00\n");
        assertThat(file.load(why::add)).isEmpty();
        Files.writeString(path, "interface=eth9\nhardware=02:00:00:00:00:01\nnetns=4026531840\nbound-at=yesterday\nack=00\n");
        assertThat(file.load(why::add)).isEmpty();
        assertThat(why).hasSize(2);
        assertThat(why.getLast()).contains("damaged");
    }

    @Test
    void namespaceIsNamedByItsIpNetnsName(@TempDir Path dir) throws IOException {
        Path self = dir.resolve("self");
        Files.writeString(self, "x");
        Path named = Files.createDirectory(dir.resolve("netns"));
        Files.createLink(named.resolve("lab7"), self); // the same inode, as ip netns's bind mount
        NetworkNamespace ns = NetworkNamespace.of(self, dir.resolve("no-init"), named);
        assertThat(ns.name()).contains("lab7");
        assertThat(ns.qualify("eth0")).isEqualTo("eth0@lab7");
        Path init = dir.resolve("init");
        Files.writeString(init, "y");
        assertThat(NetworkNamespace.of(self, init, dir.resolve("none")).name()).contains("ns" + ns.inode());
        assertThat(NetworkNamespace.of(self, self, dir.resolve("none")).name()).isEmpty();
    }
}
