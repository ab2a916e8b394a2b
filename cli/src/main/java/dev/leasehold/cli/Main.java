package dev.leasehold.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;

/**
 * The {@code leasehold} command: one entry point, a subcommand per job. Every subcommand, at any
 * depth, takes {@code --help} and {@code --version} ({@code scope = INHERIT}); {@code leasehold
 * help leases list} shows a nested command's help. Exit codes follow one rule ({@link ExitCode}),
 * and a failure is reported as one line naming the command, never as a stack trace
 * ({@link FailureReport}).
 */
@Command(name = "leasehold", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT, versionProvider = Version.class,
        description = "A DHCPv4 server and client for the JVM.",
        subcommands = {ServeCommand.class, CheckConfigCommand.class, DemoCommand.class, ClientCommand.class,
                ImportCommand.class,
                LeasesCommand.class, StatusCommand.class, ReloadCommand.class, DbCommand.class, NestedHelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code, for tests. */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        CommandLine line = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(new FailureReport(debugLogging(System.getenv("LEASEHOLD_LOG_LEVEL"))));
        // The rule for every command, shown on the top-level help; serve and check-config spell out theirs.
        Map<String, String> codes = new LinkedHashMap<>();
        for (ExitCode code : ExitCode.values()) {
            codes.put(Integer.toString(code.value()), code.meaning());
        }
        line.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(codes);
        return line;
    }

    /** A stack trace is for developers: shown only when the log level asks for detail. */
    static boolean debugLogging(String level) {
        return level != null && (level.equalsIgnoreCase("debug") || level.equalsIgnoreCase("trace"));
    }
}
