package dev.leasehold.client;

import static dev.leasehold.client.HostileServerTest.u32;
import static dev.leasehold.client.HostileServerTest.with;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import dev.leasehold.wire.MessageType;
import dev.leasehold.wire.OptionCode;
import dev.leasehold.wire.OptionDefinitions;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Rapid commit (RFC 4039), IPv6-only preferred (RFC 8925), client FQDN (RFC 4702), option 57 and renewing on request. */
class ClientExtensionsTest {

    static final HardwareAddress MAC = HardwareAddress.parseEthernet("02:00:00:00:00:01");
    static final Ipv4Address SERVER = Ipv4Address.parse("192.0.2.1");
    static final Ipv4Address ADDRESS = Ipv4Address.parse("192.0.2.100");
    static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    final SteppedClock clock = new SteppedClock(T0);
    final RecordingIo io = new RecordingIo();
    ClientSettings settings = ClientSettings.defaults().withOfferWindow(Duration.ZERO).withCheckAddress(false);
    ClientIdentity identity = new ClientIdentity(MAC, ClientIdentity.hardwareClientId(MAC), "host1", null);
    ClientStateMachine machine;

    ClientStateMachine start(Optional<Binding> remembered) {
        machine = new ClientStateMachine(settings, identity, io, clock, new SplittableRandom(5));
        machine.start(remembered);
        return machine;
    }

    static DhcpMessage rapidAck(DhcpMessage discover) {
        return with(Replies.ack(discover, SERVER, ADDRESS, 600), OptionCode.RAPID_COMMIT, new byte[0]);
    }

    @Test
    void withRapidCommitTheDiscoverAsksForItAndARapidAckBindsWithoutARequest() {
        settings = settings.withRapidCommit(true);
        start(Optional.empty());
        DhcpMessage discover = io.last().message();
        assertThat(discover.options().contains(OptionCode.RAPID_COMMIT)).isTrue();
        clock.advance(Duration.ofMillis(300));
        machine.received(rapidAck(discover));
        assertThat(machine.state()).isEqualTo(ClientState.BOUND);
        assertThat(io.sent).hasSize(1); // no DHCPREQUEST
        assertThat(io.lastEvent().reason()).isEqualTo(LeaseEvent.Reason.BOUND);
        assertThat(machine.binding().orElseThrow().boundAt()).isEqualTo(T0); // the lease counts from the DISCOVER
    }

    @Test
    void withoutRapidCommitConfiguredARapidAckIsIgnored() {
        start(Optional.empty());
        assertThat(io.last().message().options().contains(OptionCode.RAPID_COMMIT)).isFalse();
        machine.received(rapidAck(io.last().message()));
        assertThat(machine.state()).isEqualTo(ClientState.SELECTING);
    }

    @Test
    void aRapidAckOfNonsenseLeavesTheClientSelecting() {
        settings = settings.withRapidCommit(true);
        start(Optional.empty());
        Instant retransmitAt = machine.nextWakeup();
        DhcpMessage bad = rapidAck(io.last().message()).toBuilder().yiaddr(Ipv4Address.parse("192.0.2.255")).build();
        machine.received(bad);
        assertThat(machine.state()).isEqualTo(ClientState.SELECTING);
        assertThat(machine.nextWakeup()).isEqualTo(retransmitAt);
        assertThat(io.sent).hasSize(1);
        machine.received(Replies.offer(io.last().message(), SERVER, ADDRESS, 600));
        assertThat(io.last().type()).isEqualTo(MessageType.REQUEST);
    }

    @Test
    void ipv6OnlyPreferredClientAsksForOption108AndAnOfferWithItStopsDhcpv4ForItsWait() {
        settings = settings.withIpv6OnlyPreferred(true);
        start(Optional.empty());
        assertThat(io.last().message().parameterRequestList().orElseThrow()).contains((byte) OptionCode.IPV6_ONLY_PREFERRED);
        machine.received(with(Replies.offer(io.last().message(), SERVER, ADDRESS, 600), OptionCode.IPV6_ONLY_PREFERRED, u32(1800)));
        assertThat(machine.state()).isEqualTo(ClientState.INIT);
        assertThat(io.sent).hasSize(1); // no DHCPREQUEST
        assertThat(machine.nextWakeup()).isEqualTo(T0.plusSeconds(1800));
        clock.set(T0.plusSeconds(1800));
        machine.tick();
        assertThat(io.last().type()).isEqualTo(MessageType.DISCOVER);
    }

    @Test
    void option108BelowTheMinimumWaitsThreeHundredSeconds() {
        settings = settings.withIpv6OnlyPreferred(true);
        start(Optional.empty());
        machine.received(with(Replies.offer(io.last().message(), SERVER, ADDRESS, 600), OptionCode.IPV6_ONLY_PREFERRED, u32(0)));
        assertThat(machine.nextWakeup()).isEqualTo(T0.plusSeconds(300));
    }

    @Test
    void option108IsIgnoredUnlessConfigured() {
        start(Optional.empty());
        assertThat(io.last().message().parameterRequestList().orElseThrow()).doesNotContain((byte) OptionCode.IPV6_ONLY_PREFERRED);
        machine.received(with(Replies.offer(io.last().message(), SERVER, ADDRESS, 600), OptionCode.IPV6_ONLY_PREFERRED, u32(1800)));
        assertThat(io.last().type()).isEqualTo(MessageType.REQUEST);
    }

    @Test
    void option108InTheAckOfAnInitRebootDropsTheRememberedLease() {
        settings = settings.withIpv6OnlyPreferred(true);
        DhcpMessage oldAck = Replies.ack(new ClientIdentity(MAC, null, null, null).messages().requestInitReboot(1, ADDRESS),
                SERVER, ADDRESS, 3600);
        Binding remembered = Binding.from(oldAck, T0.minusSeconds(60));
        start(Optional.of(remembered));
        assertThat(machine.state()).isEqualTo(ClientState.REBOOTING);
        machine.received(with(Replies.ack(io.last().message(), SERVER, ADDRESS, 3600), OptionCode.IPV6_ONLY_PREFERRED, u32(900)));
        assertThat(machine.state()).isEqualTo(ClientState.INIT);
        assertThat(io.lastEvent().reason()).isEqualTo(LeaseEvent.Reason.EXPIRE);
        assertThat(machine.nextWakeup()).isEqualTo(T0.plusSeconds(900));
    }

    @Test
    void maxMessageSizeFollowsTheInterfaceMtu() {
        identity = identity.withInterfaceMtu(1400);
        start(Optional.empty());
        assertThat(io.last().message().maxMessageSize()).hasValue(1372); // 1400 less the IP and UDP headers
        assertThat(identity.withInterfaceMtu(300).maxMessageSize()).isEqualTo(576);
        assertThat(identity.withInterfaceMtu(9000).maxMessageSize()).isEqualTo(8972);
    }

    @Test
    void clientFqdnAsksTheServerToUpdateDnsAndReplacesTheHostName() {
        identity = identity.withFqdn(new ClientFqdn("host1.example.com.", ClientFqdn.Update.SERVER));
        start(Optional.empty());
        DhcpMessage discover = io.last().message();
        assertThat(discover.hostName()).isEmpty(); // RFC 4702 §3.1
        byte[] fqdn = discover.options().getUnsafe(OptionCode.CLIENT_FQDN);
        assertThat(fqdn[0]).isEqualTo((byte) 0x05); // E and S
        assertThat(fqdn[1]).isZero();
        assertThat(fqdn[2]).isZero();
        assertThat(OptionDefinitions.standard().byCode(OptionCode.CLIENT_FQDN).orElseThrow().formatText(fqdn))
                .isEqualTo("5, 0, 0, host1.example.com.");
        machine.received(Replies.offer(discover, SERVER, ADDRESS, 600));
        assertThat(io.last().message().options().contains(OptionCode.CLIENT_FQDN)).isTrue();
    }

    @Test
    void noUpdateFqdnSetsTheNFlag() {
        assertThat(new ClientFqdn("host1", ClientFqdn.Update.NONE).toBytes()[0]).isEqualTo((byte) 0x0C);
    }

    @Test
    void captivePortalIsAskedFor() {
        start(Optional.empty());
        assertThat(io.last().message().parameterRequestList().orElseThrow()).contains((byte) OptionCode.CAPTIVE_PORTAL);
    }

    @Test
    void renewNowFromBoundUnicastsARequestAtOnce() {
        start(Optional.empty());
        machine.received(Replies.offer(io.last().message(), SERVER, ADDRESS, 600));
        machine.received(Replies.ack(io.last().message(), SERVER, ADDRESS, 600));
        assertThat(machine.state()).isEqualTo(ClientState.BOUND);
        clock.advance(Duration.ofSeconds(10));
        assertThat(machine.renewNow()).isTrue();
        assertThat(machine.state()).isEqualTo(ClientState.RENEWING);
        assertThat(io.last().type()).isEqualTo(MessageType.REQUEST);
        assertThat(io.last().to()).isEqualTo(SERVER);
        assertThat(io.last().message().ciaddr()).isEqualTo(ADDRESS);
        machine.received(Replies.ack(io.last().message(), SERVER, ADDRESS, 600));
        assertThat(io.lastEvent().reason()).isEqualTo(LeaseEvent.Reason.RENEW);
        assertThat(machine.binding().orElseThrow().boundAt()).isEqualTo(T0.plusSeconds(10));
    }

    @Test
    void renewNowWithoutALeaseDoesNothing() {
        start(Optional.empty());
        assertThat(machine.renewNow()).isFalse();
        assertThat(io.sent).hasSize(1);
    }
}
