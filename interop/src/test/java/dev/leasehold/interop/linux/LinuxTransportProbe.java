package dev.leasehold.interop.linux;

import dev.leasehold.net.Destination;
import dev.leasehold.net.InboundDatagram;
import dev.leasehold.net.OutboundDatagram;
import dev.leasehold.net.linux.InterfaceStatus;
import dev.leasehold.net.linux.LinuxTransport;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in server for the namespace tests: opens a {@link LinuxTransport}, prints every
 * datagram with its arrival, and answers each BOOTREQUEST with a BOOTREPLY-shaped copy (op 2,
 * yiaddr set, xid and chaddr kept) sent to the destination its arguments choose. Runs inside a
 * namespace through {@code ip netns exec}, so it is a separate JVM with the test's classpath.
 *
 * <pre>
 * LinuxTransportProbe INTERFACES PORT REPLY [MAX_SECONDS]
 *   INTERFACES  comma-separated names, or *
 *   REPLY       none | broadcast | linklayer:YIADDR | unicast  (unicast: back to the source address and port)
 * </pre>
 *
 * Output lines, one per event, {@code key=value} separated by spaces:
 * {@code READY linklayer=true}, {@code STATUS name=.. state=.. index=.. addresses=[..]},
 * {@code ARRIVAL iface=.. index=.. local=.. broadcast=.. source=..:.. length=.. xid=..},
 * {@code SENT destination=..}, {@code SEND-FAILED ..}, {@code OPEN-FAILED ..}.
 */
public final class LinuxTransportProbe {

    /** Offsets in a DHCP message (RFC 2131 §2, figure 1). */
    private static final int OP = 0;
    private static final int XID = 4;
    private static final int YIADDR = 16;
    private static final int CHADDR = 28;
    private static final int BOOTREPLY = 2;

    private LinuxTransportProbe() {
    }

    public static void main(String[] args) throws Exception {
        List<String> interfaces = List.of(args[0].split(","));
        int port = Integer.parseInt(args[1]);
        String reply = args[2];
        long maxSeconds = args.length > 3 ? Long.parseLong(args[3]) : 120;
        LinuxTransport.Options options = LinuxTransport.Options.serving(interfaces)
                .withPort(port).withRescanInterval(Duration.ofSeconds(1));
        LinuxTransport transport;
        try {
            transport = LinuxTransport.open(options);
        } catch (IOException e) {
            System.out.println("OPEN-FAILED " + e.getMessage().replace('\n', '|'));
            System.exit(3);
            return;
        }
        // Bounded life: a probe that a broken test forgot can never outlive it for long.
        Thread.ofPlatform().daemon().start(() -> {
            sleep(TimeUnit.SECONDS.toMillis(maxSeconds));
            System.out.println("EXPIRED");
            System.exit(4);
        });
        Thread.ofPlatform().daemon().start(() -> printStatusChanges(transport));
        printStatuses(transport.interfaces());
        System.out.println("READY linklayer=" + transport.linkLayerUnicastAvailable());
        while (true) {
            InboundDatagram in = transport.receive();
            InboundDatagram.Arrival a = in.arrival();
            System.out.printf("ARRIVAL iface=%s index=%d local=%s broadcast=%s source=%s:%d length=%d xid=%s%n",
                    a.interfaceName(), a.interfaceIndex(), a.localAddress(), a.broadcast(),
                    in.source().getAddress().getHostAddress(), in.source().getPort(), in.length(),
                    in.length() >= 8 ? HexFormat.of().formatHex(in.payload(), XID, XID + 4) : "-");
            if (reply.equals("none") || in.length() < CHADDR + 16 || in.payload()[OP] != 1) {
                continue;
            }
            byte[] out = Arrays.copyOf(in.payload(), in.length());
            out[OP] = BOOTREPLY;
            Destination destination = destination(reply, in, out);
            try {
                transport.send(new OutboundDatagram(out, out.length, destination));
                System.out.println("SENT destination=" + destination);
            } catch (IOException e) {
                System.out.println("SEND-FAILED " + e.getMessage());
            }
        }
    }

    private static Destination destination(String reply, InboundDatagram in, byte[] out) {
        String iface = in.arrival().interfaceName();
        if (reply.equals("broadcast")) {
            return new Destination.Broadcast(68, iface);
        }
        if (reply.equals("unicast")) {
            return new Destination.Unicast(Ipv4Address.of((java.net.Inet4Address) in.source().getAddress()),
                    in.source().getPort());
        }
        if (reply.startsWith("linklayer:")) {
            Ipv4Address yiaddr = Ipv4Address.parse(reply.substring("linklayer:".length()));
            yiaddr.writeTo(out, YIADDR);
            int hlen = out[2] & 0xFF;
            HardwareAddress mac = new HardwareAddress(out[1] & 0xFF, Arrays.copyOfRange(out, CHADDR, CHADDR + hlen));
            return new Destination.LinkLayerUnicast(mac, yiaddr, 68, iface);
        }
        throw new IllegalArgumentException("unknown reply mode " + reply);
    }

    private static void printStatusChanges(LinuxTransport transport) {
        List<InterfaceStatus> last = transport.interfaces();
        while (true) {
            sleep(200);
            List<InterfaceStatus> now = transport.interfaces();
            if (!now.equals(last)) {
                printStatuses(now);
                last = now;
            }
        }
    }

    private static void printStatuses(List<InterfaceStatus> statuses) {
        for (InterfaceStatus s : statuses) {
            System.out.printf("STATUS name=%s state=%s index=%d addresses=%s detail=%s%n",
                    s.name(), s.state(), s.index(), s.addresses(), s.detail());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
