package dev.leasehold.cli;

import static dev.leasehold.cli.Console.capture;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.cli.Console.Captured;
import dev.leasehold.config.ConfigLoader;
import dev.leasehold.lease.journal.JournalLeaseStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportCommandTest {

    @TempDir
    Path dir;

    private static final String DNSMASQ = """
            interface=eth1
            dhcp-range=192.0.2.100,192.0.2.199,255.255.255.0,1h
            dhcp-option=option:router,192.0.2.1
            dhcp-script=/usr/local/bin/notify
            """;

    @Test
    void configGoesToStandardOutputAndTheReportToStandardError() throws Exception {
        Path conf = Files.writeString(dir.resolve("dnsmasq.conf"), DNSMASQ);

        Captured run = capture(() -> Main.run("import", "dnsmasq-config", conf.toString()));

        assertThat(run.code()).isZero();
        assertThat(ConfigLoader.parse(run.out(), "stdout").subnets()).hasSize(1);
        assertThat(run.err()).contains(conf + ":4: not mapped: dhcp-script=/usr/local/bin/notify: ")
                .contains("1 subnet(s), 0 client class(es) imported; 1 construct(s) not mapped");
    }

    @Test
    void outputIsWrittenOnceAndNotOverwrittenWithoutForce() throws Exception {
        Path conf = Files.writeString(dir.resolve("dnsmasq.conf"), DNSMASQ);
        Path out = dir.resolve("leasehold.yaml");

        assertThat(capture(() -> Main.run("import", "dnsmasq-config", conf.toString(), "--output", out.toString())).code()).isZero();
        assertThat(ConfigLoader.load(out).interfaces()).containsExactly("eth1");
        Captured again = capture(() -> Main.run("import", "dnsmasq-config", conf.toString(), "--output", out.toString()));
        assertThat(again.code()).isOne();
        assertThat(again.err()).contains("the file exists (pass --force to replace it)");
        assertThat(capture(() -> Main.run("import", "dnsmasq-config", conf.toString(), "-o", out.toString(), "--force"))
                .code()).isZero();
    }

    @Test
    void aMalformedSourceExitsTwoNamingItsLine() throws Exception {
        Path conf = Files.writeString(dir.resolve("kea.conf"), "{ \"Dhcp4\": { \"subnet4\": [ }\n");

        Captured run = capture(() -> Main.run("import", "kea-config", conf.toString()));

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).startsWith(conf + ":1: not Kea's JSON");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void leasesGoIntoTheJournalOfTheConfigAndRefusalsAreListed() throws Exception {
        Path data = dir.resolve("data");
        Path config = Files.writeString(dir.resolve("leasehold.yaml"), """
                data-directory: "%s"
                subnets:
                  - {id: 1, subnet: 192.0.2.0/24, pools: [{range: 192.0.2.100-192.0.2.199}]}
                """.formatted(data));
        long expiry = Instant.now().plusSeconds(3600).getEpochSecond();
        Path leases = Files.writeString(dir.resolve("dnsmasq.leases"), """
                %d 02:00:00:00:00:01 192.0.2.150 laptop *
                %d 02:00:00:00:00:02 10.9.9.9 * *
                """.formatted(expiry, expiry));

        Captured run = capture(() -> Main.run("import", "dnsmasq-leases", leases.toString(), "--config", config.toString()));

        assertThat(run.code()).isZero();
        assertThat(run.out()).contains("2 lease(s) read, 1 stored (1 active), 1 refused");
        assertThat(run.err()).contains(leases + ":2: refused: lease 10.9.9.9: outside every configured subnet");
        try (JournalLeaseStore store = JournalLeaseStore.open(data)) {
            assertThat(store.size()).isOne();
        }
    }

    @Test
    void leasesAreNotImportedWhileTheStoreIsInUse() throws Exception {
        Path data = dir.resolve("data");
        Path config = Files.writeString(dir.resolve("leasehold.yaml"), """
                data-directory: "%s"
                subnets:
                  - {id: 1, subnet: 192.0.2.0/24}
                """.formatted(data));
        Path leases = Files.writeString(dir.resolve("dnsmasq.leases"), "");
        try (JournalLeaseStore running = JournalLeaseStore.open(data)) {
            Captured run = capture(() -> Main.run("import", "dnsmasq-leases", leases.toString(), "-c", config.toString()));

            assertThat(run.code()).isOne();
            assertThat(run.err()).contains("cannot open the lease store").contains("stop the Leasehold server before importing");
        }
    }
}
