package dev.leasehold.cli;

import dev.leasehold.migrate.ImportFailedException;
import dev.leasehold.migrate.ImportReport;
import dev.leasehold.migrate.config.DhcpdConfigImporter;
import dev.leasehold.migrate.config.DnsmasqConfigImporter;
import dev.leasehold.migrate.config.ImportedConfig;
import dev.leasehold.migrate.config.KeaConfigImporter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code leasehold import kea-config|dhcpd-config|dnsmasq-config FILE [--output OUT]}: writes the
 * equivalent Leasehold YAML (standard output, or OUT) and reports on standard error every
 * construct that did not map, with its line. The YAML has passed the same validation as
 * {@code check-config}. Exit 0 when written, 2 when the file cannot be read or nothing maps.
 */
abstract sealed class ImportConfigCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", description = "the other server's configuration file")
    Path file;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "write the YAML here instead of standard output")
    Path output;

    @Option(names = "--force", description = "overwrite OUT if it exists")
    boolean force;

    abstract ImportedConfig translate(String text, String name) throws ImportFailedException;

    @Override
    public Integer call() {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            System.err.println(file + ": cannot read: " + e.getMessage());
            return 2;
        }
        ImportedConfig imported;
        try {
            imported = translate(text, file.toString());
        } catch (ImportFailedException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        if (!imported.report().isEmpty()) {
            System.err.println(imported.report().render());
        }
        if (output == null) {
            System.out.print(imported.yaml());
        } else {
            try {
                write(imported.yaml());
            } catch (IOException e) {
                System.err.println(output + ": cannot write: " + e.getMessage());
                return 1;
            }
        }
        ImportReport report = imported.report();
        System.err.printf("%s: %d subnet(s), %d client class(es) imported%s; %d construct(s) not mapped, "
                        + "%d approximated (listed above)%n", file, imported.config().subnets().size(),
                imported.config().clientClasses().size(), output == null ? "" : " into " + output,
                report.entries(ImportReport.Kind.NOT_MAPPED).size(), report.entries(ImportReport.Kind.APPROXIMATED).size());
        return 0;
    }

    /** Written beside OUT and moved into place, so a failed write never leaves half a configuration. */
    private void write(String yaml) throws IOException {
        if (Files.exists(output) && !force) {
            throw new IOException("the file exists (pass --force to replace it)");
        }
        Path parent = output.toAbsolutePath().getParent();
        Path temporary = Files.createTempFile(parent, ".import-", ".yaml");
        try {
            Files.writeString(temporary, yaml, StandardCharsets.UTF_8);
            Files.move(temporary, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    @Command(name = "kea-config", description = "Translate a kea-dhcp4 configuration (JSON) into Leasehold YAML.")
    static final class Kea extends ImportConfigCommand {
        @Override
        ImportedConfig translate(String text, String name) throws ImportFailedException {
            return KeaConfigImporter.importText(text, name);
        }
    }

    @Command(name = "dhcpd-config", description = "Translate an ISC dhcpd.conf into Leasehold YAML.")
    static final class Dhcpd extends ImportConfigCommand {
        @Option(names = {"-i", "--interface"}, paramLabel = "NAME", split = ",",
                description = "an interface dhcpd serves (its command line or INTERFACESv4); repeatable")
        List<String> interfaces = new ArrayList<>();

        @Override
        ImportedConfig translate(String text, String name) throws ImportFailedException {
            return DhcpdConfigImporter.importText(text, name, interfaces);
        }
    }

    @Command(name = "dnsmasq-config", description = "Translate a dnsmasq.conf's DHCP settings into Leasehold YAML.")
    static final class Dnsmasq extends ImportConfigCommand {
        @Override
        ImportedConfig translate(String text, String name) throws ImportFailedException {
            return DnsmasqConfigImporter.importText(text, name);
        }
    }
}
