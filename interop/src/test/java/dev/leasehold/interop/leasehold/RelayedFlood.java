package dev.leasehold.interop.leasehold;

import dev.leasehold.client.ClientMessages;
import dev.leasehold.wire.DhcpCodec;
import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import dev.leasehold.wire.MalformedMessageException;
import dev.leasehold.wire.MessageType;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A hostile relay for {@link LeaseholdUnderAbuseTest}, run in a lab namespace (its own JVM): it
 * sends relayed DISCOVERs (giaddr and option 82 circuit id set, RFC 3046) from many made-up
 * clients at a fixed rate, without waiting for replies, and completes every exchange the server
 * lets it (REQUEST for each OFFER, RFC 2131 §3.1), as a flood that wants leases does. Replies
 * come back to its own port through the RFC 8357 relay-source-port sub-option.
 *
 * <p>Arguments: server address, giaddr, circuit id, clients, DISCOVERs per second, MAC byte 2
 * (tells this flood's clients apart), milliseconds to keep answering after the last DISCOVER.
 * Prints "acked MAC ADDRESS" per ACK and a last line "done sent=… offers=… acks=… naks=…".
 */
public final class RelayedFlood {

    private RelayedFlood() {
    }

    public static void main(String[] args) throws Exception {
        InetSocketAddress server = new InetSocketAddress(args[0], 67);
        Ipv4Address giaddr = Ipv4Address.parse(args[1]);
        byte[] circuit = args[2].getBytes(StandardCharsets.US_ASCII);
        int clients = Integer.parseInt(args[3]);
        int rate = Integer.parseInt(args[4]);
        int tag = Integer.parseInt(args[5]);
        long drainNanos = Long.parseLong(args[6]) * 1_000_000L;
        Map<Integer, ClientMessages> byXid = new ConcurrentHashMap<>();
        AtomicInteger offers = new AtomicInteger();
        AtomicInteger acks = new AtomicInteger();
        AtomicInteger naks = new AtomicInteger();
        try (DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET)) {
            // Bound to any address: replies go to giaddr, which may be another of this host's addresses.
            channel.bind(new InetSocketAddress(0));
            channel.socket().setSoTimeout(200);
            Thread receiver = Thread.ofPlatform().start(() -> receive(channel, server, byXid, offers, acks, naks));
            long start = System.nanoTime();
            for (int i = 0; i < clients; i++) {
                long due = start + i * 1_000_000_000L / rate;
                LockSupport.parkNanos(due - System.nanoTime());
                HardwareAddress mac = new HardwareAddress(1, new byte[] {2, (byte) tag, 0, 0, (byte) (i >> 8), (byte) i});
                ClientMessages client = new ClientMessages(mac, null, "flood" + i,
                        new ClientMessages.RelayFields(giaddr, circuit, true));
                int xid = 0x5EED0000 + i;
                byXid.put(xid, client);
                channel.send(ByteBuffer.wrap(DhcpCodec.encode(client.discover(xid, null, false))), server);
            }
            LockSupport.parkNanos(drainNanos);
            receiver.interrupt();
            receiver.join(2_000);
            System.out.printf("done sent=%d offers=%d acks=%d naks=%d%n", clients, offers.get(), acks.get(), naks.get());
        }
    }

    private static void receive(DatagramChannel channel, InetSocketAddress server, Map<Integer, ClientMessages> byXid,
                                AtomicInteger offers, AtomicInteger acks, AtomicInteger naks) {
        var in = channel.socket();
        byte[] bytes = new byte[2048];
        var packet = new java.net.DatagramPacket(bytes, bytes.length);
        while (!Thread.currentThread().isInterrupted()) {
            try {
                in.receive(packet);
                DhcpMessage reply = DhcpCodec.decode(bytes, 0, packet.getLength());
                ClientMessages client = byXid.get(reply.xid());
                if (client == null) {
                    continue;
                }
                MessageType type = reply.messageType().orElse(null);
                if (type == MessageType.OFFER) {
                    offers.incrementAndGet();
                    DhcpMessage request = client.requestSelecting(reply.xid(),
                            reply.serverIdentifier().orElse(Ipv4Address.ANY), reply.yiaddr());
                    channel.send(ByteBuffer.wrap(DhcpCodec.encode(request)), server);
                } else if (type == MessageType.ACK) {
                    acks.incrementAndGet();
                    System.out.println("acked " + client.hardware() + " " + reply.yiaddr());
                } else if (type == MessageType.NAK) {
                    naks.incrementAndGet();
                }
            } catch (SocketTimeoutException e) {
                // nothing in 200 ms: look at the interrupt flag again
            } catch (MalformedMessageException e) {
                // not a DHCP reply: ignore it, as a client would
            } catch (IOException e) {
                if (!Thread.currentThread().isInterrupted()) {
                    System.err.println("receive: " + e);
                }
                return;
            }
        }
    }
}
