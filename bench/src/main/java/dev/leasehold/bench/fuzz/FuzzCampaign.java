package dev.leasehold.bench.fuzz;

import dev.leasehold.testkit.fuzz.HostilePackets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Structure-aware fuzzing of the decoder and the whole server pipeline with
 * {@link HostilePackets}: each case is one datagram, checked by {@link DecoderOracle} and then fed
 * to one long-lived {@link PipelineOracle}. Case {@code i} of base seed {@code S} draws everything
 * from {@code new SplittableRandom(S).split()} taken {@code i + 1} times, so a run replays exactly;
 * a failure prints the case, its bytes and the command that replays the run up to it.
 *
 * <pre>java -cp bench/target/benchmarks.jar dev.leasehold.bench.fuzz.FuzzCampaign [--cases 10000000] [--seed 1] [--target both|decoder|pipeline]</pre>
 *
 * <p>A watchdog ends the run (exit 3) when one case takes longer than ten seconds: a hang.
 */
public final class FuzzCampaign {

    /** What to fuzz. */
    public enum Target { DECODER, PIPELINE, BOTH }

    /**
     * What a campaign did.
     *
     * @param cases     datagrams tried
     * @param decoded   how many the decoder accepted
     * @param shapes    datagrams per shape
     * @param stored    leases in the pipeline's store at the end (0 for the decoder alone)
     * @param outcomes  how the pipeline's cases ended (empty for the decoder alone)
     * @param wallTime  real time spent
     */
    public record Report(Target target, long seed, long cases, long decoded, Map<HostilePackets.Shape, Long> shapes,
                         long stored, Map<String, Long> outcomes, Duration wallTime) {
        public double casesPerSecond() {
            return cases / Math.max(1e-3, wallTime.toNanos() / 1e9);
        }

        @Override
        public String toString() {
            return "%s fuzzing, seed %d: %,d cases in %.1f s (%,.0f cases/s), %,d decoded (%.0f %%), %,d leases stored at the end, no failure%n  shapes %s%n  pipeline outcomes %s"
                    .formatted(target, seed, cases, wallTime.toNanos() / 1e9, casesPerSecond(), decoded,
                            100.0 * decoded / Math.max(1, cases), stored, shapes, outcomes);
        }
    }

    private FuzzCampaign() {
    }

    public static void main(String[] args) throws InterruptedException {
        long cases = 10_000_000;
        long seed = 1;
        Target target = Target.BOTH;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--cases" -> cases = Long.parseLong(args[i + 1].replace("_", ""));
                case "--seed" -> seed = Long.parseLong(args[i + 1]);
                case "--target" -> target = Target.valueOf(args[i + 1].toUpperCase(Locale.ROOT));
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (known: --cases --seed --target)");
            }
        }
        try {
            System.out.println(run(target, seed, cases, Thread.currentThread(), true));
        } catch (FuzzFailure e) {
            System.out.println("FAILED: " + e.getMessage());
            if (e.getCause() != null) {
                e.getCause().printStackTrace(System.out);
            }
            System.exit(1);
        }
    }

    /**
     * Runs {@code cases} cases; throws {@link FuzzFailure} at the first broken rule, naming the
     * case and how to replay it. With {@code watchdog}, a case that hangs ends the JVM.
     */
    public static Report run(Target target, long seed, long cases, Thread runner, boolean watchdog) {
        SplittableRandom seeds = new SplittableRandom(seed);
        Map<HostilePackets.Shape, Long> shapes = new EnumMap<>(HostilePackets.Shape.class);
        long decoded = 0;
        long[] current = {-1, System.nanoTime()};
        Thread dog = watchdog ? startWatchdog(current, runner, seed) : null;
        long started = System.nanoTime();
        long i = 0;
        try (PipelineOracle pipeline = target == Target.DECODER ? null : new PipelineOracle(seed)) {
            for (; i < cases; i++) {
                SplittableRandom random = seeds.split();
                synchronized (current) {
                    current[0] = i;
                    current[1] = System.nanoTime();
                }
                HostilePackets.Packet packet = HostilePackets.next(random);
                shapes.merge(packet.shape(), 1L, Long::sum);
                boolean ok = target == Target.PIPELINE || DecoderOracle.check(packet.bytes()).isPresent();
                if (pipeline != null) {
                    ok = pipeline.check(packet.bytes(), random);
                }
                decoded += ok ? 1 : 0;
            }
            long stored = pipeline == null ? 0 : pipeline.storedLeases();
            Map<String, Long> outcomes = pipeline == null ? Map.of() : pipeline.outcomes();
            return new Report(target, seed, cases, decoded, shapes, stored, outcomes, Duration.ofNanos(System.nanoTime() - started));
        } catch (FuzzFailure e) {
            throw new FuzzFailure("case %d (%s, seed %d) broke a rule; replay the run up to it: java -cp bench/target/benchmarks.jar %s --target %s --seed %d --cases %d"
                    .formatted(i, target, seed, FuzzCampaign.class.getName(), target.name().toLowerCase(Locale.ROOT),
                            seed, i + 1), e);
        } finally {
            if (dog != null) {
                dog.interrupt();
            }
        }
    }

    private static Thread startWatchdog(long[] current, Thread runner, long seed) {
        Thread dog = Thread.ofPlatform().daemon().name("fuzz-watchdog").start(() -> {
            try {
                while (true) {
                    Thread.sleep(1_000);
                    long stuckFor;
                    long index;
                    synchronized (current) {
                        index = current[0];
                        stuckFor = System.nanoTime() - current[1];
                    }
                    if (stuckFor > 10_000_000_000L) {
                        System.out.println("HANG: case " + index + " of seed " + seed + " has run for "
                                + stuckFor / 1_000_000 + " ms; its thread:");
                        for (StackTraceElement f : runner.getStackTrace()) {
                            System.out.println("    at " + f);
                        }
                        System.exit(3);
                    }
                }
            } catch (InterruptedException e) {
                // the campaign ended
            }
        });
        return dog;
    }
}
