package dev.leasehold.cli;

import picocli.CommandLine.Command;

/**
 * {@code leasehold import …}: moves a network over from ISC Kea, ISC dhcpd or dnsmasq, its
 * configuration first ({@code *-config}), then its live leases ({@code *-leases}) with both
 * servers stopped. docs/migration.md walks through it.
 */
@Command(name = "import", description = "Import another DHCP server's configuration or leases (docs/migration.md).",
        subcommands = {ImportConfigCommand.Kea.class, ImportConfigCommand.Dhcpd.class, ImportConfigCommand.Dnsmasq.class,
                ImportLeasesCommand.Kea.class, ImportLeasesCommand.Dhcpd.class, ImportLeasesCommand.Dnsmasq.class})
final class ImportCommand {
}
