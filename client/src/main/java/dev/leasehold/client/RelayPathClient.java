package dev.leasehold.client;

import dev.leasehold.wire.DhcpCodec;
import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.Ipv4Address;
import dev.leasehold.wire.MalformedMessageException;
import dev.leasehold.wire.MessageType;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * A client that reaches the server the way relayed clients do (RFC 2131 §4.1): its own UDP
 * socket plays the relay, setting giaddr to the socket's address and asking, through the RFC
 * 8357 relay-source-port sub-option, for replies on its own port. Needs no root and no
 * interface, so the demo, loopback tests and the load generator all use it.
 *
 * <p>Each call sends one message and waits, bounded by its timeout, for the reply with the
 * same xid and chaddr; anything else that arrives is ignored, as a client must (RFC 2131 §4.4.1).
 */
public final class RelayPathClient implements AutoCloseable {

    private final DatagramChannel channel;
    private final Selector selector;
    private final InetSocketAddress server;
    private final ClientMessages messages;
    private final RandomGenerator random;
    private final Clock clock;
    private final ByteBuffer buffer = ByteBuffer.allocate(2048);

    private RelayPathClient(DatagramChannel channel, Selector selector, InetSocketAddress server,
                            ClientMessages messages, RandomGenerator random, Clock clock) {
        this.channel = channel;
        this.selector = selector;
        this.server = server;
        this.messages = messages;
        this.random = random;
        this.clock = clock;
    }

    /**
     * Opens a socket on {@code relayAddress} (port chosen by the system) talking to {@code server}.
     * {@code identity} gives chaddr, client id and host name; its relay fields are filled in here.
     */
    public static RelayPathClient open(Ipv4Address relayAddress, InetSocketAddress server, ClientMessages identity,
                                       RandomGenerator random, Clock clock) throws IOException {
        DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
        channel.bind(new InetSocketAddress(relayAddress.toInetAddress(), 0));
        channel.configureBlocking(false);
        Selector selector = Selector.open();
        channel.register(selector, SelectionKey.OP_READ);
        ClientMessages relayed = new ClientMessages(identity.hardware(), identity.clientId(), identity.hostname(),
                new ClientMessages.RelayFields(relayAddress, identity.hardware().toString().getBytes(), true));
        return new RelayPathClient(channel, selector, server, relayed, random, clock);
    }

    public ClientMessages messages() {
        return messages;
    }

    public int newXid() {
        return random.nextInt();
    }

    /** Sends {@code request} and waits up to {@code timeout} for its reply. */
    public Optional<DhcpMessage> exchange(DhcpMessage request, Duration timeout) throws IOException {
        send(request);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Optional.empty();
            }
            if (selector.select(Math.max(1, left / 1_000_000)) == 0) {
                continue;
            }
            selector.selectedKeys().clear();
            buffer.clear();
            while (channel.receive(buffer) != null) {
                buffer.flip();
                Optional<DhcpMessage> reply = matching(request);
                if (reply.isPresent()) {
                    return reply;
                }
                buffer.clear();
            }
        }
    }

    /** Sends a message that gets no reply (RELEASE, DECLINE). */
    public void send(DhcpMessage message) throws IOException {
        channel.send(ByteBuffer.wrap(DhcpCodec.encode(message)), server);
    }

    /**
     * A whole DISCOVER-OFFER-REQUEST-ACK exchange (RFC 2131 §3.1). Empty when a step timed out
     * or the server answered NAK.
     */
    public Optional<Binding> obtain(Ipv4Address requested, Duration stepTimeout) throws IOException {
        int xid = newXid();
        Optional<DhcpMessage> offer = exchange(messages.discover(xid, requested, false), stepTimeout)
                .filter(m -> m.messageType().orElse(null) == MessageType.OFFER);
        if (offer.isEmpty()) {
            return Optional.empty();
        }
        Ipv4Address serverId = offer.get().serverIdentifier().orElse(Ipv4Address.ANY);
        return exchange(messages.requestSelecting(xid, serverId, offer.get().yiaddr()), stepTimeout)
                .filter(m -> m.messageType().orElse(null) == MessageType.ACK)
                .map(ack -> Binding.from(ack, clock.instant()));
    }

    private Optional<DhcpMessage> matching(DhcpMessage request) {
        try {
            DhcpMessage reply = DhcpCodec.decode(buffer.array(), 0, buffer.limit());
            if (reply.op() == DhcpMessage.BootOp.BOOTREPLY && reply.xid() == request.xid()
                    && reply.hardwareAddress().equals(request.hardwareAddress())) {
                return Optional.of(reply);
            }
        } catch (MalformedMessageException e) {
            // A client ignores what it cannot parse (RFC 2131 §4.4.1); the caller's timeout bounds the wait.
        }
        return Optional.empty();
    }

    @Override
    public void close() throws IOException {
        selector.close();
        channel.close();
    }
}
