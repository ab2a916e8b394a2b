package dev.leasehold.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import dev.leasehold.wire.MessageType;
import dev.leasehold.wire.OptionCode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Every transition of RFC 2131 figure 5, driven by a stepped clock: no sleeps, no sockets. */
class ClientStateMachineTest {

    static final HardwareAddress MAC = HardwareAddress.parseEthernet("02:00:00:00:00:01");
    static final Ipv4Address SERVER = Ipv4Address.parse("192.0.2.1");
    static final Ipv4Address OTHER_SERVER = Ipv4Address.parse("192.0.2.2");
    static final Ipv4Address ADDRESS = Ipv4Address.parse("192.0.2.100");
    static final Ipv4Address OTHER_ADDRESS = Ipv4Address.parse("192.0.2.101");
    static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    final SteppedClock clock = new SteppedClock(T0);
    final RecordingIo io = new RecordingIo();
    ClientSettings settings = ClientSettings.defaults();
    ClientIdentity identity = new ClientIdentity(MAC, ClientIdentity.hardwareClientId(MAC), "host1", "leasehold-test");
    ClientStateMachine machine;

    ClientStateMachine machine() {
        machine = new ClientStateMachine(settings, identity, io, clock, new SplittableRandom(7));
        return machine;
    }

    /** Runs the machine from INIT to BOUND with one server and a lease of {@code lease} seconds. */
    void bind(long lease) {
        machine().start(Optional.empty());
        machine.received(Replies.offer(io.last().message(), SERVER, ADDRESS, lease));
        clock.advance(Duration.ofSeconds(1));
        machine.tick();
        machine.received(Replies.ack(io.last().message(), SERVER, ADDRESS, lease));
        machine.probeFinished(ADDRESS, false);
        assertThat(machine.state()).isEqualTo(ClientState.BOUND);
    }

    @Test
    void startWithoutLeaseBroadcastsDiscoverAndSelects() {
        machine().start(Optional.empty());
        assertThat(machine.state()).isEqualTo(ClientState.SELECTING);
        RecordingIo.Sent discover = io.last();
        assertThat(discover.to()).isNull();
        assertThat(discover.type()).isEqualTo(MessageType.DISCOVER);
        assertThat(discover.message().hardwareAddress()).isEqualTo(MAC);
        assertThat(discover.message().ciaddr()).isEqualTo(Ipv4Address.ANY);
        // Table 5: 61, 12, 55, 57 and (configured) 60 on a DISCOVER.
        assertThat(discover.message().clientIdentifier()).contains(ClientIdentity.hardwareClientId(MAC));
        assertThat(discover.message().hostName()).contains("host1");
        assertThat(discover.message().parameterRequestList()).isPresent();
        assertThat(discover.message().maxMessageSize()).hasValue(1500);
        assertThat(new String(discover.message().options().getUnsafe(OptionCode.VENDOR_CLASS_IDENTIFIER), StandardCharsets.UTF_8))
                .isEqualTo("leasehold-test");
    }

    @Test
    void unansweredDiscoverIsRetransmittedAfterFourThenEightSecondsWithSecsCounting() {
        machine().start(Optional.empty());
        Duration first = Duration.between(T0, machine.nextWakeup());
        assertThat(first).isBetween(Duration.ofSeconds(3), Duration.ofSeconds(5));
        clock.set(machine.nextWakeup());
        machine.tick();
        assertThat(io.sent).hasSize(2);
        assertThat(io.last().type()).isEqualTo(MessageType.DISCOVER);
        assertThat(io.last().message().xid()).isEqualTo(io.sent.getFirst().message().xid());
        assertThat(io.last().message().secs()).isEqualTo((int) first.toSeconds());
        Duration second = Duration.between(clock.instant(), machine.nextWakeup());
        assertThat(second).isBetween(Duration.ofSeconds(7), Duration.ofSeconds(9));
    }

    @Test
    void tickBeforeTheWakeupDoesNothing() {
        machine().start(Optional.empty());
        clock.advance(Duration.ofSeconds(2));
        machine.tick();
        assertThat(io.sent).hasSize(1);
    }

    @Test
    void offersAreCollectedForTheWindowThenTheLongestLeaseIsRequested() {
        machine().start(Optional.empty());
        DhcpMessage discover = io.last().message();
        machine.received(Replies.offer(discover, SERVER, ADDRESS, 600));
        machine.received(Replies.offer(discover, OTHER_SERVER, OTHER_ADDRESS, 3600));
        assertThat(machine.state()).isEqualTo(ClientState.SELECTING);
        assertThat(machine.nextWakeup()).isEqualTo(T0.plusSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        machine.tick();
        assertThat(machine.state()).isEqualTo(ClientState.REQUESTING);
        DhcpMessage request = io.last().message();
        assertThat(io.last().type()).isEqualTo(MessageType.REQUEST);
        assertThat(io.last().to()).isNull();
        assertThat(request.xid()).isEqualTo(discover.xid()); // §4.4.1: the OFFER's xid
        assertThat(request.serverIdentifier()).contains(OTHER_SERVER);
        assertThat(request.requestedAddress()).contains(OTHER_ADDRESS);
        assertThat(request.ciaddr()).isEqualTo(Ipv4Address.ANY);
    }

    @Test
    void offerOfTheRequestedAddressWinsOverALongerLease() {
        settings = settings.withRequestedAddress(Optional.of(ADDRESS));
        machine().start(Optional.empty());
        DhcpMessage discover = io.last().message();
        assertThat(discover.requestedAddress()).contains(ADDRESS);
        machine.received(Replies.offer(discover, OTHER_SERVER, OTHER_ADDRESS, 3600));
        machine.received(Replies.offer(discover, SERVER, ADDRESS, 60));
        clock.advance(Duration.ofSeconds(1));
        machine.tick();
        assertThat(io.last().message().serverIdentifier()).contains(SERVER);
    }

    @Test
    void firstPreferenceRequestsTheFirstOfferAtOnce() {
        settings = settings.withPreference(OfferPreference.FIRST);
        machine().start(Optional.empty());
        machine.received(Replies.offer(io.last().message(), SERVER, ADDRESS, 60));
        assertThat(machine.state()).isEqualTo(ClientState.REQUESTING);
    }

    @Test
    void replyWithWrongXidIsIgnored() {
        machine().start(Optional.empty());
        DhcpMessage discover = io.last().message();
        machine.received(Replies.offer(discover.toBuilder().xid(discover.xid() + 1).build(), SERVER, ADDRESS, 60));
        clock.advance(Duration.ofSeconds(1));
        machine.tick();
        assertThat(machine.state()).isEqualTo(ClientState.SELECTING);
        assertThat(io.ignored).singleElement().asString().contains("wrong xid");
    }

    @Test
    void replyForAnotherChaddrIsIgnored() {
        machine().start(Optional.empty());
        DhcpMessage other = io.last().message().toBuilder()
                .hardwareAddress(HardwareAddress.parseEthernet("02:00:00:00:00:99")).build();
        machine.received(Replies.offer(other, SERVER, ADDRESS, 60));
        assertThat(io.ignored).singleElement().asString().contains("wrong chaddr");
    }

    @Test
    void offerFromARefusedServerIsIgnored() {
        settings = settings.withRefusedServers(Set.of(SERVER)).withOfferWindow(Duration.ZERO);
        machine().start(Optional.empty());
        machine.received(Replies.offer(io.last().message(), SERVER, ADDRESS, 60));
        assertThat(machine.state()).isEqualTo(ClientState.SELECTING);
        assertThat(io.ignored).singleElement().asString().contains("refused server");
    }

    @Test
    void replyEchoingAnotherClientIdentifierIsIgnored() {
        machine().start(Optional.empty());
        DhcpMessage offer = Replies.offer(io.last().message(), SERVER, ADDRESS, 60);
        offer = offer.toBuilder().options(offer.options().toBuilder()
                .put(OptionCode.CLIENT_IDENTIFIER, new byte[] {1, 2, 3}).build()).build();
        machine.received(offer);
        assertThat(io.ignored).singleElement().asString().contains("client identifier");
    }

    @Test
    void ackWhileSelectingIsIgnored() {
        machine().start(Optional.empty());
        machine.received(Replies.ack(io.last().message(), SERVER, ADDRESS, 60));
        assertThat(machine.state()).isEqualTo(ClientState.SELECTING);
        assertThat(io.ignored).singleElement().asString().contains("waiting for DHCPOFFER");
    }

    @Test
    void ackProbesTheAddressThenBindsWithTimersFromTheRequest() {
        machine().start(Optional.empty());
        machine.received(Replies.offer(io.last().message(), SERVER, ADDRESS, 600));
        clock.advance(Duration.ofSeconds(1));
        machine.tick();
        Instant requested = clock.instant();
        clock.advance(Duration.ofMillis(300));
        machine.received(Replies.ack(io.last().message(), SERVER, ADDRESS, 600));
        assertThat(machine.state()).isEqualTo(ClientState.CHECKING);
        assertThat(io.probes).containsExactly(ADDRESS);
        assertThat(io.events).isEmpty();
        clock.advance(Duration.ofSeconds(2));
        machine.probeFinished(ADDRESS, false);
        assertThat(machine.state()).isEqualTo(ClientState.BOUND);
        LeaseEvent bound = io.lastEvent();
        assertThat(bound.reason()).isEqualTo(LeaseEvent.Reason.BOUND);
        assertThat(bound.binding().address()).isEqualTo(ADDRESS);
        // §4.4.1: the lease counts from the time the request was sent; T1 defaults to half the lease.
        assertThat(bound.binding().expiresAt()).isEqualTo(requested.plusSeconds(600));
        assertThat(machine.nextWakeup()).isEqualTo(requested.plusSeconds(300));
    }

    @Test
    void ackFromAServerOtherThanTheChosenOneIsIgnored() {
        settings = settings.withOfferWindow(Duration.ZERO);
        machine().start(Optional.empty());
        machine.received(Replies.offer(io.last().message(), SERVER, ADDRESS, 600));
        machine.received(Replies.ack(io.last().message(), OTHER_SERVER, ADDRESS, 600));
        assertThat(machine.state()).isEqualTo(ClientState.REQUESTING);
        assertThat(io.ignored).singleElement().asString().contains("not the chosen server");
    }

    @Test
    void ackWithoutLeaseTimeIsIgnored() {
        settings = settings.withOfferWindow(Duration.ZERO);
        machine().start(Optional.empty());
        machine.received(Replies.offer(io.last().message(), SERVER, ADDRESS, 600));
        DhcpMessage ack = Replies.ack(io.last().message(), SERVER, ADDRESS, 600);
        ack = ack.toBuilder().options(ack.options().toBuilder().remove(OptionCode.LEASE_TIME).build()).build();
        machine.received(ack);
        assertThat(machine.state()).isEqualTo(ClientState.REQUESTING);
        assertThat(io.ignored).singleElement().asString().contains("lease time");
    }

    @Test
    void withoutAddressCheckAnAckBindsAtOnce() {
        settings = settings.withCheckAddress(false).withOfferWindow(Duration.ZERO);
        machine().start(Optional.empty());
        machine.received(Replies.offer(io.last().message(), SERVER, ADDRESS, 600));
        machine.received(Replies.ack(io.last().message(), SERVER, ADDRESS, 600));
        assertThat(io.probes).isEmpty();
        assertThat(machine.state()).isEqualTo(ClientState.BOUND);
    }

    @Test
    void conflictSendsDeclineAndWaitsTenSecondsBeforeDiscoveringAgain() {
        machine().start(Optional.empty());
        machine.received(Replies.offer(io.last().message(), SERVER, ADDRESS, 600));
        clock.advance(Duration.ofSeconds(1));
        machine.tick();
        machine.received(Replies.ack(io.last().message(), SERVER, ADDRESS, 600));
        machine.probeFinished(ADDRESS, true);
        RecordingIo.Sent decline = io.last();
        assertThat(decline.type()).isEqualTo(MessageType.DECLINE);
        assertThat(decline.message().requestedAddress()).contains(ADDRESS);
        assertThat(decline.message().serverIdentifier()).contains(SERVER);
        assertThat(decline.message().options().contains(OptionCode.VENDOR_CLASS_IDENTIFIER)).isFalse();
        assertThat(io.declined).hasSize(1);
        assertThat(io.events).isEmpty();
        assertThat(machine.state()).isEqualTo(ClientState.INIT);
        assertThat(machine.nextWakeup()).isEqualTo(clock.instant().plusSeconds(10));
        clock.advance(Duration.ofSeconds(10));
        machine.tick();
        assertThat(machine.state()).isEqualTo(ClientState.SELECTING);
        assertThat(io.last().type()).isEqualTo(MessageType.DISCOVER);
        assertThat(io.last().message().requestedAddress()).isEmpty();
    }

    @Test
    void nakWhileRequestingStartsOverAndRepeatedNaksWait() {
        settings = settings.withOfferWindow(Duration.ZERO);
        machine().start(Optional.empty());
        machine.received(Replies.offer(io.last().message(), SERVER, ADDRESS, 600));
        machine.received(Replies.nak(io.last().message(), SERVER));
        assertThat(machine.state()).isEqualTo(ClientState.SELECTING);
        assertThat(io.last().type()).isEqualTo(MessageType.DISCOVER);
        machine.received(Replies.offer(io.last().message(), SERVER, ADDRESS, 600));
        machine.received(Replies.nak(io.last().message(), SERVER));
        assertThat(machine.state()).isEqualTo(ClientState.INIT);
        assertThat(machine.nextWakeup()).isEqualTo(clock.instant().plusSeconds(4));
    }

    @Test
    void unansweredRequestIsRetransmittedThenDiscoveryStartsOver() {
        settings = settings.withOfferWindow(Duration.ZERO);
        machine().start(Optional.empty());
        machine.received(Replies.offer(io.last().message(), SERVER, ADDRESS, 600));
        int requests = 0;
        for (int i = 0; i < 20 && machine.state() == ClientState.REQUESTING; i++) {
            clock.set(machine.nextWakeup());
            machine.tick();
            requests += io.last().type() == MessageType.REQUEST ? 1 : 0;
        }
        assertThat(requests).isEqualTo(4);
        assertThat(machine.state()).isEqualTo(ClientState.SELECTING);
        assertThat(io.last().type()).isEqualTo(MessageType.DISCOVER);
    }

    @Test
    void atT1TheClientUnicastsARenewalAndAnAckRenews() {
        bind(600);
        Instant t1 = machine.nextWakeup();
        clock.set(t1);
        machine.tick();
        assertThat(machine.state()).isEqualTo(ClientState.RENEWING);
        RecordingIo.Sent renew = io.last();
        assertThat(renew.to()).isEqualTo(SERVER);
        assertThat(renew.message().ciaddr()).isEqualTo(ADDRESS);
        assertThat(renew.message().serverIdentifier()).isEmpty();   // table 5: MUST NOT in RENEWING
        assertThat(renew.message().requestedAddress()).isEmpty();   // table 5: MUST NOT in RENEWING
        machine.received(Replies.ack(renew.message(), SERVER, ADDRESS, 600));
        assertThat(machine.state()).isEqualTo(ClientState.BOUND);
        assertThat(io.lastEvent().reason()).isEqualTo(LeaseEvent.Reason.RENEW);
        assertThat(io.lastEvent().previous()).isPresent();
        assertThat(machine.nextWakeup()).isEqualTo(t1.plusSeconds(300));
    }

    @Test
    void unansweredRenewalIsRetriedHalfwayToT2ButNotSoonerThanTheMinimum() {
        settings = settings.withRenewRetryMinimum(Duration.ofSeconds(60));
        bind(3600);                       // T1 1800 s, T2 3150 s after the request
        Instant t2 = machine.binding().orElseThrow().rebindAt();
        clock.set(machine.nextWakeup());
        machine.tick();
        Instant t1 = clock.instant();
        assertThat(machine.nextWakeup()).isEqualTo(t1.plus(Duration.between(t1, t2).dividedBy(2)));
        int unicasts = 0;
        while (machine.state() == ClientState.RENEWING && unicasts < 20) {
            Instant before = clock.instant();
            Instant next = machine.nextWakeup();
            Duration gap = Duration.between(before, next);
            Duration half = Duration.between(before, t2).dividedBy(2);
            // §4.4.5: half the time left, at least 60 s, never beyond T2.
            assertThat(next).isBeforeOrEqualTo(t2);
            assertThat(gap.equals(half) || gap.equals(Duration.ofSeconds(60)) || next.equals(t2)).as("gap " + gap).isTrue();
            clock.set(next);
            machine.tick();
            unicasts += io.last().to() != null ? 1 : 0;
        }
        assertThat(unicasts).isBetween(3, 10);
        assertThat(machine.state()).isEqualTo(ClientState.REBINDING);
        assertThat(clock.instant()).isEqualTo(t2);
    }

    @Test
    void atT2TheClientBroadcastsAndAnyServerMayRebind() {
        settings = settings.withRenewRetryMinimum(Duration.ofSeconds(1));
        bind(80);                         // T1 40 s, T2 70 s
        for (int i = 0; i < 20 && machine.state() != ClientState.REBINDING; i++) {
            clock.set(machine.nextWakeup());
            machine.tick();
        }
        assertThat(machine.state()).isEqualTo(ClientState.REBINDING);
        RecordingIo.Sent rebind = io.last();
        assertThat(rebind.to()).isNull();
        assertThat(rebind.message().ciaddr()).isEqualTo(ADDRESS);
        assertThat(rebind.message().serverIdentifier()).isEmpty();
        machine.received(Replies.ack(rebind.message(), OTHER_SERVER, ADDRESS, 80));
        assertThat(machine.state()).isEqualTo(ClientState.BOUND);
        assertThat(io.lastEvent().reason()).isEqualTo(LeaseEvent.Reason.REBIND);
        assertThat(io.lastEvent().binding().serverId()).isEqualTo(OTHER_SERVER);
    }

    @Test
    void leaseNobodyRenewsExpiresAndDiscoveryAsksForTheOldAddress() {
        settings = settings.withRenewRetryMinimum(Duration.ofSeconds(1));
        bind(80);
        Instant expiry = machine.binding().orElseThrow().expiresAt();
        for (int i = 0; i < 50 && machine.state() != ClientState.SELECTING; i++) {
            clock.set(machine.nextWakeup());
            machine.tick();
        }
        assertThat(clock.instant()).isEqualTo(expiry);
        assertThat(io.lastEvent().reason()).isEqualTo(LeaseEvent.Reason.EXPIRE);
        assertThat(io.last().type()).isEqualTo(MessageType.DISCOVER);
        assertThat(io.last().message().requestedAddress()).contains(ADDRESS);
    }

    @Test
    void nakWhileRenewingDropsTheLease() {
        bind(600);
        clock.set(machine.nextWakeup());
        machine.tick();
        machine.received(Replies.nak(io.last().message(), SERVER));
        assertThat(io.lastEvent().reason()).isEqualTo(LeaseEvent.Reason.NAK);
        assertThat(io.lastEvent().binding().address()).isEqualTo(ADDRESS);
        assertThat(machine.state()).isEqualTo(ClientState.SELECTING);
        assertThat(io.last().message().requestedAddress()).isEmpty();
    }

    @Test
    void messagesWhileBoundAreIgnored() {
        bind(600);
        machine.received(Replies.ack(io.last().message(), SERVER, ADDRESS, 600));
        assertThat(io.ignored).singleElement().asString().contains("no exchange in progress");
    }

    Binding remembered(Instant ackedAt, long lease) {
        DhcpMessage request = identity.messages().requestSelecting(1, SERVER, ADDRESS);
        return Binding.from(Replies.ack(request, SERVER, ADDRESS, lease), ackedAt);
    }

    @Test
    void rememberedLeaseStartsInInitRebootAndAnAckRebootsIt() {
        machine().start(Optional.of(remembered(T0.minusSeconds(100), 600)));
        assertThat(machine.state()).isEqualTo(ClientState.REBOOTING);
        RecordingIo.Sent request = io.last();
        assertThat(request.to()).isNull();
        assertThat(request.type()).isEqualTo(MessageType.REQUEST);
        assertThat(request.message().requestedAddress()).contains(ADDRESS);  // §4.4.2: option 50 …
        assertThat(request.message().serverIdentifier()).isEmpty();          // … no server id, ciaddr 0
        assertThat(request.message().ciaddr()).isEqualTo(Ipv4Address.ANY);
        machine.received(Replies.ack(request.message(), SERVER, ADDRESS, 600));
        assertThat(machine.state()).isEqualTo(ClientState.CHECKING);
        machine.probeFinished(ADDRESS, false);
        assertThat(io.lastEvent().reason()).isEqualTo(LeaseEvent.Reason.REBOOT);
    }

    @Test
    void expiredRememberedLeaseStartsInInitAskingForItsAddress() {
        machine().start(Optional.of(remembered(T0.minusSeconds(700), 600)));
        assertThat(machine.state()).isEqualTo(ClientState.SELECTING);
        assertThat(io.last().message().requestedAddress()).contains(ADDRESS);
    }

    @Test
    void nakWhileRebootingGivesUpTheRememberedLease() {
        machine().start(Optional.of(remembered(T0.minusSeconds(100), 600)));
        machine.received(Replies.nak(io.last().message(), SERVER));
        assertThat(io.lastEvent().reason()).isEqualTo(LeaseEvent.Reason.NAK);
        assertThat(machine.state()).isEqualTo(ClientState.SELECTING);
        assertThat(io.last().message().requestedAddress()).isEmpty();
    }

    @Test
    void unansweredRebootFallsBackToDiscoveryForTheSameAddress() {
        machine().start(Optional.of(remembered(T0.minusSeconds(100), 6000)));
        for (int i = 0; i < 10 && machine.state() == ClientState.REBOOTING; i++) {
            clock.set(machine.nextWakeup());
            machine.tick();
        }
        assertThat(machine.state()).isEqualTo(ClientState.SELECTING);
        assertThat(io.last().message().requestedAddress()).contains(ADDRESS);
    }

    @Test
    void releaseUnicastsReleaseToTheServerAndStops() {
        bind(600);
        machine.release();
        RecordingIo.Sent release = io.last();
        assertThat(release.type()).isEqualTo(MessageType.RELEASE);
        assertThat(release.to()).isEqualTo(SERVER);
        assertThat(release.message().ciaddr()).isEqualTo(ADDRESS);
        assertThat(release.message().serverIdentifier()).contains(SERVER);
        assertThat(release.message().parameterRequestList()).isEmpty();
        assertThat(io.lastEvent().reason()).isEqualTo(LeaseEvent.Reason.RELEASE);
        assertThat(machine.state()).isEqualTo(ClientState.STOPPED);
        assertThat(machine.nextWakeup()).isEqualTo(Instant.MAX);
    }

    @Test
    void releaseWithoutALeaseSendsNothing() {
        machine().start(Optional.empty());
        machine.release();
        assertThat(io.sent).hasSize(1);
        assertThat(io.events).isEmpty();
        assertThat(machine.state()).isEqualTo(ClientState.STOPPED);
    }

    @Test
    void informAsksForOptionsAndStopsOnTheAck() {
        machine().startInform(ADDRESS);
        RecordingIo.Sent inform = io.last();
        assertThat(inform.type()).isEqualTo(MessageType.INFORM);
        assertThat(inform.message().ciaddr()).isEqualTo(ADDRESS);
        machine.received(Replies.informAck(inform.message(), SERVER));
        assertThat(io.informed).hasSize(1);
        assertThat(machine.state()).isEqualTo(ClientState.STOPPED);
    }

    @Test
    void informNobodyAnswersStopsAfterItsRetransmissions() {
        machine().startInform(ADDRESS);
        for (int i = 0; i < 10 && machine.state() == ClientState.INFORMING; i++) {
            clock.set(machine.nextWakeup());
            machine.tick();
        }
        assertThat(machine.state()).isEqualTo(ClientState.STOPPED);
        assertThat(io.sent).hasSize(5);
        assertThat(io.informed).isEmpty();
    }
}
