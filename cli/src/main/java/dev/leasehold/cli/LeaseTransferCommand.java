package dev.leasehold.cli;

import dev.leasehold.config.ConfigException;
import dev.leasehold.config.ConfigLoader;
import dev.leasehold.config.ServerConfig;
import dev.leasehold.lease.Lease;
import dev.leasehold.lease.LeaseStore;
import dev.leasehold.lease.PutResult;
import dev.leasehold.server.ServerComposition;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code leasehold leases export|import --config FILE}: moves leases between whatever stores two
 * configurations name, through a {@link LeaseFile}; this is how an operator migrates from the
 * journal to PostgreSQL (docs/postgresql.md, "Migrating"). Both work on the store directly, not
 * through a running server: the journal refuses a second opener, so stop the server first.
 */
final class LeaseTransferCommand {

    static final int FAILED = 1;
    static final int BAD_INPUT = 2;

    private LeaseTransferCommand() {
    }

    abstract static class StoreCommand implements Callable<Integer> {
        @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
                description = "configuration whose lease-store (journal or postgresql) to use")
        Path config;

        PrintStream out = System.out;
        PrintStream err = System.err;
        Clock clock = Clock.systemUTC();

        abstract int run(LeaseStore store) throws IOException;

        /** Reads what must be read before the store opens; a problem here exits before anything is touched. */
        int prepare() throws IOException {
            return 0;
        }

        @Override
        public Integer call() {
            ServerConfig loaded;
            try {
                loaded = ConfigLoader.load(config);
            } catch (ConfigException e) {
                err.println(e.getMessage());
                return BAD_INPUT;
            }
            try {
                int prepared = prepare();
                if (prepared != 0) {
                    return prepared;
                }
                try (LeaseStore store = ServerComposition.openStore(loaded, clock)) {
                    return run(store);
                }
            } catch (IOException | UncheckedIOException e) {
                err.println(e.getMessage());
                return FAILED;
            }
        }
    }

    @Command(name = "export", description = "Write every lease of the configured store as JSON lines (stop the"
            + " server first when the store is the journal).")
    static final class Export extends StoreCommand {
        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "file to write (default: standard output)")
        Path output;

        @Override
        int run(LeaseStore store) throws IOException {
            long[] count = {0};
            BufferedWriter writer = output == null
                    ? new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8))
                    : Files.newBufferedWriter(output, StandardCharsets.UTF_8);
            try {
                store.forEach(lease -> {
                    try {
                        writer.write(LeaseFile.line(lease));
                        writer.newLine();
                        count[0]++;
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } finally {
                if (output == null) {
                    writer.flush();
                } else {
                    writer.close();
                }
            }
            err.println("exported " + count[0] + " lease(s)");
            return 0;
        }
    }

    @Command(name = "import", description = "Store the leases of a JSON-lines file (from 'leases export') in the"
            + " configured store; a lease another client holds there is reported, not overwritten.")
    static final class Import extends StoreCommand {
        /** Writes in flight at once: enough for group commits, bounded for memory. */
        static final int IN_FLIGHT = 1_000;
        static final int MAX_LISTED = 20;

        @Option(names = {"-i", "--input"}, paramLabel = "FILE", description = "file to read (default: standard input)")
        Path input;

        private final List<Lease> leases = new ArrayList<>();

        /** Reads and checks the whole file first: a bad line stops the import before the store is touched. */
        @Override
        int prepare() throws IOException {
            BufferedReader reader = input == null
                    ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                    : Files.newBufferedReader(input, StandardCharsets.UTF_8);
            try (reader) {
                String line;
                int number = 0;
                while ((line = reader.readLine()) != null) {
                    number++;
                    if (line.isBlank()) {
                        continue;
                    }
                    try {
                        leases.add(LeaseFile.parse(line));
                    } catch (IllegalArgumentException e) {
                        err.println((input == null ? "stdin" : input.toString()) + ":" + number + ": " + e.getMessage()
                                + "; nothing imported");
                        return BAD_INPUT;
                    }
                }
            }
            return 0;
        }

        @Override
        int run(LeaseStore store) {
            Deque<CompletableFuture<String>> inFlight = new ArrayDeque<>();
            int[] outcome = new int[3];
            List<String> problems = new ArrayList<>();
            for (Lease lease : leases) {
                if (inFlight.size() >= IN_FLIGHT) {
                    settle(inFlight.removeFirst(), outcome, problems);
                }
                inFlight.add(store.put(lease, clock.instant()).thenApply(result -> switch (result) {
                    case PutResult.Stored s -> "";
                    case PutResult.Conflict c -> "conflict: " + lease.address() + " is held by " + c.holder().clientId()
                            + " until " + c.holder().expiresAt();
                    case PutResult.Failed f -> "failed: " + lease.address() + ": " + f.reason();
                }));
            }
            while (!inFlight.isEmpty()) {
                settle(inFlight.removeFirst(), outcome, problems);
            }
            problems.stream().limit(MAX_LISTED).forEach(err::println);
            if (problems.size() > MAX_LISTED) {
                err.println("... and " + (problems.size() - MAX_LISTED) + " more");
            }
            err.println("imported " + outcome[0] + " lease(s); " + outcome[1] + " conflict(s), " + outcome[2]
                    + " failed");
            return outcome[1] + outcome[2] == 0 ? 0 : FAILED;
        }

        private static void settle(CompletableFuture<String> result, int[] outcome, List<String> problems) {
            String problem = result.orTimeout(60, TimeUnit.SECONDS).join();
            if (problem.isEmpty()) {
                outcome[0]++;
            } else {
                outcome[problem.startsWith("conflict") ? 1 : 2]++;
                problems.add(problem);
            }
        }
    }
}
