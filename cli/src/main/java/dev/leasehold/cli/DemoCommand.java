package dev.leasehold.cli;

import dev.leasehold.client.Binding;
import dev.leasehold.client.ClientMessages;
import dev.leasehold.client.RelayPathClient;
import dev.leasehold.config.ConfigException;
import dev.leasehold.lease.Lease;
import dev.leasehold.net.HostPort;
import dev.leasehold.server.LeaseholdServer;
import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import dev.leasehold.wire.MessageType;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.random.RandomGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code leasehold demo}: the server on an unprivileged loopback port and a few simulated
 * clients walking through the whole lease lifecycle in about forty seconds, each step printed.
 * The clients reach the server as relayed clients do, so no root and no interface is needed.
 */
@Command(name = "demo", description = "Watch the whole DHCP lifecycle on loopback in under a minute (no root needed).")
final class DemoCommand implements Callable<Integer> {

    private static final Duration STEP = Duration.ofSeconds(2);

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", defaultValue = "examples/demo.yaml",
            description = "demo configuration (default: ${DEFAULT-VALUE})")
    Path config;

    private final PrintStream out = System.out;
    private final Clock clock = Clock.systemUTC();
    private Instant started;

    @Override
    public Integer call() throws Exception {
        RandomGenerator random = RandomGenerator.of("L64X128MixRandom");
        try (LeaseholdServer server = LeaseholdServer.start(config, clock, random)) {
            started = clock.instant();
            InetSocketAddress at = server.localAddress();
            Duration lease = server.config().timers().validLifetime();
            say("server", "listening on udp %s, lease time %ds, data in %s", HostPort.of(at), lease.toSeconds(),
                    server.config().dataDirectory());
            try (var laptop = client("laptop", "02:00:00:00:00:01", at, random);
                 var phone = client("phone", "02:00:00:00:00:02", at, random);
                 var printer = client("printer", reservedMac(server), at, random);
                 var camera = client("camera", "02:00:00:00:00:04", at, random);
                 var visitor = client("visitor", "02:00:00:00:00:05", at, random)) {
                Binding laptopLease = dora("laptop", laptop, null);
                Binding phoneLease = dora("phone", phone, null);
                dora("printer", printer, null);
                Binding cameraLease = dora("camera", camera, null);
                say("camera", "ARP probe of %s answered by another host: DHCPDECLINE (RFC 2131 §4.4.1)", cameraLease.address());
                camera.send(camera.messages().decline(camera.newXid(), cameraLease.address(), cameraLease.serverId()));
                Binding cameraRetry = dora("camera", camera, null);

                waitUntil(laptopLease.renewAt());
                laptopLease = renew("laptop", laptop, laptopLease);

                say("phone", "leaving: DHCPRELEASE of %s", phoneLease.address());
                phone.send(phone.messages().release(phone.newXid(), phoneLease.address(), phoneLease.serverId()));
                pause();

                say("laptop", "reboots and remembers %s: INIT-REBOOT", laptopLease.address());
                expect("laptop", laptop, laptop.messages().requestInitReboot(laptop.newXid(), laptopLease.address()));

                say("visitor", "remembers 192.168.77.9 from another network: INIT-REBOOT");
                expect("visitor", visitor, visitor.messages().requestInitReboot(visitor.newXid(), Ipv4Address.parse("192.168.77.9")));
                dora("visitor", visitor, null);

                say("camera", "goes silent; its lease on %s ends at +%ds", cameraRetry.address(), since(cameraRetry.expiresAt()));
                waitUntil(cameraRetry.expiresAt().plus(server.config().reclaimInterval()).plus(STEP));
                say("camera", "comes back after its lease expired and was reclaimed");
                Binding back = dora("camera", camera, null);
                say("camera", back.address().equals(cameraRetry.address())
                        ? "got its old address %s back (affinity after expiry)" : "got %s", back.address());

                printLeases(server);
            }
            say("server", "demo over: %d packets in, %d replies out, %d declines, %d leases reclaimed",
                    server.pipeline().receivedCount(), server.pipeline().sentCount(),
                    server.engine().counters().declineCount(), server.engine().counters().reclaimedCount());
            return 0;
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return 2;
        }
    }

    private RelayPathClient client(String name, String mac, InetSocketAddress server, RandomGenerator random) throws IOException {
        ClientMessages identity = new ClientMessages(HardwareAddress.parseEthernet(mac), null, name, ClientMessages.RelayFields.NONE);
        return RelayPathClient.open(Ipv4Address.of((java.net.Inet4Address) server.getAddress()), server, identity, random, clock);
    }

    private static String reservedMac(LeaseholdServer server) {
        return server.config().subnets().stream()
                .flatMap(s -> s.reservations().stream())
                .flatMap(r -> r.hardwareAddress().stream())
                .findFirst().map(HardwareAddress::toString).orElse("02:00:00:00:00:03");
    }

    private Binding dora(String who, RelayPathClient client, Ipv4Address requested) throws IOException {
        int xid = client.newXid();
        DhcpMessage offer = client.exchange(client.messages().discover(xid, requested, false), STEP)
                .orElseThrow(() -> new IllegalStateException(who + ": no OFFER"));
        say(who, "DHCPDISCOVER -> DHCPOFFER %s", offer.yiaddr());
        DhcpMessage ack = client.exchange(client.messages().requestSelecting(xid, offer.serverIdentifier().orElseThrow(),
                offer.yiaddr()), STEP).orElseThrow(() -> new IllegalStateException(who + ": no reply to REQUEST"));
        Binding b = Binding.from(ack, clock.instant());
        say(who, "DHCPREQUEST  -> %s %s, lease %ds (T1 %ds, T2 %ds)%s", ack.messageType().orElseThrow(), ack.yiaddr(),
                b.leaseTime().toSeconds(), b.renewAfter().toSeconds(), b.rebindAfter().toSeconds(),
                ack.hostName().map(h -> ", host name " + h).orElse(""));
        return b;
    }

    private Binding renew(String who, RelayPathClient client, Binding current) throws IOException {
        DhcpMessage ack = client.exchange(client.messages().requestRenew(client.newXid(), current.address()), STEP)
                .orElseThrow(() -> new IllegalStateException(who + ": no reply to renewal"));
        Binding b = Binding.from(ack, clock.instant());
        say(who, "T1 reached: DHCPREQUEST (RENEWING, ciaddr %s) -> %s, lease now ends at +%ds", current.address(),
                ack.messageType().orElseThrow(), since(b.expiresAt()));
        return b;
    }

    private void expect(String who, RelayPathClient client, DhcpMessage request) throws IOException {
        Optional<DhcpMessage> reply = client.exchange(request, STEP);
        say(who, "  -> %s", reply.map(r -> r.messageType().map(MessageType::name).orElse("?")
                + (r.yiaddr().isAny() ? "" : " " + r.yiaddr())
                + r.options().get(56).map(m -> " (\"" + new String(m) + "\")").orElse("")).orElse("no reply"));
    }

    private void printLeases(LeaseholdServer server) {
        List<Lease> leases = new ArrayList<>();
        server.store().forEach(leases::add);
        leases.sort(Comparator.comparing(Lease::address));
        out.println();
        out.printf("%-15s %-18s %-9s %-10s %s%n", "ADDRESS", "MAC", "STATE", "ENDS", "HOST");
        for (Lease l : leases) {
            out.printf("%-15s %-18s %-9s %-10s %s%n", l.address(), l.hardwareAddress(), l.state(),
                    "+" + since(l.expiresAt()) + "s", l.hostname());
        }
        out.println();
    }

    private void waitUntil(Instant when) throws InterruptedException {
        Duration d = Duration.between(clock.instant(), when);
        if (!d.isNegative()) {
            say("clock", "waiting %ds", Math.max(1, d.toSeconds()));
            Thread.sleep(d.toMillis());
        }
    }

    private void pause() throws InterruptedException {
        Thread.sleep(200);
    }

    private long since(Instant t) {
        return Duration.between(started, t).toSeconds();
    }

    private void say(String who, String format, Object... args) {
        out.printf("[+%02ds] %-8s %s%n", Duration.between(started, clock.instant()).toSeconds(), who, String.format(format, args));
    }
}
