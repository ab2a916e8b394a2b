package dev.leasehold.testkit.netns;

import dev.leasehold.wire.MessageType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The DHCP traffic one lab interface sends and receives, captured by tshark (Debian package
 * tshark), one packet per line of chosen fields, so that a test can tell <em>how</em> a real
 * client got its address (an INIT-REBOOT REQUEST or a fresh DISCOVER, RFC 2131 §4.3.2) and which
 * server answered what, none of which the clients or servers log in a form worth parsing.
 *
 * <p>Capture where the packets of interest pass: on a server's interface for everything clients
 * broadcast and the server sends; on a client's interface for what every server sends to that
 * client (a reply unicast to the client's MAC does not pass other ports of the bridge).
 */
public final class DhcpCapture implements AutoCloseable {

    /** The BOOTP/DHCP fields printed per packet, in this order, tab-separated. */
    private static final List<String> FIELDS = List.of(
            "frame.time_epoch", "ip.src", "ip.dst", "dhcp.option.dhcp", "dhcp.hw.mac_addr", "dhcp.id",
            "dhcp.ip.client", "dhcp.ip.your", "dhcp.ip.relay", "dhcp.option.requested_ip_address",
            "dhcp.option.dhcp_server_id");
    private static final Duration START = Duration.ofSeconds(20);

    /**
     * One captured BOOTP message (RFC 2131 §2 fields, option 53, 50 and 54).
     *
     * @param time        when it passed the interface
     * @param source      IP source address
     * @param destination IP destination address
     * @param type        option 53 (RFC 2132 §9.6); empty for plain BOOTP
     * @param mac         chaddr
     * @param xid         transaction id
     * @param ciaddr      client address field
     * @param yiaddr      "your" address field
     * @param giaddr      relay agent address field
     * @param requested   option 50, requested IP address (RFC 2132 §9.1)
     * @param serverId    option 54, server identifier (RFC 2132 §9.7)
     */
    public record Packet(Instant time, String source, String destination, Optional<MessageType> type, String mac,
                         long xid, String ciaddr, String yiaddr, String giaddr, Optional<String> requested,
                         Optional<String> serverId) {

        public boolean is(MessageType messageType) {
            return type.filter(t -> t == messageType).isPresent();
        }

        /**
         * The client state a DHCPREQUEST was sent from, told apart as in RFC 2131 §4.3.2's table:
         * SELECTING names a server (option 54); INIT-REBOOT has no server id and no ciaddr but
         * option 50; RENEWING (unicast) and REBINDING (broadcast) fill ciaddr. Empty for other types.
         */
        public Optional<String> requestState() {
            if (!is(MessageType.REQUEST)) {
                return Optional.empty();
            }
            if (serverId.isPresent()) {
                return Optional.of("SELECTING");
            }
            if (ciaddr.equals("0.0.0.0")) {
                return Optional.of(requested.isPresent() ? "INIT-REBOOT" : "malformed (no ciaddr, no option 50)");
            }
            return Optional.of(destination.equals("255.255.255.255") ? "REBINDING" : "RENEWING");
        }

        /** "REQUEST (INIT-REBOOT) 0.0.0.0 > 255.255.255.255 chaddr … requested 192.0.2.150", for reports. */
        public String describe() {
            return type.map(Enum::name).orElse("BOOTP")
                    + requestState().map(s -> " (" + s + ")").orElse("")
                    + " " + source + " > " + destination + " chaddr " + mac
                    + (ciaddr.equals("0.0.0.0") ? "" : " ciaddr " + ciaddr)
                    + (yiaddr.equals("0.0.0.0") ? "" : " yiaddr " + yiaddr)
                    + (giaddr.equals("0.0.0.0") ? "" : " giaddr " + giaddr)
                    + requested.map(r -> " requested " + r).orElse("")
                    + serverId.map(s -> " server-id " + s).orElse("");
        }
    }

    private final LabProcess tshark;

    private DhcpCapture(LabProcess tshark) {
        this.tshark = tshark;
    }

    /** Starts capturing DHCP (UDP ports 67 and 68) on the node's interface and waits (bounded) until tshark captures. */
    public static DhcpCapture start(NetnsLab lab, LabNode node) {
        List<String> command = new ArrayList<>(List.of("tshark", "-n", "-l", "-i", node.interfaceName(),
                "-f", "udp port 67 or udp port 68", "-T", "fields", "-E", "separator=/t", "-E", "occurrence=f"));
        for (String field : FIELDS) {
            command.add("-e");
            command.add(field);
        }
        LabProcess process = lab.start("tshark-" + node.interfaceName(), node.namespace(), command);
        process.awaitOutput("Capturing on", START);
        return new DhcpCapture(process);
    }

    /** Every DHCP packet captured so far, in order. */
    public List<Packet> packets() {
        return tshark.output().lines().map(DhcpCapture::parse).flatMap(Optional::stream).toList();
    }

    /** The packets whose chaddr is {@code mac} (lower-case, colon-separated), in order. */
    public List<Packet> packetsOf(String mac) {
        return packets().stream().filter(p -> p.mac().equalsIgnoreCase(mac)).toList();
    }

    /** How many packets so far; pass it to {@link #packetsSince} to see only what comes later. */
    public int mark() {
        return packets().size();
    }

    /** The packets captured after {@code mark} ({@link #mark()}). */
    public List<Packet> packetsSince(int mark) {
        List<Packet> all = packets();
        return all.subList(Math.min(mark, all.size()), all.size());
    }

    /** Waits (bounded) for a packet after {@code mark} that matches, and returns the first such. */
    public Packet await(String what, int mark, Duration timeout, Predicate<Packet> matching) {
        try {
            return Await.value(what, timeout, () -> packetsSince(mark).stream().filter(matching).findFirst());
        } catch (LabTimeoutException e) {
            throw new LabTimeoutException(what, timeout, describe(packetsSince(mark)));
        }
    }

    /** One line per packet, for failure messages and reports. */
    public static String describe(List<Packet> packets) {
        StringBuilder text = new StringBuilder("--- captured DHCP packets ---");
        packets.forEach(p -> text.append('\n').append(p.time()).append(' ').append(p.describe()));
        return text.toString();
    }

    private static Optional<Packet> parse(String line) {
        String[] f = line.split("\t", -1);
        if (f.length != FIELDS.size() || f[4].isEmpty() || !f[0].matches("\\d+\\.\\d+")) {
            return Optional.empty();
        }
        String[] epoch = f[0].split("\\.");
        Instant time = Instant.ofEpochSecond(Long.parseLong(epoch[0]),
                Long.parseLong((epoch[1] + "000000000").substring(0, 9)));
        Optional<MessageType> type = f[3].isEmpty() ? Optional.empty() : MessageType.fromCode(Integer.parseInt(f[3]));
        long xid = f[5].startsWith("0x") ? Long.parseLong(f[5].substring(2), 16) : Long.parseLong(f[5]);
        return Optional.of(new Packet(time, f[1], f[2], type, f[4].toLowerCase(Locale.ROOT), xid, f[6], f[7],
                f[8], optional(f[9]), optional(f[10])));
    }

    private static Optional<String> optional(String field) {
        return field.isEmpty() ? Optional.empty() : Optional.of(field);
    }

    public LabProcess process() {
        return tshark;
    }

    @Override
    public void close() {
        tshark.stop(Duration.ofSeconds(3));
    }
}
