package dev.leasehold.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.leasehold.config.ConfigException;
import dev.leasehold.config.ConfigLoader;
import dev.leasehold.engine.DhcpEngine;
import dev.leasehold.lease.InMemoryLeaseStore;
import dev.leasehold.net.InboundDatagram;
import dev.leasehold.net.OutboundDatagram;
import dev.leasehold.testkit.FakeClock;
import dev.leasehold.testkit.InMemoryTransport;
import dev.leasehold.testkit.Trials;
import dev.leasehold.wire.DhcpCodec;
import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.Ipv4Address;
import dev.leasehold.wire.MalformedMessageException;
import dev.leasehold.wire.MessageType;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * A valid DISCOVER with bytes overwritten at random, fed to the pipeline: each is answered,
 * or counted as malformed, or dropped by the engine; nothing escapes, and the in-flight bound
 * is not worn down, so a good request is still served afterwards (DESIGN §3, "bad input is data").
 */
class MutatedPacketsTest {

    private static final InboundDatagram.Arrival ETH0 =
            new InboundDatagram.Arrival("eth0", 2, Ipv4Address.parse("10.0.0.1"), true);
    private static final InetSocketAddress CLIENT = new InetSocketAddress("0.0.0.0", 68);

    /** One byte overwritten: {@code packet[position] = value}. */
    record Mutation(int position, byte value) {}

    private static List<Mutation> mutations(RandomGenerator random) {
        return Trials.listOf(random, 1, 6, r -> new Mutation(position(r), Trials.anyByte(r)));
    }

    /** Weighted 3 : 1 : 4 towards the header's first fields and the first options, where meaning is densest. */
    private static int position(RandomGenerator random) {
        int band = random.nextInt(8);
        return band < 3 ? Trials.intBetween(random, 0, 27)
                : band < 4 ? Trials.intBetween(random, 28, 239)
                : Trials.intBetween(random, 240, 299);
    }

    /** Cuts around the end of the 236-byte BOOTP header and of the 4-byte magic cookie (RFC 2131 §2, §3). */
    private static final List<Integer> LAYOUT_BOUNDARIES = List.of(0, 1, 235, 236, 237, 239, 240, 241, 299);

    /** Usually the whole 300-byte packet; one time in five a cut, half of those at a layout boundary. */
    private static int length(RandomGenerator random) {
        int draw = random.nextInt(10);
        return draw < 8 ? 300 : draw == 8 ? Trials.pick(random, LAYOUT_BOUNDARIES) : Trials.intBetween(random, 0, 300);
    }

    @Test
    void mutatedDiscoverNeverBreaksThePipeline() {
        Trials.run(500, random -> mutatedDiscoverNeverBreaksThePipeline(mutations(random), length(random)));
    }

    private static void mutatedDiscoverNeverBreaksThePipeline(List<Mutation> mutations, int length) throws ConfigException {
        InMemoryTransport transport = new InMemoryTransport();
        DhcpEngine engine = DhcpEngine.start(ConfigLoader.parse("""
                subnets:
                  - id: 1
                    subnet: 10.0.0.0/24
                    interface: eth0
                    pools: [{range: 10.0.0.100-10.0.0.199}]
                """, "fuzz.yaml"), new InMemoryLeaseStore(), FakeClock.standing(), new SplittableRandom(1));
        DhcpServer server = new DhcpServer(transport, engine, FakeClock.standing(), 1);
        byte[] packet = ServerPipelineTest.discoverFixture();
        for (Mutation m : mutations) {
            packet[m.position()] = m.value();
        }

        assertThatCode(() -> server.handle(new InboundDatagram(packet, length, CLIENT, ETH0))).doesNotThrowAnyException();
        transport.drainSent().forEach(MutatedPacketsTest::decodesAsAReply);

        // With an in-flight bound of 1, a leaked permit would turn this into OVERLOADED.
        byte[] good = ServerPipelineTest.discoverFixture();
        good[28] = (byte) 0x0E;   // another chaddr than the mutated packet's, so an offer is due
        server.handle(new InboundDatagram(good, good.length, CLIENT, ETH0));
        List<OutboundDatagram> sent = transport.drainSent();
        assertThat(sent).hasSize(1);
        assertThat(decodesAsAReply(sent.getFirst()).messageType()).contains(MessageType.OFFER);
        server.close();
    }

    private static DhcpMessage decodesAsAReply(OutboundDatagram d) {
        try {
            return DhcpCodec.decode(d.payload(), 0, d.length());
        } catch (MalformedMessageException e) {
            throw new AssertionError("the server sent bytes it cannot decode: " + e.getMessage(), e);
        }
    }
}
