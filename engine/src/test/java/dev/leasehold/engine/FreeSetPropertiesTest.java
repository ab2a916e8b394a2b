package dev.leasehold.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.leasehold.testkit.Trials;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * {@link FreeSet} against the obvious model, a {@link TreeSet} of the free slots: every take,
 * release and next-free search answers the same. Sizes cluster around the word (64) and
 * summary-word (4096) boundaries, where a bitmap with summary levels goes wrong if it does.
 */
class FreeSetPropertiesTest {

    enum Kind { TAKE, RELEASE, NEXT_FREE, IS_FREE }

    /** One step of a script; {@code position} is reduced modulo the set's size (or past it, for NEXT_FREE). */
    record Step(Kind kind, long position) {}

    /** Sizes at the word (64) and summary-word (4096) boundaries half the time, any size up to 5000 else. */
    private static final List<Integer> BOUNDARY_SIZES = List.of(1, 2, 63, 64, 65, 127, 128, 4095, 4096, 4097, 8192, 8193);

    private static int size(RandomGenerator random) {
        return random.nextBoolean() ? Trials.pick(random, BOUNDARY_SIZES) : Trials.intBetween(random, 1, 5000);
    }

    /**
     * Up to 600 steps at random positions; one position in eight is a boundary for this size
     * (the first and last slot, the ends of a word or summary word, or just past the end).
     */
    private static List<Step> script(RandomGenerator random, int size) {
        long[] boundaries = {0, 1, 63, 64, 65, 4095, 4096, 4097, size - 1L, size, 2L * size - 1};
        return Trials.listOf(random, 0, 600, r -> new Step(Trials.pick(r, Kind.class),
                Trials.edge(r) ? boundaries[r.nextInt(boundaries.length)] : r.nextLong(0, Long.MAX_VALUE / 2 + 1)));
    }

    @Test
    void agreesWithATreeSetModel() {
        Trials.run(300, random -> {
            int size = size(random);
            agreesWithATreeSetModel(size, script(random, size));
        });
    }

    private static void agreesWithATreeSetModel(int size, List<Step> script) {
        FreeSet set = new FreeSet(size);
        TreeSet<Long> model = allSlots(size);

        for (Step step : script) {
            long slot = step.position() % size;
            switch (step.kind()) {
                case TAKE -> assertThat(set.take(slot)).as("take %d", slot).isEqualTo(model.remove(slot));
                case RELEASE -> assertThat(set.release(slot)).as("release %d", slot).isEqualTo(model.add(slot));
                case IS_FREE -> assertThat(set.isFree(slot)).as("isFree %d", slot).isEqualTo(model.contains(slot));
                case NEXT_FREE -> {
                    // Half of the searches start past the end, which must wrap to slot 0.
                    long from = step.position() % (2L * size);
                    assertThat(set.nextFree(from)).as("nextFree(%d)", from).isEqualTo(nextFree(model, from, size));
                }
            }
            assertThat(set.freeCount()).isEqualTo(model.size());
        }
    }

    @Test
    void fillingInAnyOrderThenDrainingAgreesAtEveryStep() {
        Trials.run(60, random -> fillingInAnyOrderThenDrainingAgreesAtEveryStep(size(random), random.nextLong()));
    }

    private static void fillingInAnyOrderThenDrainingAgreesAtEveryStep(int size, long seed) {
        FreeSet set = new FreeSet(size);
        TreeSet<Long> model = allSlots(size);
        List<Long> order = new ArrayList<>(model);
        Random random = new Random(seed);
        Collections.shuffle(order, random);

        for (long slot : order) {
            long probe = random.nextLong(size);
            assertThat(set.nextFree(probe)).isEqualTo(nextFree(model, probe, size));
            assertThat(set.take(slot)).isTrue();
            model.remove(slot);
        }
        assertThat(set.freeCount()).isZero();
        assertThat(set.nextFree(0)).isEqualTo(-1);

        Collections.shuffle(order, random);
        for (long slot : order) {
            assertThat(set.release(slot)).isTrue();
            model.add(slot);
            long probe = random.nextLong(size);
            assertThat(set.nextFree(probe)).isEqualTo(nextFree(model, probe, size));
        }
        assertThat(set.freeCount()).isEqualTo(size);
    }

    @Test
    void aSlashEightSizedSetAgreesWithABitSetAtSampledPoints() {
        Trials.run(5, random -> aSlashEightSizedSetAgreesWithABitSetAtSampledPoints(random.nextLong(0, (1L << 40) + 1)));
    }

    private static void aSlashEightSizedSetAgreesWithABitSetAtSampledPoints(long seed) {
        int size = 1 << 24;   // a /8
        FreeSet set = new FreeSet(size);
        BitSet used = new BitSet(size);
        Random random = new Random(seed);
        // A contiguous run wider than one summary word (4096 slots), so upper levels empty out...
        int blockStart = random.nextInt(size - 70_000);
        for (int s = blockStart; s < blockStart + 70_000; s++) {
            set.take(s);
            used.set(s);
        }
        // ...a full tail, so a search must wrap...
        for (int s = size - 5_000; s < size; s++) {
            set.take(s);
            used.set(s);
        }
        // ...and scattered takes and releases.
        for (int i = 0; i < 20_000; i++) {
            int s = random.nextInt(size);
            if (random.nextBoolean()) {
                assertThat(set.take(s)).isEqualTo(!used.get(s));
                used.set(s);
            } else {
                assertThat(set.release(s)).isEqualTo(used.get(s));
                used.clear(s);
            }
        }
        assertThat(set.freeCount()).isEqualTo(size - used.cardinality());

        List<Long> probes = new ArrayList<>(List.of(0L, (long) blockStart, blockStart + 35_000L, size - 5_000L, size - 1L));
        for (int i = 0; i < 500; i++) {
            probes.add((long) random.nextInt(size));
        }
        for (long from : probes) {
            int expected = used.nextClearBit((int) from);
            if (expected >= size) {
                expected = used.nextClearBit(0);
            }
            assertThat(set.nextFree(from)).as("nextFree(%d)", from).isEqualTo(expected);
            assertThat(set.isFree(from)).isEqualTo(!used.get((int) from));
        }
    }

    @Test
    void sizesOutsideOneToTwoToTheThirtyTwoAreRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new FreeSet(0));
        assertThatIllegalArgumentException().isThrownBy(() -> new FreeSet((1L << 32) + 1));
    }

    @Test
    void slotsOutsideTheSetAreRefused() {
        FreeSet set = new FreeSet(10);
        assertThatThrownBy(() -> set.take(10)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> set.release(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    private static TreeSet<Long> allSlots(int size) {
        TreeSet<Long> all = new TreeSet<>();
        for (long s = 0; s < size; s++) {
            all.add(s);
        }
        return all;
    }

    /** The model's answer: the first free slot at or after {@code from} (0 when past the end), wrapping once. */
    private static long nextFree(TreeSet<Long> free, long from, long size) {
        if (free.isEmpty()) {
            return -1;
        }
        Long at = free.ceiling(from < size ? from : 0);
        return at != null ? at : free.first();
    }
}
