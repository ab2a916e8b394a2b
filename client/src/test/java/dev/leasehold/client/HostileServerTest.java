package dev.leasehold.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import dev.leasehold.wire.MessageType;
import dev.leasehold.wire.OptionCode;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** What a buggy or hostile server sends, and what the client makes of it (RFC 2131 §4.4, issue 19 items 1-5). */
class HostileServerTest {

    static final HardwareAddress MAC = HardwareAddress.parseEthernet("02:00:00:00:00:01");
    static final Ipv4Address SERVER = Ipv4Address.parse("10.88.0.1");
    static final Ipv4Address GOOD = Ipv4Address.parse("10.88.0.100");
    static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    final SteppedClock clock = new SteppedClock(T0);
    final RecordingIo io = new RecordingIo();
    ClientSettings settings = ClientSettings.defaults().withOfferWindow(Duration.ZERO).withCheckAddress(false);
    ClientStateMachine machine;

    ClientStateMachine start() {
        machine = new ClientStateMachine(settings, new ClientIdentity(MAC, ClientIdentity.hardwareClientId(MAC), null, null),
                io, clock, new SplittableRandom(3));
        machine.start(Optional.empty());
        return machine;
    }

    static DhcpMessage with(DhcpMessage m, int code, byte[] value) {
        return m.toBuilder().options(m.options().toBuilder().putUnsafe(code, value).build()).build();
    }

    static DhcpMessage without(DhcpMessage m, int code) {
        return m.toBuilder().options(m.options().toBuilder().remove(code).build()).build();
    }

    static byte[] u32(long v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    /** DISCOVER → OFFER → REQUEST → {@code ack} (built from the REQUEST by {@code acker}). */
    void bindWith(java.util.function.UnaryOperator<DhcpMessage> edit, long lease) {
        start();
        machine.received(Replies.offer(io.last().message(), SERVER, GOOD, lease));
        assertThat(io.last().type()).isEqualTo(MessageType.REQUEST);
        machine.received(edit.apply(Replies.ack(io.last().message(), SERVER, GOOD, lease)));
    }

    @Test
    void timersBeyondTheLeaseAreReplacedByTheRfcDefaultsSoTheClientRenewsBeforeExpiry() {
        // lease 60 s, T2 90 s, T1 120 s: both past the lease.
        bindWith(ack -> with(with(ack, OptionCode.RENEWAL_TIME, u32(120)), OptionCode.REBINDING_TIME, u32(90)), 60);
        Binding b = machine.binding().orElseThrow();
        assertThat(b.renewAfter()).isEqualTo(Duration.ofSeconds(30));
        assertThat(b.rebindAfter()).isEqualTo(Duration.ofMillis(52_500));
        assertThat(io.tolerated).anyMatch(t -> t.contains("T2 90 s")).anyMatch(t -> t.contains("T1 120 s"));
        int before = io.sent.size();
        clock.set(machine.nextWakeup());
        assertThat(clock.instant()).isEqualTo(T0.plusSeconds(30));
        machine.tick();
        assertThat(machine.state()).isEqualTo(ClientState.RENEWING);
        assertThat(io.sent).hasSize(before + 1);
        assertThat(io.last().to()).isEqualTo(SERVER);
    }

    @Test
    void aT1NotBeforeT2WhenHalfTheLeaseIsNotBeforeT2EitherGivesBothDefaults() {
        bindWith(ack -> with(with(ack, OptionCode.RENEWAL_TIME, u32(500)), OptionCode.REBINDING_TIME, u32(400)), 1000);
        Binding b = machine.binding().orElseThrow();
        assertThat(b.renewAfter()).isEqualTo(Duration.ofSeconds(500));
        assertThat(b.rebindAfter()).isEqualTo(Duration.ofSeconds(875));
    }

    @Test
    void aMissingT1BeforeAValidT2IsHalfTheLease() {
        bindWith(ack -> with(ack, OptionCode.REBINDING_TIME, u32(700)), 1000);
        Binding b = machine.binding().orElseThrow();
        assertThat(b.renewAfter()).isEqualTo(Duration.ofSeconds(500));
        assertThat(b.rebindAfter()).isEqualTo(Duration.ofSeconds(700));
        assertThat(io.tolerated).isEmpty();
    }

    @Test
    void consistentServerTimersAreKept() {
        bindWith(ack -> with(with(ack, OptionCode.RENEWAL_TIME, u32(100)), OptionCode.REBINDING_TIME, u32(200)), 300);
        Binding b = machine.binding().orElseThrow();
        assertThat(b.renewAfter()).isEqualTo(Duration.ofSeconds(100));
        assertThat(b.rebindAfter()).isEqualTo(Duration.ofSeconds(200));
        assertThat(io.tolerated).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.88.0.255", "10.88.0.0", "224.0.0.5", "127.0.0.9", "0.1.2.3", "255.255.255.255", "240.0.0.1"})
    void offerOfAnAddressNoHostMayHoldIsRefusedAndTheClientKeepsSelecting(String yiaddr) {
        start();
        machine.received(Replies.offer(io.last().message(), SERVER, Ipv4Address.parse(yiaddr), 600));
        assertThat(machine.state()).isEqualTo(ClientState.SELECTING);
        assertThat(io.last().type()).isEqualTo(MessageType.DISCOVER);
        assertThat(io.ignored).singleElement().asString().contains(yiaddr).contains("refusing the offer");
        // A sane offer after it is taken.
        machine.received(Replies.offer(io.last().message(), SERVER, GOOD, 600));
        assertThat(io.last().type()).isEqualTo(MessageType.REQUEST);
    }

    @Test
    void ackOfABroadcastAddressIsNotUsedEvenAfterASaneOffer() {
        start();
        machine.received(Replies.offer(io.last().message(), SERVER, GOOD, 600));
        machine.received(Replies.ack(io.last().message(), SERVER, Ipv4Address.parse("10.88.0.255"), 600));
        assertThat(machine.state()).isEqualTo(ClientState.REQUESTING);
        assertThat(io.events).isEmpty();
        assertThat(io.ignored).singleElement().asString().contains("broadcast address of 10.88.0.0/24");
    }

    @Test
    void aSlash31AddressEndingInZeroIsAHostAddress() {
        start();
        DhcpMessage offer = with(Replies.offer(io.last().message(), SERVER, Ipv4Address.parse("10.88.0.0"), 600),
                OptionCode.SUBNET_MASK, Ipv4Address.parse("255.255.255.254").toBytes());
        machine.received(offer);
        assertThat(io.last().type()).isEqualTo(MessageType.REQUEST); // RFC 3021
    }

    @Test
    void nonContiguousSubnetMaskRefusesTheOffer() {
        start();
        machine.received(with(Replies.offer(io.last().message(), SERVER, GOOD, 600), OptionCode.SUBNET_MASK,
                Ipv4Address.parse("255.0.255.0").toBytes()));
        assertThat(machine.state()).isEqualTo(ClientState.SELECTING);
        assertThat(io.ignored).singleElement().asString().contains("255.0.255.0").contains("not a contiguous netmask");
    }

    @Test
    void maskOfTheWrongLengthRefusesTheOffer() {
        start();
        machine.received(with(Replies.offer(io.last().message(), SERVER, GOOD, 600), OptionCode.SUBNET_MASK, new byte[] {-1, -1, -1}));
        assertThat(io.ignored).singleElement().asString().contains("3 bytes");
    }

    @Test
    void zeroSecondLeaseIsUsedForTheMinimumSoTheClientDoesNotLoop() {
        bindWith(ack -> ack, 0);
        assertThat(machine.state()).isEqualTo(ClientState.BOUND);
        assertThat(machine.binding().orElseThrow().leaseTime()).isEqualTo(ClientSettings.DEFAULT_MINIMUM_LEASE);
        assertThat(io.tolerated).anyMatch(t -> t.contains("lease time 0 s is below the minimum of 60 s"));
        int sent = io.sent.size();
        // 15 s of ticking (the report: 13 DISCOVERs and 38 REQUESTs in 15 s): nothing is sent.
        for (int i = 0; i < 150; i++) {
            clock.advance(Duration.ofMillis(100));
            machine.tick();
        }
        assertThat(io.sent).hasSize(sent);
        assertThat(io.events).hasSize(1);
    }

    @Test
    void minimumLeaseIsConfigurableAndAnInfiniteLeaseIsNotTouched() {
        settings = settings.withMinimumLease(Duration.ofSeconds(20));
        bindWith(ack -> ack, 5);
        assertThat(machine.binding().orElseThrow().leaseTime()).isEqualTo(Duration.ofSeconds(20));
        io.tolerated.clear();
        bindWith(ack -> ack, 0xFFFFFFFFL);
        assertThat(machine.binding().orElseThrow().leaseTime()).isEqualTo(Duration.ofSeconds(0xFFFFFFFFL));
        assertThat(io.tolerated).isEmpty();
    }

    @Test
    void malformedClasslessRoutesAreReportedAndOptionThreeIsUsed() {
        bindWith(ack -> with(with(ack, OptionCode.CLASSLESS_STATIC_ROUTES, new byte[] {33, 10, 0, 0}),
                OptionCode.ROUTERS, SERVER.toBytes()), 600);
        assertThat(machine.state()).isEqualTo(ClientState.BOUND);
        assertThat(io.tolerated).singleElement().asString().contains("option 121").contains("malformed").contains("option 3");
        assertThat(LeaseParameters.from(machine.binding().orElseThrow()).routes())
                .containsExactly(new LeaseParameters.Route(Ipv4Address.ANY, 0, SERVER));
    }

    @Test
    void aTooSmallMtuIsReported() {
        bindWith(ack -> with(ack, OptionCode.INTERFACE_MTU, new byte[] {0, 20}), 600);
        assertThat(io.tolerated).singleElement().asString().contains("option 26").contains("20");
    }
}
