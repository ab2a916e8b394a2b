package dev.leasehold.cli;

import static dev.leasehold.cli.Console.capture;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.cli.Console.Captured;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What every command answers to --help, the exit-code rule, and failures reported without a stack trace. */
class HelpAndExitCodesTest {

    @TempDir
    Path dir;

    @Test
    void everyCommandAtEveryDepthAnswersHelpWithItsUsageAndExitZero() throws Exception {
        List<List<String>> paths = new ArrayList<>();
        collect(Main.commandLine(), new ArrayList<>(), paths);
        assertThat(paths).hasSizeGreaterThan(10).contains(List.of("serve"), List.of("leases", "history"));
        for (List<String> path : paths) {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            Captured c = capture(() -> Main.run(args.toArray(String[]::new)));
            assertThat(c.code()).as("exit of %s", args).isZero();
            assertThat(c.out()).as("help of %s", path).contains("Usage: leasehold " + String.join(" ", path));
            assertThat(c.err()).as("errors of %s", args).isEmpty();
        }
    }

    @Test
    void serveHelpDoesNotAskForTheRequiredConfig() throws Exception {
        Captured c = capture(() -> Main.run("serve", "--help"));
        assertThat(c.code()).isZero();
        assertThat(c.out()).contains("--config=FILE").contains("Exit codes:");
        assertThat(c.err()).doesNotContain("Missing required option");
    }

    @Test
    void helpCommandShowsTheHelpOfANestedCommand() throws Exception {
        Captured c = capture(() -> Main.run("help", "leases", "list"));
        assertThat(c.code()).isZero();
        assertThat(c.out()).contains("Usage: leasehold leases list").contains("--state=STATE");
    }

    @Test
    void helpForACommandThatDoesNotExistIsAUsageErrorListingTheChoices() throws Exception {
        Captured c = capture(() -> Main.run("help", "leases", "lst"));
        assertThat(c.code()).isEqualTo(2);
        assertThat(c.err()).contains("'leasehold leases' has no command 'lst'").contains("list, show, delete, history");
    }

    @Test
    void topLevelHelpDocumentsTheExitCodes() throws Exception {
        Captured c = capture(() -> Main.run("--help"));
        assertThat(c.out()).contains("Exit codes:").containsPattern("(?m)^  0 +done")
                .containsPattern("(?m)^  1 +runtime failure").containsPattern("(?m)^  2 +usage or configuration error");
    }

    @Test
    void unknownOptionIsAUsageError() throws Exception {
        Captured c = capture(() -> Main.run("check-config", "--frobnicate", "x.yaml"));
        assertThat(c.code()).isEqualTo(2);
        assertThat(c.err()).contains("Unknown option: '--frobnicate'").contains("Usage: leasehold check-config");
    }

    @Test
    void badValueFoundByACommandIsAUsageErrorWithoutStackTrace() throws Exception {
        Captured c = capture(() -> Main.run("client", "--simulate", "2", "--server", "127.0.0.1:abc"));
        assertThat(c.code()).isEqualTo(2);
        assertThat(c.err()).contains("leasehold client: not a number: \"abc\"").contains("leasehold client --help")
                .doesNotContain("\tat ").doesNotContain("Exception");
    }

    @Test
    void missingConfigFileIsAConfigErrorWithoutStackTrace() throws Exception {
        Captured c = capture(() -> Main.run("check-config", dir.resolve("absent.yaml").toString()));
        assertThat(c.code()).isEqualTo(2);
        assertThat(c.err()).contains("absent.yaml").doesNotContain("\tat ");
    }

    @Test
    void runtimeFailureExitsOneWithItsMessageAndTheTraceOnlyWhenDebugging() {
        CommandLine line = Main.commandLine();
        StringWriter plain = new StringWriter();
        line.setErr(new PrintWriter(plain));
        int code = new FailureReport(false).handleExecutionException(new IOException("disk on fire"), line, null);
        assertThat(code).isEqualTo(1);
        assertThat(plain.toString()).startsWith("leasehold: disk on fire").contains("LEASEHOLD_LOG_LEVEL=debug")
                .doesNotContain("\tat ");

        StringWriter debug = new StringWriter();
        line.setErr(new PrintWriter(debug));
        new FailureReport(true).handleExecutionException(new IllegalStateException("bug"), line, null);
        assertThat(debug.toString()).contains("leasehold: IllegalStateException: bug").contains("\tat ");
    }

    @Test
    void debugLevelNamesAreRecognisedInAnyCase() {
        assertThat(Main.debugLogging("DEBUG")).isTrue();
        assertThat(Main.debugLogging("trace")).isTrue();
        assertThat(Main.debugLogging("info")).isFalse();
        assertThat(Main.debugLogging(null)).isFalse();
    }

    @Test
    void sigtermStopsTheServerWithALogLineAndExitZero() throws Exception {
        Path file = dir.resolve("leasehold.yaml");
        Files.writeString(file, """
                listen: {address: 127.0.0.1, port: %d}
                data-directory: %s
                subnets:
                  - {id: 1, subnet: 192.0.2.0/24, relay-addresses: [127.0.0.1], pools: [{range: 192.0.2.10-192.0.2.20}]}
                """.formatted(ServerProcess.freePort(), dir.resolve("data")));
        try (ServerProcess server = ServerProcess.start(file)) {
            server.signal("TERM");
            assertThat(server.awaitExit(Duration.ofSeconds(20))).isZero();
            assertThat(server.log()).contains("SIGTERM received: stopping").contains("ServeCommand - stopped")
                    .doesNotContain("/127.0.0.1:");
        }
    }

    @Test
    void requestsFromAnUnknownRelayAreLoggedByTheServerAndExplainedByTheLoadGenerator() throws Exception {
        Path file = dir.resolve("leasehold.yaml");
        int port = ServerProcess.freePort();
        Files.writeString(file, """
                listen: {address: 127.0.0.1, port: %d}
                data-directory: %s
                subnets:
                  - {id: 1, subnet: 192.0.2.0/24, relay-addresses: [192.0.2.1], pools: [{range: 192.0.2.10-192.0.2.20}]}
                """.formatted(port, dir.resolve("data")));
        try (ServerProcess server = ServerProcess.start(file)) {
            Captured c = capture(() -> Main.run("client", "--simulate", "2", "--server", "127.0.0.1:" + port, "--timeout", "300ms"));
            assertThat(c.out()).contains("2 dropped").contains("no replies at all from 127.0.0.1:" + port)
                    .contains("is 127.0.0.1 (our giaddr, --relay)");
            server.awaitLog("the request matches no subnet (no subnet for giaddr 127.0.0.1", Duration.ofSeconds(5));
        }
    }

    private static void collect(CommandLine line, List<String> prefix, List<List<String>> into) {
        for (var sub : line.getSubcommands().entrySet()) {
            List<String> path = new ArrayList<>(prefix);
            path.add(sub.getKey());
            into.add(path);
            collect(sub.getValue(), path, into);
        }
    }
}
