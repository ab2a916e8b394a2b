package dev.leasehold.engine.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.leasehold.engine.Decision;
import dev.leasehold.testkit.Trials;
import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.DhcpOptions;
import dev.leasehold.wire.Ipv4Address;
import dev.leasehold.wire.OptionCode;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * Bad input is data, not a crash (DESIGN §3): whatever a request carries in its header and in
 * the options the engine reads, the engine answers or drops it, and keeps serving.
 */
class RandomRequestsTest {

    /** Options the engine interprets, with values of any length, wrong ones included. */
    private static final List<Integer> READ_BY_THE_ENGINE = List.of(
            OptionCode.MESSAGE_TYPE, OptionCode.REQUESTED_ADDRESS, OptionCode.SERVER_IDENTIFIER,
            OptionCode.LEASE_TIME, OptionCode.CLIENT_IDENTIFIER, OptionCode.PARAMETER_REQUEST_LIST,
            OptionCode.HOST_NAME, OptionCode.RAPID_COMMIT, OptionCode.RELAY_AGENT_INFORMATION,
            OptionCode.SUBNET_SELECTION, OptionCode.VENDOR_CLASS_IDENTIFIER, OptionCode.USER_CLASS,
            OptionCode.MAX_MESSAGE_SIZE);

    /** Addresses that mean something to the configuration, and some that do not. */
    private static final List<Ipv4Address> ADDRESSES = List.of(Ipv4Address.ANY, Ipv4Address.BROADCAST,
            Ipv4Address.parse("10.0.0.1"), Ipv4Address.parse("10.0.0.100"), Ipv4Address.parse("10.0.0.199"),
            Ipv4Address.parse("10.0.0.255"), Ipv4Address.parse("10.0.2.1"), Ipv4Address.parse("10.0.2.150"),
            Ipv4Address.parse("192.168.77.1"));

    /** Values that mean something in the options above: message types, addresses, a subnet, a relay sub-option. */
    private static final List<byte[]> MEANINGFUL_VALUES = List.of(new byte[] {1}, new byte[] {3}, new byte[] {7},
            new byte[] {10, 0, 0, 120}, new byte[] {10, 0, 2, 0}, new byte[] {5, 4, 10, 0, 0, 0}, new byte[] {19, 0},
            new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});

    private static DhcpMessage request(RandomGenerator random) {
        DhcpOptions.Builder options = DhcpOptions.builder();
        int count = Trials.length(random, 0, 8);
        for (int i = 0; i < count; i++) {
            options.put(Trials.pick(random, READ_BY_THE_ENGINE),
                    random.nextBoolean() ? Trials.bytes(random, 0, 8) : Trials.pick(random, MEANINGFUL_VALUES).clone());
        }
        return DhcpMessage.builder()
                .op(Trials.pick(random, DhcpMessage.BootOp.class))
                .htype(Trials.intBetween(random, 0, 255))
                .hlen(Trials.intBetween(random, 0, 16))
                .flags(Trials.pick(random, List.of(0, DhcpMessage.FLAG_BROADCAST, 0x7FFF)))
                .ciaddr(Trials.pick(random, ADDRESSES))
                .giaddr(Trials.pick(random, ADDRESSES))
                .chaddr(Trials.bytes(random, 16, 16))
                .xid(1)
                .options(options.build())
                .build();
    }

    @Test
    void everyRequestIsAnsweredOrDroppedWithoutAnException() {
        Trials.run(1000, random -> everyRequestIsAnsweredOrDroppedWithoutAnException(request(random)));
    }

    private static void everyRequestIsAnsweredOrDroppedWithoutAnException(DhcpMessage request) {
        EngineHarness h = EngineHarness.start("authoritative: true\n" + EngineHarness.BASE.replace("""
                    interface: eth0
                """, """
                    interface: eth0
                    rapid-commit: true
                """));

        assertThatCode(() -> h.handle(request, true)).doesNotThrowAnyException();
        assertThatCode(() -> h.handle(request, false)).doesNotThrowAnyException();

        if (h.lastDecision() instanceof Decision.Respond(DhcpMessage reply)) {
            assertThat(reply.op()).isEqualTo(DhcpMessage.BootOp.BOOTREPLY);
            assertThat(reply.xid()).isEqualTo(request.xid());
            assertThat(Arrays.equals(reply.chaddr(), request.chaddr())).isTrue();
        }
        // Still serving afterwards.
        assertThat(h.client("02:00:00:00:ff:01").dora().address()).isNotNull();
    }
}
