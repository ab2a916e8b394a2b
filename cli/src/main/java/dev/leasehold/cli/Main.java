package dev.leasehold.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code leasehold} command: one entry point, a subcommand per job. */
@Command(name = "leasehold", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "A DHCPv4 server and client for the JVM.",
        subcommands = {ServeCommand.class, CheckConfigCommand.class, DemoCommand.class, ClientCommand.class,
                LeasesCommand.class, StatusCommand.class, ReloadCommand.class, DbCommand.class, CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code, for tests. */
    public static int run(String... args) {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
    }
}
