package dev.leasehold.engine.lifecycle;

import static dev.leasehold.engine.lifecycle.EngineHarness.OTHER_SERVER;
import static dev.leasehold.engine.lifecycle.EngineHarness.SERVER;
import static dev.leasehold.engine.lifecycle.EngineHarness.ip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.client.Binding;
import dev.leasehold.engine.DropReason;
import dev.leasehold.lease.Lease;
import dev.leasehold.lease.LeaseState;
import dev.leasehold.testkit.TestClient;
import dev.leasehold.testkit.TestClient.Delivery;
import dev.leasehold.wire.ClientId;
import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.Ipv4Address;
import dev.leasehold.wire.MessageType;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** DHCPREQUEST in each client state (RFC 2131 §4.3.2, table 4). */
class RequestTest {

    private final EngineHarness h = EngineHarness.start();

    @Nested
    class Selecting {

        @Test
        void requestNamingUsIsAcknowledgedAndTheLeaseStored() {
            TestClient client = h.client("02:00:00:00:00:01");
            DhcpMessage offer = client.discover();
            Instant now = h.clock.instant();

            DhcpMessage ack = client.select(offer).orElseThrow();

            assertThat(Replies.type(ack)).isEqualTo(MessageType.ACK);
            assertThat(ack.yiaddr()).isEqualTo(offer.yiaddr());
            Lease lease = h.lease(offer.yiaddr()).orElseThrow();
            assertThat(lease.state()).isEqualTo(LeaseState.ACTIVE);
            assertThat(lease.clientId()).isEqualTo(ClientId.of(client.hardwareAddress()));
            assertThat(lease.subnetId()).isEqualTo(1);
            assertThat(lease.expiresAt()).isEqualTo(now.plus(Duration.ofHours(1)));
            assertThat(h.engine.outstandingOffers()).isZero();
        }

        @Test
        void requestNamingAnotherServerWithdrawsOurOfferWithoutReply() {
            TestClient client = h.client("02:00:00:00:00:01");
            Ipv4Address offered = client.discover().yiaddr();
            long freeWhileOffered = h.freeAddresses(1);

            Optional<DhcpMessage> reply = client.requestSelecting(OTHER_SERVER, ip("10.0.0.77"));

            assertThat(reply).isEmpty();
            assertThat(h.lastDropReason()).isEqualTo(DropReason.NOT_FOR_US);
            assertThat(h.engine.outstandingOffers()).isZero();
            assertThat(h.freeAddresses(1)).isEqualTo(freeWhileOffered + 1);
            assertThat(h.store.size()).isZero();
            assertThat(h.client("02:00:00:00:00:02").discover(offered).yiaddr()).isEqualTo(offered);
        }

        @Test
        void requestForAnAddressLeasedToAnotherClientIsNaked() {
            Binding other = h.client("02:00:00:00:00:01").dora();
            TestClient client = h.client("02:00:00:00:00:02");
            client.discover();

            DhcpMessage reply = client.requestSelecting(SERVER, other.address()).orElseThrow();

            assertThat(Replies.type(reply)).isEqualTo(MessageType.NAK);
            assertThat(h.lease(other.address()).orElseThrow().clientId())
                    .isEqualTo(ClientId.of(h.client("02:00:00:00:00:01").hardwareAddress()));
        }

        @Test
        void clientMovingToAnotherAddressGivesUpItsOldLease() {
            TestClient client = h.client("02:00:00:00:00:01");
            Ipv4Address old = client.dora().address();
            long freeWhileBound = h.freeAddresses(1);

            DhcpMessage ack = client.requestSelecting(SERVER, ip("10.0.0.150")).orElseThrow();

            assertThat(Replies.type(ack)).isEqualTo(MessageType.ACK);
            assertThat(h.lease(old).orElseThrow().isActiveAt(h.clock.instant())).as("old lease still active").isFalse();
            assertThat(h.freeAddresses(1)).isEqualTo(freeWhileBound);
        }

        @Test
        void requestForAnAddressOutsideEveryPoolIsNaked() {
            TestClient client = h.client("02:00:00:00:00:01");
            client.discover();

            assertThat(client.requestSelecting(SERVER, ip("10.0.0.50")).map(Replies::type)).contains(MessageType.NAK);
            assertThat(client.requestSelecting(SERVER, ip("192.168.1.1")).map(Replies::type)).contains(MessageType.NAK);
            assertThat(h.store.size()).isZero();
        }
    }

    @Nested
    class InitReboot {

        @Test
        void clientRebootingWithItsOwnAddressIsAcknowledged() {
            TestClient client = h.client("02:00:00:00:00:01");
            Ipv4Address address = client.dora().address();
            h.clock.advance(Duration.ofMinutes(10));

            DhcpMessage reply = client.initReboot(address).orElseThrow();

            assertThat(Replies.type(reply)).isEqualTo(MessageType.ACK);
            assertThat(reply.yiaddr()).isEqualTo(address);
            assertThat(h.lease(address).orElseThrow().expiresAt()).isEqualTo(h.clock.instant().plus(Duration.ofHours(1)));
        }

        @Test
        void clientRebootingAfterItsLeaseWasReclaimedGetsTheAddressBackWhileFree() {
            TestClient client = h.client("02:00:00:00:00:01");
            Ipv4Address address = client.dora().address();
            h.clock.advance(Duration.ofHours(2));
            h.engine.reclaimExpired(100);

            assertThat(client.initReboot(address).map(DhcpMessage::yiaddr)).contains(address);
            assertThat(h.lease(address).orElseThrow().state()).isEqualTo(LeaseState.ACTIVE);
        }

        @Test
        void addressWrongForTheClientsNetworkIsNaked() {
            TestClient client = h.client("02:00:00:00:00:01");

            // eth0 is 10.0.0.0/24: an address of the relayed subnet, and one of no subnet.
            assertThat(client.initReboot(ip("10.0.2.150")).map(Replies::type)).contains(MessageType.NAK);
            assertThat(client.initReboot(ip("192.168.1.20")).map(Replies::type)).contains(MessageType.NAK);
        }

        @Test
        void unknownClientIsMetWithSilenceWhenNotAuthoritative() {
            assertThat(h.client("02:00:00:00:00:01").initReboot(ip("10.0.0.150"))).isEmpty();
            assertThat(h.lastDropReason()).isEqualTo(DropReason.NOT_FOR_US);
            assertThat(h.store.size()).isZero();
        }

        @Test
        void unknownClientIsNakedWhenAuthoritative() {
            EngineHarness authoritative = EngineHarness.start("authoritative: true\n" + EngineHarness.BASE);

            Optional<DhcpMessage> reply = authoritative.client("02:00:00:00:00:01").initReboot(ip("10.0.0.150"));

            assertThat(reply.map(Replies::type)).contains(MessageType.NAK);
            assertThat(authoritative.store.size()).isZero();
        }

        @Test
        void clientRebootingWithAnotherClientsAddressIsNaked() {
            Binding other = h.client("02:00:00:00:00:01").dora();

            assertThat(h.client("02:00:00:00:00:02").initReboot(other.address()).map(Replies::type))
                    .contains(MessageType.NAK);
        }
    }

    @Nested
    class RenewingAndRebinding {

        @Test
        void renewalAtT1ExtendsTheLease() {
            TestClient client = h.client("02:00:00:00:00:01");
            Binding bound = client.dora();
            h.clock.set(bound.renewAt());

            DhcpMessage ack = client.renew().orElseThrow();

            assertThat(Replies.type(ack)).isEqualTo(MessageType.ACK);
            assertThat(ack.yiaddr()).isEqualTo(bound.address());
            assertThat(ack.ciaddr()).isEqualTo(bound.address());
            assertThat(h.lease(bound.address()).orElseThrow().expiresAt())
                    .isEqualTo(bound.renewAt().plus(Duration.ofHours(1)));
        }

        @Test
        void rebindingAtT2ExtendsTheLease() {
            TestClient client = h.client("02:00:00:00:00:01");
            Binding bound = client.dora();
            h.clock.set(bound.rebindAt());

            DhcpMessage ack = client.rebind().orElseThrow();

            assertThat(Replies.type(ack)).isEqualTo(MessageType.ACK);
            assertThat(h.lease(bound.address()).orElseThrow().expiresAt())
                    .isEqualTo(bound.rebindAt().plus(Duration.ofHours(1)));
        }

        @Test
        void renewalOfAnotherClientsAddressIsNakedAndChangesNothing() {
            Binding other = h.client("02:00:00:00:00:01").dora();
            Lease before = h.lease(other.address()).orElseThrow();
            h.clock.advance(Duration.ofMinutes(30));

            for (Delivery delivery : Delivery.values()) {
                assertThat(h.client("02:00:00:00:00:02").requestWithCiaddr(other.address(), delivery).map(Replies::type))
                        .as(delivery.toString()).contains(MessageType.NAK);
            }
            assertThat(h.lease(other.address())).contains(before);
        }

        @Test
        void renewalOfAnAddressOnAnotherNetworkIsNaked() {
            assertThat(h.client("02:00:00:00:00:01").requestWithCiaddr(ip("10.0.2.120"), Delivery.UNICAST)
                    .map(Replies::type)).contains(MessageType.NAK);
        }
    }
}
