package dev.leasehold.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * The codec (RFC 2131 §2, RFC 2132) against random messages and random bytes: what it encodes it
 * decodes back, it honours a size limit by overloading sname and file (RFC 2132 §9.3), and any
 * input is either a message or a {@link MalformedMessageException}, never another failure.
 *
 * <p>Each property runs seeded trials; see {@link #trials} for replaying a failure.
 */
class DhcpCodecPropertyTest {

    private static final int TRIES = 1000;
    private static final String[] FIXTURES = {"discover", "request", "ack", "nak", "inform", "relayed-discover"};

    @Test
    void decodingAnEncodedMessageGivesItBack() {
        trials(TRIES, random -> {
            DhcpMessage message = message(random, true);
            assertThat(DhcpCodec.decode(DhcpCodec.encode(message))).isEqualTo(message);
        });
    }

    @Test
    void encodingWithinALimitStaysWithinItAndKeepsEveryOption() {
        TreeMap<String, Integer> layouts = new TreeMap<>();
        trials(TRIES, random -> {
            DhcpMessage message = message(random, false);
            int limit = between(random, 300, 1500);
            byte[] wire;
            try {
                wire = DhcpCodec.encode(message, limit);
            } catch (MessageTooLargeException e) {
                // only when even sname and file together cannot take the overflow
                assertThat(DhcpCodec.plainSize(message)).isGreaterThan(limit);
                layouts.merge("too large", 1, Integer::sum);
                return;
            }
            layouts.merge(wire[240] == OptionCode.OVERLOAD ? "overloaded" : "plain", 1, Integer::sum);
            assertThat(wire.length).isBetween(300, limit);
            DhcpMessage back = DhcpCodec.decode(wire);
            assertThat(back.toBuilder().options(DhcpOptions.empty()).build())
                    .isEqualTo(message.toBuilder().options(DhcpOptions.empty()).build());
            // the order survives except that option 82 may now sit before options moved to file/sname
            assertThat(withoutRelayInfo(back.options())).isEqualTo(withoutRelayInfo(message.options()));
            assertThat(back.options().getUnsafe(82)).isEqualTo(message.options().getUnsafe(82));
        });
        if (System.getProperty(SEED_PROPERTY) == null) {
            // every layout must be exercised, or the property proves less than it claims
            assertThat(layouts).as("layouts over %d trials: %s", TRIES, layouts).containsOnlyKeys("overloaded", "plain", "too large")
                    .allSatisfy((layout, n) -> assertThat(n).as(layout).isGreaterThanOrEqualTo(20));
        }
    }

    @Test
    void randomBytesAreEitherAMessageOrMalformed() {
        trials(TRIES, random -> decodeOrMalformed(bytes(random, 0, 1200)));
    }

    @Test
    void randomOptionsBehindAValidHeaderAreEitherAMessageOrMalformed() {
        trials(TRIES, random -> {
            byte[] data = bytes(random, 240, 1200);
            data[0] = 1;
            data[2] = (byte) between(random, 0, 16);
            data[236] = 0x63;
            data[237] = (byte) 0x82;
            data[238] = 0x53;
            data[239] = 0x63;
            decodeOrMalformed(data);
        });
    }

    @Test
    void mutatedValidPacketsAreEitherAMessageOrMalformed() {
        trials(TRIES, random -> {
            byte[] wire = HexFixtures.resource("fixtures/" + FIXTURES[between(random, 0, FIXTURES.length - 1)] + ".hex");
            int mutations = between(random, 1, 8);
            byte[] values = bytes(random, 8, 8);
            for (int i = 0; i < mutations; i++) {
                int p = Math.min(between(random, 0, 302), wire.length - 1);
                wire[p] = values[i];
            }
            decodeOrMalformed(wire);
            decodeOrMalformed(Arrays.copyOf(wire, Math.min(between(random, 0, 303), wire.length)));
        });
    }

    /** Anything but a message or a MalformedMessageException fails the property. */
    private static void decodeOrMalformed(byte[] data) {
        try {
            DhcpMessage m = DhcpCodec.decode(data);
            // what decodes must encode again
            DhcpCodec.encode(m);
        } catch (MalformedMessageException e) {
            assertThat(e.offset()).isBetween(0, data.length);
            assertThat(e.reason()).isNotBlank();
        }
    }

    private static List<DhcpOption> withoutRelayInfo(DhcpOptions options) {
        List<DhcpOption> out = new ArrayList<>(options.asList());
        out.removeIf(o -> o.code() == 82);
        return out;
    }

    // ------------------------------------------------------------ generators

    /** Any header; sname and file random, or all zero so the codec may use them for overload. */
    private static DhcpMessage message(RandomGenerator random, boolean randomSnameAndFile) {
        DhcpMessage.BootOp[] ops = DhcpMessage.BootOp.values();
        return DhcpMessage.builder()
                .op(ops[random.nextInt(ops.length)])
                .htype(between(random, 0, 255)).hlen(between(random, 0, 16)).hops(between(random, 0, 255))
                .xid(between(random, Integer.MIN_VALUE, Integer.MAX_VALUE))
                .secs(between(random, 0, 0xFFFF)).flags(between(random, 0, 0xFFFF))
                .ciaddr(address(random)).yiaddr(address(random)).siaddr(address(random)).giaddr(address(random))
                .chaddr(bytes(random, 16, 16))
                .sname(randomSnameAndFile ? bytes(random, 64, 64) : new byte[64])
                .file(randomSnameAndFile ? bytes(random, 128, 128) : new byte[128])
                .options(options(random))
                .build();
    }

    private static Ipv4Address address(RandomGenerator random) {
        return new Ipv4Address(between(random, Integer.MIN_VALUE, Integer.MAX_VALUE));
    }

    /** Up to 16 options of up to 300 bytes (option 52 and 82 excluded), then option 82 most of the time. */
    private static DhcpOptions options(RandomGenerator random) {
        DhcpOptions.Builder b = DhcpOptions.builder();
        int count = between(random, 0, 16);
        for (int i = 0; i < count; i++) {
            int code;
            do {
                code = between(random, 1, 254);
            } while (code == OptionCode.OVERLOAD || code == OptionCode.RELAY_AGENT_INFORMATION);
            b.put(code, legalValue(code, bytes(random, 0, 300)));
        }
        if (random.nextInt(4) != 0) {
            b.put(OptionCode.RELAY_AGENT_INFORMATION, bytes(random, 1, 40));
        }
        return b.build();
    }

    /** Shapes a random value the way the decoder insists on (RFC 2132 §9.6 and minimum lengths). */
    private static byte[] legalValue(int code, byte[] value) {
        if (code == OptionCode.MESSAGE_TYPE) {
            return new byte[] {value.length == 0 ? 1 : value[0]};
        }
        OptionType type = OptionDefinitions.standard().byCode(code).map(OptionDefinition::type).orElse(null);
        if (value.length == 0 && type != null && !type.allowsEmpty()) {
            return new byte[] {0};
        }
        return value;
    }

    // ------------------------------------------------------------ seeded trials
    // wire may depend on nothing (DESIGN §2), so this is a pared-down copy of testkit's Trials:
    // the same system properties, the same fixed base seed, the same edge-case bias.

    private static final String SEED_PROPERTY = "leasehold.trials.seed";
    private static final byte[] EDGE_BYTES = {0, 1, 0x7F, (byte) 0x80, (byte) 0xFF};

    private interface Trial {
        void run(RandomGenerator random) throws Exception;
    }

    /**
     * Runs {@code count} trials from the fixed base seed (a fresh one with
     * {@code -Dleasehold.trials.random=true}), or only the trial {@code -Dleasehold.trials.seed=S};
     * a failure names its seed.
     */
    private static void trials(int count, Trial trial) {
        String replay = System.getProperty(SEED_PROPERTY);
        long base = Boolean.getBoolean("leasehold.trials.random") ? new SplittableRandom().nextLong() : 0x1EA5E401DL;
        long[] seeds = replay != null ? new long[] {Long.parseLong(replay.strip())} : new SplittableRandom(base).longs(count).toArray();
        for (int i = 0; i < seeds.length; i++) {
            try {
                trial.run(new SplittableRandom(seeds[i]));
            } catch (Throwable e) {
                throw new AssertionError("trial %d of %d failed (%s); replay it with -D%s=%d"
                        .formatted(i + 1, seeds.length, replay != null ? "replayed" : "base seed " + base,
                                SEED_PROPERTY, seeds[i]), e);
            }
        }
    }

    /** An int in {@code [min, max]}, one draw in eight an edge: the ends, their neighbours, 0, 1 or -1. */
    private static int between(RandomGenerator random, int min, int max) {
        if (random.nextInt(8) == 0) {
            int[] edges = {min, min + 1, max - 1, max, 0, 1, -1};
            int e = edges[random.nextInt(edges.length)];
            if (e >= min && e <= max) {
                return e;
            }
        }
        return (int) random.nextLong(min, (long) max + 1);
    }

    /** {@code [min, max]} bytes: empty and longest values, runs of 0x00 or 0xFF, and short values often. */
    private static byte[] bytes(RandomGenerator random, int min, int max) {
        int top = random.nextInt(4) == 0 ? Math.min(max, min + 8) : max;
        byte[] out = new byte[random.nextInt(8) == 0 ? (random.nextBoolean() ? min : max) : random.nextInt(min, top + 1)];
        boolean run = random.nextInt(8) == 0;
        byte fill = EDGE_BYTES[random.nextInt(EDGE_BYTES.length)];
        for (int i = 0; i < out.length; i++) {
            out[i] = run ? fill : random.nextInt(8) == 0 ? EDGE_BYTES[random.nextInt(EDGE_BYTES.length)] : (byte) random.nextInt(256);
        }
        return out;
    }
}
