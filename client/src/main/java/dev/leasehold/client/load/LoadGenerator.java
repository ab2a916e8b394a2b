package dev.leasehold.client.load;

import dev.leasehold.client.ClientMessages;
import dev.leasehold.wire.DhcpCodec;
import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import dev.leasehold.wire.MalformedMessageException;
import dev.leasehold.wire.MessageType;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Recorder;
import org.HdrHistogram.Histogram;

/**
 * Drives many virtual clients through whole DORA exchanges over the relay path, as Kea's
 * perfdhcp does, but cheaper per lease: packets are patched templates, not encodings; one
 * socket, one sending and one receiving thread. A Java peer of perfdhcp for the benchmarks
 * (issue 7) and the {@code client --simulate} command.
 *
 * <p>Every wait is bounded: an exchange not done within the plan's timeout counts as dropped
 * and frees its window slot; the whole run ends when every client is done or dropped.
 */
public final class LoadGenerator {

    private static final int IDLE = 0;
    private static final int DISCOVERING = 1;
    private static final int REQUESTING = 2;
    private static final int BOUND = 3;
    private static final int RENEWING = 4;
    private static final int FINISHED = 5;

    private final LoadPlan plan;
    private final AtomicIntegerArray phase;
    private final long[] startedAt;
    private final int[] address;
    private final int[] serverId;
    private final Semaphore window;
    private final Recorder discoverOffer = new Recorder(3);
    private final Recorder requestAck = new Recorder(3);
    private final Recorder renewAck = new Recorder(3);
    private final LongAdder leases = new LongAdder();
    private final LongAdder renewed = new LongAdder();
    private final LongAdder naks = new LongAdder();
    private final LongAdder drops = new LongAdder();
    private final LongAdder done = new LongAdder();
    /** Every datagram that came back, whether or not it answered one of ours: zero means nobody is talking to us. */
    private final LongAdder datagrams = new LongAdder();
    private final PacketTemplate discover;
    private final PacketTemplate request;
    private final PacketTemplate renew;
    private final PacketTemplate release;
    private DatagramChannel channel;

    public LoadGenerator(LoadPlan plan) {
        this.plan = plan;
        this.phase = new AtomicIntegerArray(plan.clients());
        this.startedAt = new long[plan.clients()];
        this.address = new int[plan.clients()];
        this.serverId = new int[plan.clients()];
        this.window = new Semaphore(plan.window());
        ClientMessages m = new ClientMessages(new HardwareAddress(1, new byte[6]), null, null,
                new ClientMessages.RelayFields(plan.relayAddress(), new byte[0], true));
        Ipv4Address placeholder = Ipv4Address.parse("1.2.3.4");
        discover = new PacketTemplate(m.discover(0, null, false));
        request = new PacketTemplate(m.requestSelecting(0, placeholder, placeholder));
        renew = new PacketTemplate(m.requestRenew(0, placeholder));
        release = new PacketTemplate(m.release(0, placeholder, placeholder));
    }

    /** Runs the plan to the end and reports. */
    public LoadReport run() throws IOException, InterruptedException {
        channel = DatagramChannel.open(StandardProtocolFamily.INET);
        channel.setOption(StandardSocketOptions.SO_RCVBUF, 8 << 20);
        channel.setOption(StandardSocketOptions.SO_SNDBUF, 8 << 20);
        try {
            channel.bind(new InetSocketAddress(plan.relayAddress().toInetAddress(), 0));
        } catch (IOException e) {
            channel.close();
            throw new IOException("cannot bind the relay address " + plan.relayAddress() + " (--relay must be an address of"
                    + " this machine, e.g. 127.0.0.1): " + e.getMessage(), e);
        }
        Thread receiver = Thread.ofPlatform().name("load-receiver").daemon().start(this::receiveLoop);
        Thread sweeper = Thread.ofPlatform().name("load-sweeper").daemon().start(this::sweepLoop);
        try {
            long start = System.nanoTime();
            runPhase(IDLE, DISCOVERING);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            Histogram doHist = discoverOffer.getIntervalHistogram();
            Histogram raHist = requestAck.getIntervalHistogram();
            long dropsAfterDora = drops.sum();
            Duration renewElapsed = Duration.ZERO;
            if (plan.renew()) {
                long renewStart = System.nanoTime();
                runPhase(BOUND, RENEWING);
                renewElapsed = Duration.ofNanos(System.nanoTime() - renewStart);
            }
            if (plan.release()) {
                releaseAll();
            }
            return new LoadReport(plan.clients(), leases.sum(), naks.sum(), dropsAfterDora, elapsed,
                    latency(doHist), latency(raHist), renewed.sum(), renewElapsed, latency(renewAck.getIntervalHistogram()),
                    datagrams.sum() == 0 && drops.sum() > 0 ? silentServer(plan) : "");
        } finally {
            channel.close();
            receiver.join(2_000);
            sweeper.interrupt();
            sweeper.join(2_000);
        }
    }

    /** Starts an exchange for every client in phase {@code from} and waits until all have ended. */
    private void runPhase(int from, int to) throws IOException, InterruptedException {
        done.reset();
        int eligible = 0;
        long interval = plan.rate() > 0 ? 1_000_000_000L / plan.rate() : 0;
        long next = System.nanoTime();
        for (int i = 0; i < plan.clients(); i++) {
            if (phase.get(i) != from) {
                continue;
            }
            eligible++;
            if (!window.tryAcquire(plan.timeout().toMillis() * 2, TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("load window stuck: no exchange finished in " + plan.timeout().multipliedBy(2));
            }
            if (interval > 0) {
                next += interval;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
            startedAt[i] = System.nanoTime();
            phase.set(i, to);
            byte[] packet = to == DISCOVERING
                    ? discover.forClient(xid(i), mac(i), 0, 0, 0)
                    : renew.forClient(xid(i), mac(i), address[i], 0, 0);
            send(packet);
        }
        long deadline = System.nanoTime() + plan.timeout().toNanos() * 2 + 1_000_000_000L;
        while (done.sum() < eligible && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    private void releaseAll() throws IOException {
        for (int i = 0; i < plan.clients(); i++) {
            if (phase.get(i) == BOUND || phase.get(i) == FINISHED && address[i] != 0) {
                send(release.forClient(xid(i), mac(i), address[i], 0, serverId[i]));
            }
        }
    }

    private void receiveLoop() {
        ByteBuffer buffer = ByteBuffer.allocate(2048);
        while (true) {
            buffer.clear();
            try {
                channel.receive(buffer);
                datagrams.increment();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                continue;
            }
            buffer.flip();
            DhcpMessage reply;
            try {
                reply = DhcpCodec.decode(buffer.array(), 0, buffer.limit());
            } catch (MalformedMessageException e) {
                continue;
            }
            int i = reply.xid() & 0xFFFFFF;
            if (i >= plan.clients() || reply.xid() != xid(i)) {
                continue;
            }
            MessageType type = reply.messageType().orElse(null);
            long now = System.nanoTime();
            int p = phase.get(i);
            if (p == DISCOVERING && type == MessageType.OFFER) {
                discoverOffer.recordValue((now - startedAt[i]) / 1_000);
                int server = reply.serverIdentifier().map(Ipv4Address::bits).orElse(0);
                if (phase.compareAndSet(i, DISCOVERING, REQUESTING)) {
                    startedAt[i] = now;
                    serverId[i] = server;
                    sendQuietly(request.forClient(xid(i), mac(i), 0, reply.yiaddr().bits(), server));
                }
            } else if ((p == REQUESTING || p == RENEWING) && (type == MessageType.ACK || type == MessageType.NAK)) {
                if (!phase.compareAndSet(i, p, type == MessageType.ACK ? BOUND : FINISHED)) {
                    continue;
                }
                if (type == MessageType.ACK) {
                    address[i] = reply.yiaddr().bits();
                    (p == REQUESTING ? requestAck : renewAck).recordValue((now - startedAt[i]) / 1_000);
                    (p == REQUESTING ? leases : renewed).increment();
                } else {
                    naks.increment();
                }
                done.increment();
                window.release();
            }
        }
    }

    /**
     * Why a server may drop every request of a run: a relayed request (we are the relay, RFC 2131
     * §4.1) is answered only when its giaddr selects a subnet of the server's.
     */
    static String silentServer(LoadPlan plan) {
        String server = plan.server().getAddress().getHostAddress() + ":" + plan.server().getPort();
        return ("no replies at all from %s: is a DHCP server listening there, and is %s (our giaddr, --relay) inside"
                + " one of its subnets or in a subnet's relay-addresses? Servers drop relayed requests that match no subnet.")
                .formatted(server, plan.relayAddress());
    }

    /** Ends exchanges that took longer than the timeout: counted as drops, slot freed. */
    private void sweepLoop() {
        long timeout = plan.timeout().toNanos();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (int i = 0; i < plan.clients(); i++) {
                int p = phase.get(i);
                if ((p == DISCOVERING || p == REQUESTING || p == RENEWING) && now - startedAt[i] > timeout
                        && phase.compareAndSet(i, p, FINISHED)) {
                    drops.increment();
                    done.increment();
                    window.release();
                }
            }
        }
    }

    private void send(byte[] packet) throws IOException {
        channel.send(ByteBuffer.wrap(packet), plan.server());
    }

    private void sendQuietly(byte[] packet) {
        try {
            send(packet);
        } catch (IOException e) {
            // the sweeper counts the exchange as dropped
        }
    }

    private int xid(int i) {
        return (plan.macSeed() & 0x7F) << 24 | i;
    }

    private byte[] mac(int i) {
        return new byte[] {0x02, (byte) plan.macSeed(), 0, (byte) (i >>> 16), (byte) (i >>> 8), (byte) i};
    }

    private static LoadReport.Latency latency(Histogram h) {
        if (h.getTotalCount() == 0) {
            return new LoadReport.Latency(0, 0, 0, 0);
        }
        return new LoadReport.Latency(h.getValueAtPercentile(50), h.getValueAtPercentile(90),
                h.getValueAtPercentile(99), h.getMaxValue());
    }
}
