package dev.leasehold.testkit.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.wire.DhcpCodec;
import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.MalformedMessageException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The generator makes what each shape promises, and a seed makes the same packet again. */
class HostilePacketsTest {

    private static final int DRAWS = 2_000;

    private static Optional<DhcpMessage> decode(byte[] bytes) {
        try {
            return Optional.of(DhcpCodec.decode(bytes));
        } catch (MalformedMessageException e) {
            return Optional.empty();
        }
    }

    /** How many of {@link #DRAWS} packets of {@code shape} the decoder accepts. */
    private static int decoded(HostilePackets.Shape shape) {
        SplittableRandom random = new SplittableRandom(5);
        int ok = 0;
        for (int i = 0; i < DRAWS; i++) {
            ok += decode(HostilePackets.build(shape, random)).isPresent() ? 1 : 0;
        }
        return ok;
    }

    @Test
    void aSeedMakesTheSamePacketAgain() {
        for (long seed = 0; seed < 200; seed++) {
            HostilePackets.Packet first = HostilePackets.next(new SplittableRandom(seed));
            HostilePackets.Packet again = HostilePackets.next(new SplittableRandom(seed));
            assertThat(again.shape()).isEqualTo(first.shape());
            assertThat(again.bytes()).isEqualTo(first.bytes());
        }
    }

    @Test
    void everyShapeComesUp() {
        Map<HostilePackets.Shape, Integer> seen = new EnumMap<>(HostilePackets.Shape.class);
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < DRAWS; i++) {
            seen.merge(HostilePackets.next(random).shape(), 1, Integer::sum);
        }
        assertThat(seen).containsOnlyKeys(HostilePackets.Shape.values());
    }

    @Test
    void wellFormedPacketsMostlyDecodeAndNoiseRarelyDoes() {
        // Well-formed ones fail only where they are meant to: a BOOTREPLY op is still a message,
        // but a stray option of any length now and then makes the whole packet malformed.
        assertThat(decoded(HostilePackets.Shape.WELL_FORMED)).isGreaterThan(DRAWS * 7 / 10);
        assertThat(decoded(HostilePackets.Shape.RELAY_AGENT)).isGreaterThan(DRAWS * 6 / 10);
        assertThat(decoded(HostilePackets.Shape.NOISE)).isLessThan(DRAWS / 50);
    }

    @Test
    void bentShapesReachBothSidesOfTheDecoder() {
        for (HostilePackets.Shape shape : new HostilePackets.Shape[] {HostilePackets.Shape.LYING_LENGTHS,
                HostilePackets.Shape.OVERLOADED, HostilePackets.Shape.SPLIT_OPTIONS, HostilePackets.Shape.TRUNCATED,
                HostilePackets.Shape.MUTATED, HostilePackets.Shape.OVERSIZED}) {
            assertThat(decoded(shape)).as(shape.name()).isBetween(DRAWS / 50, DRAWS * 49 / 50);
        }
    }

    @Test
    void splitOptionsAreJoinedByTheDecoderIntoValuesLongerThanOneInstance() {
        SplittableRandom random = new SplittableRandom(3);
        int longValues = 0;
        for (int i = 0; i < DRAWS; i++) {
            Optional<DhcpMessage> m = decode(HostilePackets.build(HostilePackets.Shape.SPLIT_OPTIONS, random));
            if (m.isPresent() && m.get().options().asList().stream().anyMatch(o -> o.value().length > 255)) {
                longValues++;
            }
        }
        assertThat(longValues).as("RFC 3396 concatenations past 255 bytes").isPositive();
    }

    /** The decoder reads options out of {@code file} when option 52 says so, and hands back an empty field. */
    @Test
    void overloadedPacketsHaveOptionsReadOutOfTheFileField() {
        SplittableRandom random = new SplittableRandom(4);
        int readFromFile = 0;
        for (int i = 0; i < DRAWS; i++) {
            byte[] p = HostilePackets.build(HostilePackets.Shape.OVERLOADED, random);
            boolean fileHadBytes = p.length >= 236 && !Arrays.equals(Arrays.copyOfRange(p, 108, 236), new byte[128]);
            Optional<DhcpMessage> m = decode(p);
            if (fileHadBytes && m.isPresent() && Arrays.equals(m.get().file(), new byte[128])) {
                readFromFile++;
            }
        }
        assertThat(readFromFile).isGreaterThan(DRAWS / 20);
    }
}
