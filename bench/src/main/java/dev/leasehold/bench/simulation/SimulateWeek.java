package dev.leasehold.bench.simulation;

import dev.leasehold.lease.DurabilityPolicy;
import dev.leasehold.lease.InMemoryLeaseStore;
import dev.leasehold.lease.LeaseStore;
import dev.leasehold.lease.journal.JournalLeaseStore;
import dev.leasehold.lease.journal.JournalOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The long simulation, from the command line (the README's "Simulation and fuzzing" section):
 * by default 1,000,000 virtual clients over a virtual week on the journal store in a temporary
 * folder (durability none), seed 1. Prints a line per virtual day and the report; on a broken rule
 * prints it with the command that replays it, and exits 1.
 *
 * <pre>java -Xmx2g -cp bench/target/benchmarks.jar dev.leasehold.bench.simulation.SimulateWeek [--seed N] [--clients N] [--days D] [--store journal|memory]</pre>
 */
public final class SimulateWeek {

    private SimulateWeek() {
    }

    public static void main(String[] args) throws IOException {
        SimulationSettings settings = SimulationSettings.parse(args, SimulationSettings.of(1, 1_000_000, Duration.ofDays(7)));
        System.out.println("simulating " + settings.replayArguments());
        try {
            SimulationReport report = run(settings, System.out::println);
            System.out.println(report);
        } catch (InvariantViolation e) {
            System.out.println("FAILED: " + e.getMessage());
            e.printStackTrace();
            System.exit(1);
        }
    }

    /** Runs {@code settings} on a fresh store of its kind, removed afterwards. */
    public static SimulationReport run(SimulationSettings settings, Consumer<String> progress)
            throws IOException {
        if (settings.store() == SimulationSettings.StoreKind.MEMORY) {
            try (LeaseStore store = new InMemoryLeaseStore()) {
                return new EngineSimulation(settings, store, progress).run();
            }
        }
        Path folder = Files.createTempDirectory("leasehold-simulation-");
        // The simulation waits for each write before its next request: completing on the writer
        // thread spares one thread hand-off per write, and the engine's continuations are short.
        JournalOptions options = JournalOptions.of(DurabilityPolicy.NONE).withCompletions(JournalOptions.Completions.WRITER_THREAD);
        try (LeaseStore store = JournalLeaseStore.open(folder, options)) {
            return new EngineSimulation(settings, store, progress).run();
        } finally {
            try (Stream<Path> files = Files.walk(folder)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
