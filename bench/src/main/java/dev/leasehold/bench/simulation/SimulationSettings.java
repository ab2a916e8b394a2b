package dev.leasehold.bench.simulation;

import java.time.Duration;
import java.util.Locale;

/**
 * What one simulation run is: its seed, how many virtual clients over how much virtual time,
 * which lease store, and how often the whole-state audit and the reloads come.
 *
 * @param seed          every random draw of the run (the fleet, the behaviour, the engine's
 *                      allocator) comes from it: the same settings replay the same run exactly
 * @param clients       virtual clients; each arrives once in {@code duration} and may come back
 * @param duration      virtual time simulated
 * @param store         the lease store under the engine
 * @param auditEvery    virtual time between two whole-state audits (pool counts, store scan)
 * @param reloadEvery   virtual time between two configuration reloads with changed pools;
 *                      {@link Duration#ZERO} for none
 */
public record SimulationSettings(long seed, int clients, Duration duration, StoreKind store, Duration auditEvery,
                                 Duration reloadEvery) {

    /** The lease store the engine runs on. */
    public enum StoreKind {
        /** The embedded journal in a temporary folder, with durability {@code none} (no fsync). */
        JOURNAL,
        /** The in-memory store. */
        MEMORY
    }

    public SimulationSettings {
        if (clients < 1) {
            throw new IllegalArgumentException("clients must be at least 1: " + clients);
        }
        if (duration.compareTo(Duration.ofMinutes(10)) < 0) {
            throw new IllegalArgumentException("simulate at least 10 minutes: " + duration);
        }
        if (!auditEvery.isPositive() || auditEvery.toSeconds() % 60 != 0) {
            throw new IllegalArgumentException("auditEvery must be a positive number of minutes: " + auditEvery);
        }
        if (reloadEvery.isNegative()) {
            throw new IllegalArgumentException("reloadEvery must not be negative: " + reloadEvery);
        }
    }

    /** {@code clients} over {@code duration}, journal store, audits every virtual hour, reloads every 12 h. */
    public static SimulationSettings of(long seed, int clients, Duration duration) {
        return new SimulationSettings(seed, clients, duration, StoreKind.JOURNAL, Duration.ofHours(1), Duration.ofHours(12));
    }

    public SimulationSettings withStore(StoreKind kind) {
        return new SimulationSettings(seed, clients, duration, kind, auditEvery, reloadEvery);
    }

    /**
     * Reads {@code --seed N --clients N --days D --hours H --store journal|memory --audit-minutes M
     * --reload-hours H} (each optional) over {@code defaults}.
     */
    public static SimulationSettings parse(String[] args, SimulationSettings defaults) {
        long seed = defaults.seed;
        int clients = defaults.clients;
        Duration duration = defaults.duration;
        StoreKind store = defaults.store;
        Duration audit = defaults.auditEvery;
        Duration reload = defaults.reloadEvery;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String value = args[++i];
            switch (flag) {
                case "--seed" -> seed = Long.parseLong(value);
                case "--clients" -> clients = Integer.parseInt(value.replace("_", ""));
                case "--days" -> duration = Duration.ofMinutes(Math.round(Double.parseDouble(value) * 24 * 60));
                case "--hours" -> duration = Duration.ofMinutes(Math.round(Double.parseDouble(value) * 60));
                case "--store" -> store = StoreKind.valueOf(value.toUpperCase(Locale.ROOT));
                case "--audit-minutes" -> audit = Duration.ofMinutes(Long.parseLong(value));
                case "--reload-hours" -> reload = Duration.ofMinutes(Math.round(Double.parseDouble(value) * 60));
                default -> throw new IllegalArgumentException("unknown option " + flag
                        + " (known: --seed --clients --days --hours --store --audit-minutes --reload-hours)");
            }
        }
        return new SimulationSettings(seed, clients, duration, store, audit, reload);
    }

    /** The command line that replays this run. */
    public String replayArguments() {
        return "--seed %d --clients %d --hours %s --store %s --audit-minutes %d --reload-hours %s".formatted(seed, clients,
                trim(duration.toMinutes() / 60.0), store.name().toLowerCase(Locale.ROOT), auditEvery.toMinutes(),
                trim(reloadEvery.toMinutes() / 60.0));
    }

    private static String trim(double hours) {
        return hours == Math.rint(hours) ? Long.toString((long) hours) : Double.toString(hours);
    }
}
