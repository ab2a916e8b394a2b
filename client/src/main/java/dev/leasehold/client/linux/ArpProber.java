package dev.leasehold.client.linux;

import dev.leasehold.client.ArpPacket;
import dev.leasehold.net.linux.ErrnoException;
import dev.leasehold.net.linux.PacketSocket;
import dev.leasehold.wire.Ipv4Address;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Address conflict detection before using an address (RFC 5227 §2.1): wait a random time up to
 * PROBE_WAIT, send PROBE_NUM ARP probes PROBE_MIN to PROBE_MAX apart, then listen ANNOUNCE_WAIT
 * more; any ARP from another host claiming or probing the address is a conflict. After binding,
 * announce the address (§2.3) so that neighbours' stale ARP entries are replaced.
 *
 * @param probes       PROBE_NUM (3); 0 turns the check off
 * @param probeWait    PROBE_WAIT (1 s), the longest random wait before the first probe
 * @param probeMin     PROBE_MIN (1 s)
 * @param probeMax     PROBE_MAX (2 s)
 * @param announceWait ANNOUNCE_WAIT (2 s), the listening time after the last probe
 */
public record ArpProber(int probes, Duration probeWait, Duration probeMin, Duration probeMax, Duration announceWait) {

    /** RFC 5227 §1.1's constants: about 4 to 7 seconds per check. */
    public static final ArpProber RFC_5227 = new ArpProber(3, Duration.ofSeconds(1), Duration.ofSeconds(1),
            Duration.ofSeconds(2), Duration.ofSeconds(2));

    private static final byte[] BROADCAST_MAC = {-1, -1, -1, -1, -1, -1};

    public ArpProber {
        if (probes < 0 || probeWait.isNegative() || probeMin.isNegative() || probeMax.compareTo(probeMin) < 0
                || announceWait.isNegative()) {
            throw new IllegalArgumentException("ARP probe timing must be non-negative with min <= max");
        }
    }

    /** {@code probes} probes {@code gap} apart, listening {@code gap} after the last: for tests and impatient operators. */
    public static ArpProber quick(int probes, Duration gap) {
        return new ArpProber(probes, Duration.ZERO, gap, gap, gap);
    }

    /** Probes {@code candidate}; returns the conflicting packet's sender, if another host uses or probes it. */
    public Optional<String> check(String interfaceName, Ipv4Address candidate, RandomGenerator random) throws ErrnoException {
        if (probes == 0) {
            return Optional.empty();
        }
        try (PacketSocket arp = PacketSocket.open(interfaceName, PacketSocket.ETH_P_ARP, List.of())) {
            byte[] mac = arp.hardwareAddress();
            byte[] probe = ArpPacket.probe(mac, candidate).toBytes();
            byte[] buffer = new byte[1500];
            Optional<String> conflict = listen(arp, buffer, candidate, mac, randomBetween(Duration.ZERO, probeWait, random));
            for (int i = 0; i < probes && conflict.isEmpty(); i++) {
                arp.send(probe, probe.length, BROADCAST_MAC);
                Duration after = i == probes - 1 ? announceWait : randomBetween(probeMin, probeMax, random);
                conflict = listen(arp, buffer, candidate, mac, after);
            }
            return conflict;
        }
    }

    /**
     * Sends one ARP announcement for our new address (RFC 5227 §2.3), best effort; the client's
     * {@link dev.leasehold.client.AnnouncementSchedule} sends the second ANNOUNCE_INTERVAL later.
     */
    public void announce(String interfaceName, Ipv4Address address) throws ErrnoException {
        try (PacketSocket arp = PacketSocket.open(interfaceName, PacketSocket.ETH_P_ARP, List.of())) {
            byte[] announcement = ArpPacket.announcement(arp.hardwareAddress(), address).toBytes();
            arp.send(announcement, announcement.length, BROADCAST_MAC);
        }
    }

    private static Optional<String> listen(PacketSocket arp, byte[] buffer, Ipv4Address candidate, byte[] mac, Duration time)
            throws ErrnoException {
        long deadline = System.nanoTime() + time.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Optional.empty();
            }
            int n = arp.receive(buffer, Duration.ofNanos(left));
            if (n < 0) {
                return Optional.empty();
            }
            Optional<ArpPacket> packet = ArpPacket.parse(buffer, n);
            if (packet.isPresent() && packet.get().conflictsWith(candidate, mac)) {
                ArpPacket p = packet.get();
                return Optional.of(HexMac.format(p.senderMac()) + " (" + p.senderAddress() + ")");
            }
        }
    }

    private static Duration randomBetween(Duration min, Duration max, RandomGenerator random) {
        long span = max.toNanos() - min.toNanos();
        return span <= 0 ? min : min.plusNanos(random.nextLong(span + 1));
    }

    /** Colon-separated hex for log lines. */
    static final class HexMac {
        private HexMac() {
        }

        static String format(byte[] mac) {
            return java.util.HexFormat.ofDelimiter(":").formatHex(mac);
        }
    }
}
