package dev.leasehold.ddns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.wire.Ipv4Address;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The updater's durable memory: what may be in DNS survives a restart; a torn line does not stop it. */
class DnsStateFileTest {

    @TempDir
    Path dir;

    private static final Ipv4Address A = Ipv4Address.parse("10.0.0.7");
    private static final Ipv4Address B = Ipv4Address.parse("10.0.0.8");
    private static final Instant T = Instant.parse("2026-12-02T10:00:00Z");

    private static Registration reg(Ipv4Address address, String name) {
        return new Registration(address, name, true, true, new byte[] {0, 0, 1, 2, 3, 4, 5, 6, 7}, "01:02:03:04:05:06:07", 1);
    }

    @Test
    void aPendingRemovalSurvivesARestart() throws Exception {
        Map<Ipv4Address, DnsEntry> first = new HashMap<>();
        try (DnsStateFile file = DnsStateFile.open(dir, first)) {
            file.write(new DnsEntry(A, reg(A, "alpha.example.com"), reg(A, "alpha.example.com"),
                    DnsEntry.Status.REGISTERED, "", T));
            file.write(new DnsEntry(A, null, reg(A, "alpha.example.com"), DnsEntry.Status.REMOVING, "", T.plusSeconds(5)));
            file.write(new DnsEntry(B, reg(B, "beta.example.com"), null, DnsEntry.Status.CONFLICT, "held by another", T));
        }

        Map<Ipv4Address, DnsEntry> again = new HashMap<>();
        DnsStateFile.open(dir, again).close();

        assertThat(again.get(A).wanted()).isNull();
        assertThat(again.get(A).published()).isEqualTo(reg(A, "alpha.example.com"));
        assertThat(again.get(A).dirty()).isTrue();
        assertThat(again.get(B).status()).isEqualTo(DnsEntry.Status.CONFLICT);
        assertThat(again.get(B).detail()).isEqualTo("held by another");
        assertThat(again.get(B).dirty()).isFalse();
    }

    @Test
    void aRemovedEntryIsForgottenAtTheNextOpen() throws Exception {
        try (DnsStateFile file = DnsStateFile.open(dir, new HashMap<>())) {
            file.write(new DnsEntry(A, reg(A, "alpha.example.com"), reg(A, "alpha.example.com"),
                    DnsEntry.Status.REGISTERED, "", T));
            file.write(new DnsEntry(A, null, null, DnsEntry.Status.REMOVED, "", T));
        }
        Map<Ipv4Address, DnsEntry> again = new HashMap<>();
        DnsStateFile.open(dir, again).close();

        assertThat(again).isEmpty();
        assertThat(Files.readAllLines(dir.resolve(DnsStateFile.FILE_NAME))).hasSize(1); // the header only
    }

    @Test
    void aTornOrDamagedLineIsSkippedAndTheRestKept() throws Exception {
        try (DnsStateFile file = DnsStateFile.open(dir, new HashMap<>())) {
            file.write(new DnsEntry(A, reg(A, "alpha.example.com"), reg(A, "alpha.example.com"),
                    DnsEntry.Status.REGISTERED, "", T));
        }
        Files.writeString(dir.resolve(DnsStateFile.FILE_NAME), "10.0.0.8\tbeta.exa", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);

        Map<Ipv4Address, DnsEntry> again = new HashMap<>();
        DnsStateFile.open(dir, again).close();

        assertThat(again.keySet()).containsExactly(A);
    }
}
