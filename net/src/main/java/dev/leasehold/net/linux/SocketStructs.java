package dev.leasehold.net.linux;

import dev.leasehold.wire.Ipv4Address;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The C structures the socket calls exchange, as FFM layouts (64-bit Linux, glibc), and the
 * readers and writers for the fields we use. Ports and addresses inside them are in network
 * byte order (big-endian); families, indexes and lengths in host order.
 */
final class SocketStructs {

    static final ValueLayout.OfShort NET_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfInt NET_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /** struct sockaddr_in (ip(7)): family, port, address, 8 bytes of zero. */
    static final StructLayout SOCKADDR_IN = MemoryLayout.structLayout(
            ValueLayout.JAVA_SHORT.withName("sin_family"),
            NET_SHORT.withName("sin_port"),
            NET_INT.withName("sin_addr"),
            MemoryLayout.sequenceLayout(8, ValueLayout.JAVA_BYTE).withName("sin_zero"));

    /** struct sockaddr_ll (packet(7)): where an AF_PACKET frame goes. */
    static final StructLayout SOCKADDR_LL = MemoryLayout.structLayout(
            ValueLayout.JAVA_SHORT.withName("sll_family"),
            NET_SHORT.withName("sll_protocol"),
            ValueLayout.JAVA_INT.withName("sll_ifindex"),
            ValueLayout.JAVA_SHORT.withName("sll_hatype"),
            ValueLayout.JAVA_BYTE.withName("sll_pkttype"),
            ValueLayout.JAVA_BYTE.withName("sll_halen"),
            MemoryLayout.sequenceLayout(8, ValueLayout.JAVA_BYTE).withName("sll_addr"));

    /** struct iovec. */
    static final StructLayout IOVEC = MemoryLayout.structLayout(
            ValueLayout.ADDRESS.withName("iov_base"),
            ValueLayout.JAVA_LONG.withName("iov_len"));

    /** struct msghdr (recvmsg(2)). */
    static final StructLayout MSGHDR = MemoryLayout.structLayout(
            ValueLayout.ADDRESS.withName("msg_name"),
            ValueLayout.JAVA_INT.withName("msg_namelen"),
            MemoryLayout.paddingLayout(4),
            ValueLayout.ADDRESS.withName("msg_iov"),
            ValueLayout.JAVA_LONG.withName("msg_iovlen"),
            ValueLayout.ADDRESS.withName("msg_control"),
            ValueLayout.JAVA_LONG.withName("msg_controllen"),
            ValueLayout.JAVA_INT.withName("msg_flags"),
            MemoryLayout.paddingLayout(4));

    /** struct mmsghdr (recvmmsg(2)): a msghdr and the length the kernel received into it. */
    static final StructLayout MMSGHDR = MemoryLayout.structLayout(
            MSGHDR.withName("msg_hdr"),
            ValueLayout.JAVA_INT.withName("msg_len"),
            MemoryLayout.paddingLayout(4));

    /** struct cmsghdr (cmsg(3)); the data follows at CMSG_DATA = the header size, already aligned to 8. */
    static final StructLayout CMSGHDR = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("cmsg_len"),
            ValueLayout.JAVA_INT.withName("cmsg_level"),
            ValueLayout.JAVA_INT.withName("cmsg_type"));

    /** struct in_pktinfo (ip(7), IP_PKTINFO): interface index, local address for replies, header destination. */
    static final StructLayout IN_PKTINFO = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withName("ipi_ifindex"),
            NET_INT.withName("ipi_spec_dst"),
            NET_INT.withName("ipi_addr"));

    /** struct pollfd (poll(2)). */
    static final StructLayout POLLFD = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withName("fd"),
            ValueLayout.JAVA_SHORT.withName("events"),
            ValueLayout.JAVA_SHORT.withName("revents"));

    static final long MSG_NAME = offset(MSGHDR, "msg_name");
    static final long MMSG_LEN = offset(MMSGHDR, "msg_len");
    static final long MSG_NAMELEN = offset(MSGHDR, "msg_namelen");
    static final long MSG_IOV = offset(MSGHDR, "msg_iov");
    static final long MSG_IOVLEN = offset(MSGHDR, "msg_iovlen");
    static final long MSG_CONTROL = offset(MSGHDR, "msg_control");
    static final long MSG_CONTROLLEN = offset(MSGHDR, "msg_controllen");
    static final long MSG_FLAGS = offset(MSGHDR, "msg_flags");

    private SocketStructs() {
    }

    static long offset(StructLayout layout, String field) {
        return layout.byteOffset(MemoryLayout.PathElement.groupElement(field));
    }

    /** Fills a sockaddr_in for {@code address:port}. */
    static void writeSockaddrIn(MemorySegment target, Ipv4Address address, int port) {
        target.asSlice(0, SOCKADDR_IN.byteSize()).fill((byte) 0);
        target.set(ValueLayout.JAVA_SHORT, 0, (short) Libc.AF_INET);
        target.set(NET_SHORT, 2, (short) port);
        target.set(NET_INT, 4, address.bits());
    }

    static Ipv4Address sockaddrInAddress(MemorySegment source) {
        return new Ipv4Address(source.get(NET_INT, 4));
    }

    static int sockaddrInPort(MemorySegment source) {
        return Short.toUnsignedInt(source.get(NET_SHORT, 2));
    }

    /**
     * Fills a sockaddr_ll that sends an IPv4 frame out of interface {@code ifindex} to the
     * hardware address {@code mac} (packet(7): sll_family, sll_protocol, sll_ifindex, sll_halen
     * and sll_addr are what sendto needs).
     */
    static void writeSockaddrLl(MemorySegment target, int ifindex, byte[] mac) {
        if (mac.length > 8) {
            throw new IllegalArgumentException("sockaddr_ll holds at most 8 address bytes: " + mac.length);
        }
        target.asSlice(0, SOCKADDR_LL.byteSize()).fill((byte) 0);
        target.set(ValueLayout.JAVA_SHORT, 0, (short) Libc.AF_PACKET);
        target.set(NET_SHORT, 2, (short) Libc.ETH_P_IP);
        target.set(ValueLayout.JAVA_INT, 4, ifindex);
        target.set(ValueLayout.JAVA_BYTE, 11, (byte) mac.length);
        MemorySegment.copy(mac, 0, target, ValueLayout.JAVA_BYTE, 12, mac.length);
    }
}
