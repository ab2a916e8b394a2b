package dev.leasehold.net;

import dev.leasehold.wire.Ipv4Address;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * One plain UDP socket: serves relayed traffic (relays unicast to us and we unicast back,
 * RFC 2131 §4.1) and test clients on loopback. It cannot tell the arrival interface nor send a
 * link-layer unicast; broadcasts go to 255.255.255.255 through the routing table, which is why
 * directly attached clients need the per-interface Linux transport instead.
 */
public final class UdpTransport implements Transport {

    /** The largest UDP payload we accept; DHCP messages are far smaller (RFC 2131 §2: 576 by default). */
    private static final int MAX_DATAGRAM = 65_535;

    private final DatagramChannel channel;
    private final ByteBuffer receiveBuffer = ByteBuffer.allocateDirect(MAX_DATAGRAM);
    private final Ipv4Address localAddress;

    private UdpTransport(DatagramChannel channel, Ipv4Address localAddress) {
        this.channel = channel;
        this.localAddress = localAddress;
    }

    /**
     * Binds {@code address:port}; port 0 picks a free port (tests).
     *
     * <p>SO_REUSEADDR is deliberately not set: with it, a second server (or a second Leasehold)
     * binds the same address and port without error and the kernel hands each datagram to one of
     * the two, so clients get answers from whichever happened to receive. Without it the second
     * bind fails (EADDRINUSE) and the server refuses to start, naming the address and port. UDP
     * has no TIME_WAIT, so a restart never needs the option.
     *
     * @throws IOException naming {@code address:port}, and the likely culprit when it is taken
     */
    public static UdpTransport bind(Ipv4Address address, int port) throws IOException {
        DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
        try {
            channel.setOption(StandardSocketOptions.SO_BROADCAST, true);
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
            channel.bind(new InetSocketAddress(address.toInetAddress(), port));
        } catch (java.net.BindException e) {
            channel.close();
            throw new IOException("cannot bind UDP " + address + ":" + port + ": " + e.getMessage()
                    + (e.getMessage() != null && e.getMessage().contains("in use")
                    ? "; another DHCP server, relay or Leasehold holds it (`ss -ulpn` shows which process)" : ""), e);
        } catch (IOException e) {
            channel.close();
            throw new IOException("cannot bind UDP " + address + ":" + port + ": " + e.getMessage()
                    + BindAdvice.forFailure(e, port), e);
        }
        return new UdpTransport(channel, address);
    }

    /** The bound address and port (useful after binding port 0). */
    public InetSocketAddress localAddress() throws IOException {
        return (InetSocketAddress) channel.getLocalAddress();
    }

    @Override
    public InboundDatagram receive() throws IOException {
        // One receiver thread calls this; the buffer is reused and the payload copied out.
        synchronized (receiveBuffer) {
            receiveBuffer.clear();
            InetSocketAddress source = (InetSocketAddress) channel.receive(receiveBuffer);
            receiveBuffer.flip();
            byte[] payload = new byte[receiveBuffer.remaining()];
            receiveBuffer.get(payload);
            return new InboundDatagram(payload, payload.length, source,
                    new InboundDatagram.Arrival("", 0, localAddress, false));
        }
    }

    @Override
    public void send(OutboundDatagram outbound) throws IOException {
        InetSocketAddress target = switch (outbound.destination()) {
            case Destination.Unicast(Ipv4Address address, int port) -> new InetSocketAddress(address.toInetAddress(), port);
            case Destination.Broadcast(int port, String ignored) ->
                    new InetSocketAddress(Ipv4Address.BROADCAST.toInetAddress(), port);
            // Without raw sockets the client cannot be reached before it has its address.
            case Destination.LinkLayerUnicast(var hw, Ipv4Address ignored, int port, String name) ->
                    new InetSocketAddress(Ipv4Address.BROADCAST.toInetAddress(), port);
            case Destination.AddressedClientUnicast(var hw, Ipv4Address address, int port, String name) ->
                    new InetSocketAddress(address.toInetAddress(), port);
        };
        channel.send(ByteBuffer.wrap(outbound.payload(), 0, outbound.length()), target);
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing a datagram socket has nothing to flush
        }
    }

}
