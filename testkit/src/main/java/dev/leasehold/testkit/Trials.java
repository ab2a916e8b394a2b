package dev.leasehold.testkit;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;

/**
 * Property tests as plain JUnit tests: a property runs a fixed number of trials, each with its own
 * {@link RandomGenerator} seeded from one base seed, and a failing trial names its seed so it can
 * be run again alone.
 *
 * <ul>
 * <li>By default the base seed is fixed, so every run (and CI) draws the same cases.</li>
 * <li>{@code -Dleasehold.trials.random=true} draws a new base seed per property, for exploring.</li>
 * <li>{@code -Dleasehold.trials.seed=S} runs the single trial with seed S, as printed by a failure
 *     (pair it with {@code -Dtest=Class#method}).</li>
 * </ul>
 *
 * <p>The generators lean on edge cases (empty and longest values, bytes 0x00 and 0xFF, range ends)
 * about one draw in eight, because that is where codecs and bitmaps break. A failure is not
 * shrunk: the seed reproduces the whole trial instead.
 *
 * <p>The project stopped using jqwik because its maintainers ask, since 1.10, that AI coding agents
 * not use it, and this project is built by such agents.
 */
public final class Trials {

    /** System property: run one trial with this seed instead of the usual series. */
    public static final String SEED_PROPERTY = "leasehold.trials.seed";
    /** System property: {@code true} draws a fresh base seed instead of the fixed one. */
    public static final String RANDOM_PROPERTY = "leasehold.trials.random";
    /** The base seed of repeatable runs. */
    public static final long FIXED_BASE_SEED = 0x1EA5E401DL;

    private static final int EDGE_ONE_IN = 8;
    private static final byte[] EDGE_BYTES = {0, 1, 0x7F, (byte) 0x80, (byte) 0xFF};

    private Trials() {
    }

    /** One trial of a property: draws its case from {@code random} and asserts. */
    @FunctionalInterface
    public interface Trial {
        void run(RandomGenerator random) throws Exception;
    }

    /**
     * Runs {@code count} trials (or the one named by {@value #SEED_PROPERTY}); the first failure
     * ends the series with an {@link AssertionError} that names the trial, its seed and the base seed.
     */
    public static void run(int count, Trial trial) {
        String replay = System.getProperty(SEED_PROPERTY);
        long base = Boolean.getBoolean(RANDOM_PROPERTY) ? new SplittableRandom().nextLong() : FIXED_BASE_SEED;
        long[] seeds = replay != null ? new long[] {Long.parseLong(replay.strip())} : new SplittableRandom(base).longs(count).toArray();
        for (int i = 0; i < seeds.length; i++) {
            try {
                trial.run(new SplittableRandom(seeds[i]));
            } catch (Throwable e) {   // an Error such as StackOverflowError needs its seed too
                throw new AssertionError("trial %d of %d failed (%s); replay it with -D%s=%d"
                        .formatted(i + 1, seeds.length, replay != null ? "replayed" : "base seed " + base,
                                SEED_PROPERTY, seeds[i]), e);
            }
        }
    }

    /** True about one draw in eight: when a generator should hand out an edge case. */
    public static boolean edge(RandomGenerator random) {
        return random.nextInt(EDGE_ONE_IN) == 0;
    }

    /** An int in {@code [min, max]}; edge draws give the ends, their neighbours, or 0, 1 and -1 when in range. */
    public static int intBetween(RandomGenerator random, int min, int max) {
        if (edge(random)) {
            int[] edges = {min, min + 1, max - 1, max, 0, 1, -1};
            int e = edges[random.nextInt(edges.length)];
            if (e >= min && e <= max) {
                return e;
            }
        }
        return (int) random.nextLong(min, (long) max + 1);
    }

    /** Any byte, with 0x00, 0x01, 0x7F, 0x80 and 0xFF on edge draws. */
    public static byte anyByte(RandomGenerator random) {
        return edge(random) ? EDGE_BYTES[random.nextInt(EDGE_BYTES.length)] : (byte) random.nextInt(256);
    }

    /**
     * A byte array of {@link #length} bytes (so empty and longest values come often), one time in
     * eight a run of one edge byte, else bytes leaning to 0x00, 0x7F, 0x80 and 0xFF.
     */
    public static byte[] bytes(RandomGenerator random, int minLength, int maxLength) {
        byte[] out = new byte[length(random, minLength, maxLength)];
        if (edge(random)) {
            Arrays.fill(out, EDGE_BYTES[random.nextInt(EDGE_BYTES.length)]);
            return out;
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = anyByte(random);
        }
        return out;
    }

    /**
     * A size in {@code [min, max]}: the ends on edge draws, otherwise one time in four a short size
     * (at most {@code min + 8}) and else any size, so long scripts and short values both come often.
     */
    public static int length(RandomGenerator random, int min, int max) {
        if (edge(random)) {
            return random.nextBoolean() ? min : max;
        }
        int top = random.nextInt(4) == 0 ? Math.min(max, min + 8) : max;
        return random.nextInt(min, top + 1);
    }

    /** A list of {@link #length} elements drawn by {@code element}. */
    public static <T> List<T> listOf(RandomGenerator random, int minSize, int maxSize, Function<RandomGenerator, T> element) {
        int size = length(random, minSize, maxSize);
        return Stream.generate(() -> element.apply(random)).limit(size).toList();
    }

    /** One of {@code values}, evenly. */
    public static <T> T pick(RandomGenerator random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** One constant of {@code type}, evenly. */
    public static <E extends Enum<E>> E pick(RandomGenerator random, Class<E> type) {
        E[] constants = type.getEnumConstants();
        return constants[random.nextInt(constants.length)];
    }
}
