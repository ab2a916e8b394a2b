package dev.leasehold.server;

import dev.leasehold.engine.Decision;
import dev.leasehold.engine.DhcpEngine;
import dev.leasehold.engine.DropReason;
import dev.leasehold.engine.RequestContext;
import dev.leasehold.net.Destination;
import dev.leasehold.net.InboundDatagram;
import dev.leasehold.net.OutboundDatagram;
import dev.leasehold.net.Transport;
import dev.leasehold.wire.ClientId;
import dev.leasehold.wire.DhcpCodec;
import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.InterfaceAddress;
import dev.leasehold.wire.Ipv4Address;
import dev.leasehold.wire.MalformedMessageException;
import dev.leasehold.wire.MessageTooLargeException;
import dev.leasehold.wire.MessageType;
import dev.leasehold.wire.RelayAgentInformation;
import dev.leasehold.wire.ReplyFitter;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-packet pipeline: receive → decode → engine → choose destination → encode → send.
 *
 * <p>Threads (docs/architecture.md): the {@code dhcp-receiver} thread receives, decodes, runs
 * the engine's decision and sends every reply that needed no lease write. A reply that waited
 * for a write is built and sent on the {@code commitReplies} executor the composition root
 * gives, once the lease is durable. An OFFER that waits for a ping check is sent, or decided
 * again, on this server's own {@code ping-check} thread. In-flight requests are bounded so a
 * flood cannot grow memory: past the bound, requests are dropped and counted as
 * {@link DropReason#OVERLOADED}.
 */
public final class DhcpServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DhcpServer.class);
    /** How many addresses in a row may answer a ping before we offer one unchecked. */
    private static final int MAX_PING_CONFLICTS = 3;
    /** The DHCP message one 1500-byte Ethernet frame carries: less 20 bytes IP and 8 bytes UDP header. */
    static final int ETHERNET_PAYLOAD = 1500 - 28;
    /**
     * A request that waited longer than this in the socket's queue is dropped unanswered
     * ({@link DropReason#TOO_OLD}): RFC 2131 §4.1 has a client retransmit after 4 s ± 1 s, so by
     * then its retransmission is queued behind it and will be answered.
     */
    static final long MAX_QUEUE_WAIT_MILLIS = 3_000;

    private final Transport transport;
    private final DhcpEngine engine;
    private final Semaphore inFlight;
    private final ServerAddressResolver addresses = new ServerAddressResolver();
    private final RateLimitedLog malformedLog;
    /** Pool exhaustion and requests from unknown networks: operators must hear of them without debug logging. */
    private final RateLimitedLog unservedLog;
    private final RateLimitedLog sendLog;
    private final LongAdder received = new LongAdder();
    private final LongAdder sent = new LongAdder();
    private final LongAdder malformed = new LongAdder();
    private final LongAdder trimmed = new LongAdder();
    private final LongAdder oversized = new LongAdder();
    private final OmittedOptionsLog omittedLog;
    private final AddressProber prober;
    private final Duration pingCheck;
    private final Executor commitReplies;
    /** Runs ping-check continuations; null without a prober. */
    private final ExecutorService pingCheckThread;
    private volatile Thread receiver;
    private volatile boolean closing;
    /** Null when replies to relays are not paced. */
    private final RelayReplyPacer pacer;
    private final LongAdder pacedReplies = new LongAdder();
    private final LongAdder pacedNanos = new LongAdder();

    public DhcpServer(Transport transport, DhcpEngine engine, Clock clock, int maxInFlight) {
        this(transport, engine, clock, maxInFlight, null, Duration.ZERO, Runnable::run);
    }

    /**
     * @param prober when not null and {@code pingCheck} is positive, every OFFER's address is
     *        probed first; an address that answers is held out and another one offered
     * @param commitReplies where a decision that waited for a lease write continues (the ACK is
     *        encoded and sent there); {@code Runnable::run} continues on the store's completing thread
     */
    public DhcpServer(Transport transport, DhcpEngine engine, Clock clock, int maxInFlight,
                      AddressProber prober, Duration pingCheck, Executor commitReplies) {
        this(transport, engine, clock, maxInFlight, prober, pingCheck, commitReplies, null);
    }

    /**
     * @param pacer paces replies to each relay ({@link RelayReplyPacer}); null: replies go out as
     *        soon as they are ready
     */
    DhcpServer(Transport transport, DhcpEngine engine, Clock clock, int maxInFlight,
               AddressProber prober, Duration pingCheck, Executor commitReplies, RelayReplyPacer pacer) {
        this.pacer = pacer;
        this.transport = transport;
        this.engine = engine;
        this.inFlight = new Semaphore(maxInFlight);
        this.malformedLog = new RateLimitedLog(log, clock, 10_000, 5);
        this.unservedLog = new RateLimitedLog(log, clock, 60_000, 5);
        this.sendLog = new RateLimitedLog(log, clock, 10_000, 5);
        this.omittedLog = new OmittedOptionsLog(new RateLimitedLog(log, clock, 10_000, 5));
        this.prober = pingCheck.isPositive() ? prober : null;
        this.pingCheck = pingCheck;
        this.commitReplies = commitReplies;
        this.pingCheckThread = this.prober == null ? null : Executors.newSingleThreadExecutor(
                Thread.ofPlatform().name("ping-check").daemon(true).factory());
    }

    /** Starts the receiver thread. */
    public void start() {
        Thread t = Thread.ofPlatform().name("dhcp-receiver").daemon(false).unstarted(this::receiveLoop);
        receiver = t;
        t.start();
    }

    private void receiveLoop() {
        while (!closing) {
            InboundDatagram datagram;
            try {
                datagram = transport.receive();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (closing) {
                    return;
                }
                log.warn("receive failed: {}", e.toString());
                continue;
            }
            handle(datagram);
        }
    }

    /** Runs one datagram through the pipeline; public for in-process tests and benchmarks. */
    public void handle(InboundDatagram datagram) {
        received.increment();
        long receivedAt = datagram.receivedAtEpochNanos();
        // The kernel stamps with the realtime clock; so does currentTimeMillis (not the server's
        // Clock, which tests replace while the kernel's is real).
        if (receivedAt > 0 && System.currentTimeMillis() - receivedAt / 1_000_000 > MAX_QUEUE_WAIT_MILLIS) {
            engine.counters().dropped(DropReason.TOO_OLD);
            return;
        }
        DhcpMessage request;
        try {
            request = DhcpCodec.decode(datagram.payload(), 0, datagram.length());
        } catch (MalformedMessageException e) {
            malformed.increment();
            engine.counters().dropped(DropReason.MALFORMED);
            malformedLog.warn("malformed packet from {}: {}", datagram.source(), e.getMessage());
            return;
        }
        if (!inFlight.tryAcquire()) {
            engine.counters().dropped(DropReason.OVERLOADED);
            return;
        }
        Ipv4Address serverAddress;
        try {
            // RFC 5107: a relay may ask us to name it as the server, so renewals come through it.
            Optional<Ipv4Address> override = request.giaddr().isAny() ? Optional.empty()
                    : request.relaySubOptionAddress(RelayAgentInformation.SERVER_IDENTIFIER_OVERRIDE);
            serverAddress = override.isPresent() ? override.get() : addresses.resolve(request, datagram);
        } catch (RuntimeException e) {
            inFlight.release();
            engine.counters().dropped(DropReason.NO_SUBNET);
            malformedLog.warn("cannot tell our address towards {}: {}", datagram.source(), e.getMessage());
            return;
        }
        String iface = datagram.arrival().interfaceName();
        // The transport's own list, the same instance between interface scans: nothing built per packet.
        List<InterfaceAddress> networks = iface.isEmpty() ? List.of() : transport.addressesOf(iface);
        Ipv4Address source = datagram.source().getAddress() instanceof java.net.Inet4Address v4
                ? Ipv4Address.of(v4) : Ipv4Address.ANY;
        RequestContext ctx = new RequestContext(serverAddress, iface, networks, datagram.arrival().broadcast(), source);
        if (pacer != null && !request.giaddr().isAny()) {
            pacer.requestFrom(request.giaddr());
        }
        decide(ctx, request, datagram, 0);
    }

    /** Asks the engine, then sends; an OFFER whose address answers a ping is replaced, at most a few times. */
    private void decide(RequestContext ctx, DhcpMessage request, InboundDatagram datagram, int conflicts) {
        CompletableFuture<Decision> decided;
        try {
            decided = engine.handle(ctx, request);
        } catch (RuntimeException e) {
            // A bug must cost one request, never the permit or the receiver thread.
            inFlight.release();
            log.error("engine failed on {}", request, e);
            return;
        }
        BiConsumer<Decision, Throwable> answer = (decision, failure) -> {
            boolean done = true;
            try {
                if (failure != null) {
                    log.error("engine failed on {}", request, failure);
                } else if (decision instanceof Decision.Respond(DhcpMessage reply)) {
                    if (prober != null && conflicts < MAX_PING_CONFLICTS
                            && reply.messageType().filter(t -> t == MessageType.OFFER).isPresent()) {
                        done = false;
                        probeThenSend(ctx, request, reply, datagram, conflicts);
                    } else {
                        send(request, reply, datagram);
                    }
                } else if (decision instanceof Decision.Drop(DropReason reason, String detail) && reason == DropReason.NO_SUBNET) {
                    unservedLog.warn("no reply to {} xid=0x{}: {}: the request matches no subnet ({}); a relay's address"
                            + " belongs in its subnet's relay-addresses", request.hardwareAddress(),
                            Integer.toHexString(request.xid()), reason, detail);
                } else if (decision instanceof Decision.Drop(DropReason reason, String detail)
                        && reason == DropReason.POOL_EXHAUSTED) {
                    unservedLog.warn("no reply to {} xid=0x{}: {} ({})", request.hardwareAddress(),
                            Integer.toHexString(request.xid()), reason, detail);
                } else if (decision instanceof Decision.Drop(DropReason reason, String detail) && log.isDebugEnabled()) {
                    log.debug("no reply to {} xid=0x{}: {} ({})", request.hardwareAddress(),
                            Integer.toHexString(request.xid()), reason, detail);
                }
            } finally {
                if (done) {
                    inFlight.release();
                }
            }
        };
        if (decided.isDone()) {
            decided.whenComplete(answer); // here, on the receiver (or the ping-check thread)
        } else {
            decided.whenCompleteAsync(answer, commitReplies);
        }
    }

    private void probeThenSend(RequestContext ctx, DhcpMessage request, DhcpMessage offer, InboundDatagram datagram,
                               int conflicts) {
        prober.inUse(offer.yiaddr(), pingCheck).whenCompleteAsync((answered, failure) -> {
            if (Boolean.TRUE.equals(answered)) {
                engine.holdOut(offer.yiaddr(), ClientId.of(request));
                decide(ctx, request, datagram, conflicts + 1);
                return;
            }
            try {
                if (failure != null) {
                    sendLog.warn("ping check of {} failed, offering it anyway: {}", offer.yiaddr(), failure.toString());
                }
                send(request, offer, datagram);
            } finally {
                inFlight.release();
            }
        }, pingCheckThread);
    }

    /**
     * Fits the reply to what the client can take (options left out, never the reply), then sends
     * it. A reply straight to the client also fits one Ethernet frame, whatever option 57 says:
     * a link-layer reply larger than the MTU cannot be sent at all, and clients that receive
     * through packet sockets (dhclient, udhcpc) do not reassemble IP fragments.
     */
    private void send(DhcpMessage request, DhcpMessage reply, InboundDatagram datagram) {
        Destination destination = ReplyDestination.choose(request, reply, datagram);
        try {
            int limit = DhcpCodec.maxReplySize(request);
            ReplyFitter.Fitted fitted = ReplyFitter.fit(reply, request,
                    request.giaddr().isAny() ? Math.min(limit, ETHERNET_PAYLOAD) : limit);
            if (fitted.trimmed()) {
                trimmed.increment();
                omittedLog.report(request, reply, fitted);
            }
            if (pacer != null && destination instanceof Destination.Unicast(Ipv4Address to, int port)
                    && to.equals(request.giaddr())) {
                long waited = pacer.awaitTurn(to);
                if (waited > 0) {
                    pacedReplies.increment();
                    pacedNanos.add(waited);
                }
            }
            transport.send(new OutboundDatagram(fitted.bytes(), fitted.bytes().length, destination));
            sent.increment();
        } catch (MessageTooLargeException e) {
            oversized.increment();
            sendLog.warn("cannot send {} to {}: even its essential options do not fit: {}",
                    reply.messageType().orElse(null), destination, e.getMessage());
        } catch (IOException | RuntimeException e) {
            sendLog.warn("cannot send {} to {}: {}", reply.messageType().orElse(null), destination, e.toString());
        }
    }

    public long receivedCount() {
        return received.sum();
    }

    public long sentCount() {
        return sent.sum();
    }

    /** Replies sent with options left out to fit the client's size limit. */
    public long trimmedReplyCount() {
        return trimmed.sum();
    }

    /** Replies not sent because even their essential options exceed the client's size limit. */
    public long oversizedReplyCount() {
        return oversized.sum();
    }

    /** Requests the kernel dropped before we read them: a socket's receive queue was full; empty when the transport cannot tell. */
    public OptionalLong receiveQueueOverflows() {
        return transport.receiveQueueOverflows();
    }

    /** Replies to relays held back to the relay's pace ({@link RelayReplyPacer}), and how long they waited in all. */
    public long pacedReplyCount() {
        return pacedReplies.sum();
    }

    public Duration pacedTime() {
        return Duration.ofNanos(pacedNanos.sum());
    }

    public long malformedCount() {
        return malformed.sum();
    }

    public DhcpEngine engine() {
        return engine;
    }

    @Override
    public void close() {
        closing = true;
        transport.close();
        if (pingCheckThread != null) {
            pingCheckThread.shutdown();
        }
        Thread t = receiver;
        if (t != null) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
