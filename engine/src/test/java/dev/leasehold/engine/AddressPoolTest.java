package dev.leasehold.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.config.AddressRange;
import dev.leasehold.config.AllocationStrategy;
import dev.leasehold.config.PoolConfig;
import dev.leasehold.testkit.Trials;
import dev.leasehold.wire.Ipv4Address;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link AddressPool}: allocation by strategy over a free set, and who may draw from the pool. */
class AddressPoolTest {

    private static AddressPool pool(String first, String last, String... classes) {
        return new AddressPool(new PoolConfig(new AddressRange(Ipv4Address.parse(first), Ipv4Address.parse(last)),
                List.of(classes)));
    }

    /** Pool sizes around the free set's 64-slot words, drawn a quarter of the time. */
    private static final List<Integer> WORD_BOUNDARY_SIZES = List.of(1, 2, 63, 64, 65, 127, 128, 129);

    @Test
    void allocationHandsOutEveryAddressOnceThenNothing() {
        Trials.run(100, random -> allocationHandsOutEveryAddressOnceThenNothing(
                random.nextInt(4) == 0 ? Trials.pick(random, WORD_BOUNDARY_SIZES) : Trials.intBetween(random, 1, 3000),
                Trials.pick(random, AllocationStrategy.class), random.nextLong()));
    }

    private static void allocationHandsOutEveryAddressOnceThenNothing(int size, AllocationStrategy strategy, long seed) {
        Ipv4Address first = Ipv4Address.parse("10.1.0.0");
        AddressPool pool = new AddressPool(new PoolConfig(
                new AddressRange(first, Ipv4Address.ofLong(first.toLong() + size - 1)), List.of()));
        SplittableRandom random = new SplittableRandom(seed);
        Set<Ipv4Address> seen = new HashSet<>();

        for (int i = 0; i < size; i++) {
            Ipv4Address a = pool.allocate(strategy, random);
            assertThat(a).isNotNull();
            assertThat(pool.contains(a)).isTrue();
            assertThat(seen.add(a)).as("handed out twice: %s", a).isTrue();
            assertThat(pool.isFree(a)).isFalse();
        }
        assertThat(pool.allocate(strategy, random)).isNull();
        assertThat(pool.freeCount()).isZero();
    }

    @Test
    void iterativeAllocationGoesRoundSoAJustFreedAddressRests() {
        AddressPool pool = pool("10.0.0.10", "10.0.0.13");
        SplittableRandom unused = new SplittableRandom(1);

        Ipv4Address a = pool.allocate(AllocationStrategy.ITERATIVE, unused);
        pool.release(a);

        assertThat(a).isEqualTo(Ipv4Address.parse("10.0.0.10"));
        assertThat(pool.allocate(AllocationStrategy.ITERATIVE, unused)).isEqualTo(Ipv4Address.parse("10.0.0.11"));
        assertThat(pool.allocate(AllocationStrategy.ITERATIVE, unused)).isEqualTo(Ipv4Address.parse("10.0.0.12"));
        assertThat(pool.allocate(AllocationStrategy.ITERATIVE, unused)).isEqualTo(Ipv4Address.parse("10.0.0.13"));
        assertThat(pool.allocate(AllocationStrategy.ITERATIVE, unused)).isEqualTo(Ipv4Address.parse("10.0.0.10"));
    }

    @Test
    void iterativeAllocationSkipsTakenAddresses() {
        AddressPool pool = pool("10.0.0.10", "10.0.0.13");
        assertThat(pool.take(Ipv4Address.parse("10.0.0.10"))).isTrue();
        assertThat(pool.take(Ipv4Address.parse("10.0.0.11"))).isTrue();
        assertThat(pool.take(Ipv4Address.parse("10.0.0.11"))).isFalse();

        assertThat(pool.allocate(AllocationStrategy.ITERATIVE, new SplittableRandom(1))).isEqualTo(Ipv4Address.parse("10.0.0.12"));
    }

    @Test
    void poolWithoutClassesAdmitsEveryoneAndARestrictedOneOnlyMembers() {
        assertThat(pool("10.0.0.1", "10.0.0.2").admits(List.of())).isTrue();
        AddressPool phones = pool("10.0.0.1", "10.0.0.2", "phones", "printers");
        assertThat(phones.admits(List.of())).isFalse();
        assertThat(phones.admits(List.of("laptops"))).isFalse();
        assertThat(phones.admits(List.of("laptops", "printers"))).isTrue();
    }

    @Test
    void containsIsTheInclusiveRange() {
        AddressPool pool = pool("10.0.0.10", "10.0.0.20");
        assertThat(pool.contains(Ipv4Address.parse("10.0.0.10"))).isTrue();
        assertThat(pool.contains(Ipv4Address.parse("10.0.0.20"))).isTrue();
        assertThat(pool.contains(Ipv4Address.parse("10.0.0.9"))).isFalse();
        assertThat(pool.contains(Ipv4Address.parse("10.0.0.21"))).isFalse();
        assertThat(pool.size()).isEqualTo(11);
    }
}
