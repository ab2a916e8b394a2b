package dev.leasehold.control;

import dev.leasehold.net.InboundDatagram;
import dev.leasehold.wire.InterfaceAddress;
import dev.leasehold.net.OutboundDatagram;
import dev.leasehold.net.Transport;
import dev.leasehold.wire.MessageType;
import java.io.IOException;
import java.util.EnumMap;
import java.util.List;
import java.util.OptionalLong;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Request latency as the network sees it: from the moment a request leaves the socket's receive
 * call to the moment its reply is handed to send, whatever the pipeline did between (decode,
 * engine, the lease write and its fsync, encode). A reply is matched to its request by xid and
 * chaddr (RFC 2131 §4.1: the server copies both from the request). Measured here, around the
 * {@link Transport}, so the pipeline needs no timing code.
 *
 * <p>Requests that get no reply (dropped, RELEASE, DECLINE) leave an entry behind; entries older
 * than {@link #FORGET_AFTER_NANOS} are swept (at most once a second) once the map grows, and
 * past {@link #HARD_CAP} new requests are not timed, so memory stays bounded under a flood.
 */
final class ReplyTimer {

    /** Offset of xid in a BOOTP header, RFC 2131 §2 (op, htype, hlen, hops come first). */
    private static final int XID = 4;
    /** Offset of chaddr, RFC 2131 §2. */
    private static final int CHADDR = 28;
    /** Options start after the 236-byte fixed header and the 4-byte magic cookie, RFC 2131 §3. */
    private static final int OPTIONS = 240;
    private static final int OPTION_PAD = 0;
    private static final int OPTION_MESSAGE_TYPE = 53;
    private static final int OPTION_END = 255;
    private static final long FORGET_AFTER_NANOS = 30_000_000_000L;
    private static final int SWEEP_ABOVE = 50_000;
    private static final int HARD_CAP = 200_000;
    private static final long SWEEP_EVERY_NANOS = 1_000_000_000L;

    private final ConcurrentHashMap<Long, Long> pending = new ConcurrentHashMap<>();
    /** Only the receiving thread sweeps. */
    private long lastSweep = Long.MIN_VALUE / 2;
    private final Map<MessageType, Histogram> byReplyType = new EnumMap<>(MessageType.class);

    ReplyTimer() {
        for (MessageType t : List.of(MessageType.OFFER, MessageType.ACK, MessageType.NAK)) {
            byReplyType.put(t, new Histogram(Histogram.LATENCY_SECONDS));
        }
    }

    /** The latency histogram of each reply type that is timed: OFFER, ACK and NAK. */
    Map<MessageType, Histogram> histograms() {
        return byReplyType;
    }

    Transport wrap(Transport inner) {
        return new Transport() {
            @Override
            public InboundDatagram receive() throws IOException {
                InboundDatagram d = inner.receive();
                received(d.payload(), d.length(), System.nanoTime());
                return d;
            }

            @Override
            public void send(OutboundDatagram outbound) throws IOException {
                inner.send(outbound);
                sent(outbound.payload(), outbound.length(), System.nanoTime());
            }

            @Override
            public List<InterfaceAddress> addressesOf(String interfaceName) {
                return inner.addressesOf(interfaceName);
            }

            @Override
            public OptionalLong receiveQueueOverflows() {
                return inner.receiveQueueOverflows();
            }

            @Override
            public void close() {
                inner.close();
            }

            @Override
            public String toString() {
                return inner.toString();
            }
        };
    }

    void received(byte[] payload, int length, long now) {
        if (length < OPTIONS) {
            return;
        }
        int size = pending.size();
        if (size > SWEEP_ABOVE && now - lastSweep > SWEEP_EVERY_NANOS) {
            // At most once a second, so a flood of unanswered requests costs one scan a second, not one per packet.
            lastSweep = now;
            pending.values().removeIf(at -> now - at > FORGET_AFTER_NANOS);
        }
        if (size > HARD_CAP) {
            return; // a flood: stop timing new requests rather than grow
        }
        pending.put(key(payload), now);
    }

    void sent(byte[] payload, int length, long now) {
        if (length < OPTIONS) {
            return;
        }
        Long at = pending.remove(key(payload));
        if (at == null) {
            return;
        }
        MessageType type = messageType(payload, length);
        Histogram h = type == null ? null : byReplyType.get(type);
        if (h != null) {
            h.observeNanos(now - at);
        }
    }

    int pendingCount() {
        return pending.size();
    }

    /**
     * xid in the high half, the last four chaddr bytes (the distinct end of a MAC) in the low half,
     * then multiplied by an odd constant: a one-to-one mix, because {@code Long.hashCode} folds the
     * halves with XOR and load generators derive xids from MACs (perfdhcp's collided into tree bins).
     */
    private static long key(byte[] p) {
        return (((long) readInt(p, XID) << 32) | (readInt(p, CHADDR + 2) & 0xFFFFFFFFL)) * 0x9E3779B97F4A7C15L;
    }

    private static int readInt(byte[] p, int at) {
        return (p[at] & 0xFF) << 24 | (p[at + 1] & 0xFF) << 16 | (p[at + 2] & 0xFF) << 8 | (p[at + 3] & 0xFF);
    }

    /** Option 53 (RFC 2132 §9.6) found by walking the options field; null when absent or cut short. */
    private static MessageType messageType(byte[] p, int length) {
        int i = OPTIONS;
        while (i < length) {
            int code = p[i] & 0xFF;
            if (code == OPTION_PAD) {
                i++;
                continue;
            }
            if (code == OPTION_END || i + 1 >= length) {
                return null;
            }
            int len = p[i + 1] & 0xFF;
            if (code == OPTION_MESSAGE_TYPE && len == 1 && i + 2 < length) {
                return MessageType.fromCode(p[i + 2] & 0xFF).orElse(null);
            }
            i += 2 + len;
        }
        return null;
    }
}
