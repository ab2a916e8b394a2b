package dev.leasehold.net.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Native memory for one send: the errno slot, a socket address and a datagram buffer. Sends come
 * from many threads (virtual threads included, where thread-locals would multiply), so the
 * buffers live in a small pool instead: taken for one send, given back after it.
 */
final class SendScratch {

    /** A 64 KiB UDP payload plus the IPv4 and UDP headers a link-layer send adds. */
    static final int BUFFER_BYTES = DatagramReceiver.MAX_DATAGRAM + Ipv4UdpPacket.HEADERS_LENGTH;

    final MemorySegment state;
    final MemorySegment address;
    final MemorySegment data;
    /** The heap side of a link-layer packet, built here and copied into {@link #data}. */
    final byte[] packet = new byte[BUFFER_BYTES];

    private SendScratch() {
        // An automatic arena: a scratch that the pool does not keep is freed by the GC.
        Arena arena = Arena.ofAuto();
        state = Libc.newCallState(arena);
        address = arena.allocate(SocketStructs.SOCKADDR_LL.byteSize() + 8, 8);
        data = arena.allocate(BUFFER_BYTES, 8);
    }

    /** A bounded pool: at most {@code capacity} idle scratches are kept. */
    static final class Pool {
        private final ConcurrentLinkedQueue<SendScratch> idle = new ConcurrentLinkedQueue<>();
        private final AtomicInteger idleCount = new AtomicInteger();
        private final int capacity;

        Pool(int capacity) {
            this.capacity = capacity;
        }

        SendScratch take() {
            SendScratch s = idle.poll();
            if (s == null) {
                return new SendScratch();
            }
            idleCount.decrementAndGet();
            return s;
        }

        void give(SendScratch s) {
            if (idleCount.incrementAndGet() <= capacity) {
                idle.add(s);
            } else {
                idleCount.decrementAndGet();
            }
        }
    }
}
