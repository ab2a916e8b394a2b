package dev.leasehold.engine.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.lease.LeaseState;
import dev.leasehold.testkit.TestClient;
import dev.leasehold.testkit.Trials;
import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.Ipv4Address;
import dev.leasehold.wire.MessageType;
import dev.leasehold.wire.OptionCode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Random lifecycles of a few clients contending for a small pool, with the clock jumping about:
 * whatever the order of DISCOVER, REQUEST, renewal, reboot, release, decline and expiry,
 * <ul>
 * <li>no address is acknowledged to a client while another client's acknowledged, unreleased,
 *     undeclined lease of it is still running (RFC 2131 §4.3.1: "never one address for two
 *     clients");</li>
 * <li>nor offered to one while another's lease of it runs;</li>
 * <li>every acknowledged address lies in the pool;</li>
 * <li>once everything has expired and the reclaimer has run, every address is free again: the
 *     free sets leak nothing.</li>
 * </ul>
 */
class LifecycleInvariantsTest {

    private static final int CLIENTS = 4;
    private static final int POOL = 3;

    enum Action { DORA, DISCOVER, SELECT, SELECT_OTHER_SERVER, RENEW, REBIND, REBOOT, RELEASE, DECLINE, WAIT, RECLAIM }

    record Step(Action action, int client, int minutes) {}

    record Holder(int client, Instant until) {}

    /**
     * Weighted so that clients often get bound and then renew, move or leave while others wait:
     * each action appears here as often as its weight.
     */
    private static final List<Action> WEIGHTED_ACTIONS = Stream.of(
            Collections.nCopies(6, Action.DORA),
            Collections.nCopies(2, Action.DISCOVER),
            Collections.nCopies(2, Action.SELECT),
            Collections.nCopies(1, Action.SELECT_OTHER_SERVER),
            Collections.nCopies(3, Action.RENEW),
            Collections.nCopies(2, Action.REBIND),
            Collections.nCopies(2, Action.REBOOT),
            Collections.nCopies(3, Action.RELEASE),
            Collections.nCopies(2, Action.DECLINE),
            Collections.nCopies(3, Action.WAIT),
            Collections.nCopies(2, Action.RECLAIM)).flatMap(List::stream).toList();

    private static List<Step> lifecycle(RandomGenerator random) {
        return Trials.listOf(random, 1, 80, r -> new Step(Trials.pick(r, WEIGHTED_ACTIONS),
                Trials.intBetween(r, 0, CLIENTS - 1), Trials.intBetween(r, 1, 90)));
    }

    @Test
    void noAddressIsEverAcknowledgedToTwoClientsAndNothingLeaks() {
        Trials.run(150, random -> noAddressIsEverAcknowledgedToTwoClientsAndNothingLeaks(lifecycle(random)));
    }

    private static void noAddressIsEverAcknowledgedToTwoClientsAndNothingLeaks(List<Step> steps) {
        EngineHarness h = EngineHarness.start(EngineHarness.BASE
                .replace("10.0.0.100-10.0.0.199", "10.0.0.100-10.0.0.10" + (POOL - 1))
                .replace("allocation: iterative", "allocation: random"));
        List<TestClient> clients = new ArrayList<>();
        Map<Integer, Ipv4Address> remembered = new HashMap<>();
        for (int i = 0; i < CLIENTS; i++) {
            clients.add(h.client(String.format("02:00:00:00:00:%02x", i)));
        }
        Map<Ipv4Address, Holder> holders = new HashMap<>();

        for (Step step : steps) {
            TestClient c = clients.get(step.client());
            Optional<DhcpMessage> reply = switch (step.action()) {
                case DORA -> {
                    Optional<DhcpMessage> offer = c.tryDiscover(null, false);
                    yield offer.filter(o -> Replies.type(o) == MessageType.OFFER).flatMap(c::select);
                }
                case DISCOVER -> c.tryDiscover(null, false);
                case SELECT -> c.offer().flatMap(c::select);
                case SELECT_OTHER_SERVER -> c.requestSelecting(EngineHarness.OTHER_SERVER, Ipv4Address.parse("10.0.0.100"));
                case RENEW -> c.isBound() ? c.renew() : Optional.empty();
                case REBIND -> c.isBound() ? c.rebind() : Optional.empty();
                case REBOOT -> remembered.containsKey(step.client()) ? c.initReboot(remembered.get(step.client())) : Optional.empty();
                case RELEASE, DECLINE -> {
                    if (c.isBound()) {
                        Ipv4Address gone = c.binding().address();
                        Optional<DhcpMessage> r = step.action() == Action.RELEASE ? c.release() : c.decline();
                        holders.computeIfPresent(gone, (a, holder) -> holder.client() == step.client() ? null : holder);
                        yield r;
                    }
                    yield Optional.empty();
                }
                case WAIT -> {
                    h.clock.advance(Duration.ofMinutes(step.minutes()));
                    yield Optional.empty();
                }
                case RECLAIM -> {
                    h.engine.reclaimExpired(100);
                    yield Optional.empty();
                }
            };
            if (reply.isPresent() && Replies.type(reply.get()) == MessageType.OFFER) {
                Holder holder = holders.get(reply.get().yiaddr());
                assertThat(holder == null || holder.client() == step.client() || !holder.until().isAfter(h.clock.instant()))
                        .as("%s offered to client %d while client %s holds it", reply.get().yiaddr(), step.client(),
                                holder == null ? "-" : holder.client())
                        .isTrue();
            }
            if (reply.isPresent() && Replies.type(reply.get()) == MessageType.ACK) {
                DhcpMessage ack = reply.get();
                Ipv4Address address = ack.yiaddr();
                Instant now = h.clock.instant();
                Holder holder = holders.get(address);
                assertThat(holder == null || holder.client() == step.client() || !holder.until().isAfter(now))
                        .as("%s acknowledged to client %d while client %s holds it until %s (now %s)", address,
                                step.client(), holder == null ? "-" : holder.client(), holder == null ? "-" : holder.until(), now)
                        .isTrue();
                assertThat(address.toLong()).isBetween(Ipv4Address.parse("10.0.0.100").toLong(),
                        Ipv4Address.parse("10.0.0.100").toLong() + POOL - 1);
                // A client uses one address: acknowledged a new one, it gives up the others (and the
                // engine ends their leases).
                holders.values().removeIf(other -> other.client() == step.client());
                holders.put(address, new Holder(step.client(), now.plusSeconds(Replies.u32(ack, OptionCode.LEASE_TIME).orElseThrow())));
                remembered.put(step.client(), address);
            }
        }

        // Let every lease, probation and offer run out, then reclaim everything.
        h.clock.advance(Duration.ofDays(2));
        while (h.engine.reclaimExpired(100) > 0) {
            // bounded: each round turns at least one ACTIVE or DECLINED record into EXPIRED
        }
        h.store.forEach(lease -> assertThat(lease.state()).as(lease.toString())
                .isIn(LeaseState.EXPIRED, LeaseState.RELEASED));
        assertThat(h.freeAddresses(1)).as("free addresses once everything ended").isEqualTo(POOL);
    }
}
