package dev.leasehold.cli;

import dev.leasehold.config.ConfigException;
import dev.leasehold.config.ConfigLoader;
import dev.leasehold.config.ServerConfig;
import dev.leasehold.lease.LeaseStore;
import dev.leasehold.migrate.ImportFailedException;
import dev.leasehold.migrate.ImportReport;
import dev.leasehold.migrate.leases.DhcpdLeaseFile;
import dev.leasehold.migrate.leases.DnsmasqLeaseFile;
import dev.leasehold.migrate.leases.ImportedLease;
import dev.leasehold.migrate.leases.KeaLeaseFile;
import dev.leasehold.migrate.leases.LeaseImporter;
import dev.leasehold.server.ServerComposition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code leasehold import kea-leases|dhcpd-leases|dnsmasq-leases FILE --config CONFIG}: loads the
 * live leases of the old server into the store CONFIG names, with the Leasehold server stopped
 * (the store refuses a second writer). Leases outside CONFIG's subnets, or whose address another
 * client holds, are refused and listed on standard error with their line. Exit 0 when the file
 * was read and the store written, 2 for an unreadable or malformed file or CONFIG, 1 when the
 * store cannot be opened or written.
 */
abstract sealed class ImportLeasesCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", description = "the other server's lease file")
    Path file;

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "CONFIG",
            description = "the Leasehold configuration whose store receives the leases")
    Path config;

    abstract List<ImportedLease> parse(String text, String name, ImportReport report) throws ImportFailedException;

    @Override
    public Integer call() {
        ServerConfig serverConfig;
        try {
            serverConfig = ConfigLoader.load(config);
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        ImportReport report = new ImportReport(file.toString());
        List<ImportedLease> leases;
        try {
            leases = parse(Files.readString(file, StandardCharsets.ISO_8859_1), file.toString(), report);
        } catch (IOException e) {
            System.err.println(file + ": cannot read: " + e.getMessage());
            return 2;
        } catch (ImportFailedException e) {
            System.err.println(e.getMessage() + "\nnothing was imported");
            return 2;
        }
        LeaseImporter.Summary summary;
        try (LeaseStore store = ServerComposition.openStore(serverConfig, Clock.systemUTC())) {
            summary = new LeaseImporter(serverConfig, store, Clock.systemUTC()).load(leases, report);
        } catch (IOException e) {
            System.err.println("cannot open the lease store of " + config + ": " + e.getMessage()
                    + " (stop the Leasehold server before importing)");
            return 1;
        } catch (ImportFailedException e) {
            System.err.println(report.render());
            System.err.println(e.getMessage());
            return 1;
        }
        if (!report.isEmpty()) {
            System.err.println(report.render());
        }
        System.out.printf("%s: %d lease(s) read, %d stored (%d active), %d refused%n", file, summary.read(),
                summary.stored(), summary.active(), summary.refused());
        return 0;
    }

    @Command(name = "kea-leases", description = "Load a Kea memfile lease file (kea-leases4.csv).")
    static final class Kea extends ImportLeasesCommand {
        @Override
        List<ImportedLease> parse(String text, String name, ImportReport report) throws ImportFailedException {
            return KeaLeaseFile.parse(text, name);
        }
    }

    @Command(name = "dhcpd-leases", description = "Load an ISC dhcpd lease file (dhcpd.leases).")
    static final class Dhcpd extends ImportLeasesCommand {
        @Override
        List<ImportedLease> parse(String text, String name, ImportReport report) throws ImportFailedException {
            return DhcpdLeaseFile.parse(text, name, report);
        }
    }

    @Command(name = "dnsmasq-leases", description = "Load a dnsmasq lease file (dnsmasq.leases).")
    static final class Dnsmasq extends ImportLeasesCommand {
        @Override
        List<ImportedLease> parse(String text, String name, ImportReport report) throws ImportFailedException {
            return DnsmasqLeaseFile.parse(text, name, report);
        }
    }
}
