package dev.leasehold.client;

import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.Ipv4Address;
import dev.leasehold.wire.MessageType;
import dev.leasehold.wire.OptionCode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The DHCP client state machine of RFC 2131 §4.4 (figure 5): INIT → SELECTING → REQUESTING →
 * BOUND → RENEWING → REBINDING, and INIT-REBOOT → REBOOTING for a remembered lease, with the ARP
 * check of §4.4.1 / RFC 5227 as the CHECKING state and DHCPINFORM (§4.4.3) as INFORMING.
 *
 * <p>Pure: time comes from the injected {@link Clock}, randomness (xids, backoff jitter) from the
 * {@link RandomGenerator}, and every effect goes through {@link ClientIo}. The driver calls
 * {@link #tick()} once the clock reaches {@link #nextWakeup()}, and {@link #received} for each
 * decoded message. Not thread-safe: one driver thread calls it.
 *
 * <p>A reply is acted on only when it is a BOOTREPLY with the current xid, our chaddr, a client
 * identifier equal to ours if it echoes one (RFC 6842 §3), a server not refused, and the message
 * type the state waits for. Anything else is reported through {@link ClientIo#ignored} and
 * changes nothing (§4.4.1: "the client ... discards" such messages); nothing is fatal.
 */
public final class ClientStateMachine {

    /** RFC 8925's MIN_V6ONLY_WAIT: the shortest time an IPv6-only preferred client leaves DHCPv4 alone. */
    static final Duration MIN_V6ONLY_WAIT = Duration.ofSeconds(300);

    private final ClientSettings settings;
    private final ClientIdentity identity;
    private final ClientMessages messages;
    private final ClientIo io;
    private final Clock clock;
    private final RandomGenerator random;

    private ClientState state = ClientState.STOPPED;
    private int xid;
    /** When the current acquisition or renewal began: secs counts from it (§2), a lease from its request (§4.4.1). */
    private Instant exchangeStart = Instant.EPOCH;
    private Instant requestSentAt = Instant.EPOCH;
    private int attempt;
    private Instant wakeup = Instant.MAX;
    private DhcpMessage lastSent;
    private Instant lastSentAt = Instant.EPOCH;
    /** The offers collected in SELECTING, in order of arrival. */
    private final List<DhcpMessage> offers = new ArrayList<>();
    private Instant offerWindowEnd = Instant.MAX;
    private DhcpMessage chosenOffer;
    /** The lease in use (BOUND, RENEWING, REBINDING), being checked (CHECKING) or being confirmed (REBOOTING). */
    private Binding binding;
    /** The remembered lease an INIT-REBOOT is confirming, or null. */
    private Binding remembered;
    private Ipv4Address requestedAddress;
    private int naksInARow;

    public ClientStateMachine(ClientSettings settings, ClientIdentity identity, ClientIo io, Clock clock, RandomGenerator random) {
        this.settings = settings;
        this.identity = settings.ipv6OnlyPreferred() ? identity.requesting(OptionCode.IPV6_ONLY_PREFERRED) : identity;
        this.messages = identity.messages();
        this.io = io;
        this.clock = clock;
        this.random = random;
    }

    public ClientState state() {
        return state;
    }

    /** The lease in use, if the client holds one. */
    public Optional<Binding> binding() {
        return state.holdsLease() ? Optional.of(binding) : Optional.empty();
    }

    /** When {@link #tick()} wants to run next; {@link Instant#MAX} when only a message or probe result can move the machine. */
    public Instant nextWakeup() {
        return wakeup;
    }

    /** The xid of the exchange in progress. */
    public int xid() {
        return xid;
    }

    // ------------------------------------------------------------------ starting and stopping

    /**
     * Starts the client: INIT-REBOOT when {@code remembered} is a lease that has not yet expired
     * (RFC 2131 §3.2, §4.4.2), else INIT, asking for the remembered address (§4.4.1 option 50).
     */
    public void start(Optional<Binding> remembered) {
        Instant now = clock.instant();
        if (remembered.isPresent() && now.isBefore(remembered.get().expiresAt())) {
            this.remembered = remembered.get();
            state = ClientState.INIT_REBOOT;
            xid = random.nextInt();
            exchangeStart = now;
            requestSentAt = now;
            attempt = 0;
            transmit(messages.requestInitReboot(xid, this.remembered.address()), null);
            state = ClientState.REBOOTING;
            return;
        }
        requestedAddress = remembered.map(Binding::address).or(settings::requestedAddress).orElse(null);
        discover();
    }

    /** Starts a DHCPINFORM exchange for {@code address}, configured by hand (RFC 2131 §4.4.3). */
    public void startInform(Ipv4Address address) {
        state = ClientState.INFORMING;
        xid = random.nextInt();
        exchangeStart = clock.instant();
        attempt = 0;
        transmit(messages.inform(xid, address), null);
    }

    /**
     * Gives the lease back (RFC 2131 §4.4.6: DHCPRELEASE unicast to the server, ciaddr set) and
     * stops using it; then STOPPED. Without a lease, just STOPPED.
     */
    public void release() {
        if (state.holdsLease()) {
            Binding released = binding;
            DhcpMessage release = identity.finish(messages.release(random.nextInt(), released.address(), released.serverId()), 0);
            if (released.serverId().isAny()) {
                io.broadcast(release);
            } else {
                io.unicast(release, released.serverId());
            }
            io.leaseChanged(new LeaseEvent(LeaseEvent.Reason.RELEASE, released, Optional.empty()));
        }
        stop();
    }

    /**
     * Renews now instead of at T1 (an operator's {@code --renew}, SIGHUP): from BOUND a DHCPREQUEST
     * unicast to the server as at T1; while RENEWING or REBINDING the pending DHCPREQUEST is sent
     * again at once. Answers false, doing nothing, when the client holds no lease.
     */
    public boolean renewNow() {
        Instant now = clock.instant();
        switch (state) {
            case BOUND -> renew(now);
            case RENEWING -> {
                transmit(lastSent, binding.serverId());
                wakeup = renewRetry(now, binding.rebindAt());
            }
            case REBINDING -> {
                transmit(lastSent, null);
                wakeup = renewRetry(now, binding.expiresAt());
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /** Stops without a word to any server: a lease in use stays in use until the process starts again. */
    public void stop() {
        state = ClientState.STOPPED;
        wakeup = Instant.MAX;
    }

    // ------------------------------------------------------------------ events

    /** The clock reached {@link #nextWakeup()}: retransmit, choose an offer, or move on at T1, T2 or expiry. */
    public void tick() {
        Instant now = clock.instant();
        if (now.isBefore(wakeup)) {
            return;
        }
        switch (state) {
            case INIT -> discover();
            case SELECTING -> {
                if (!offers.isEmpty() && !now.isBefore(offerWindowEnd)) {
                    request(choose());
                } else {
                    retransmit(null);
                }
            }
            case REQUESTING, REBOOTING -> {
                if (attempt >= settings.requestRetransmissions()) {
                    // §3.1 step 3 / §3.2 step 3: no answer after retransmitting; start over.
                    if (state == ClientState.REBOOTING) {
                        requestedAddress = remembered.address();
                    }
                    discover();
                } else {
                    retransmit(null);
                }
            }
            case INFORMING -> {
                if (attempt >= settings.requestRetransmissions()) {
                    stop();
                } else {
                    retransmit(null);
                }
            }
            case BOUND -> renew(now);
            case RENEWING -> {
                if (!now.isBefore(binding.rebindAt())) {
                    rebind(now);
                } else {
                    transmit(lastSent, binding.serverId());
                    wakeup = renewRetry(now, binding.rebindAt());
                }
            }
            case REBINDING -> {
                if (!now.isBefore(binding.expiresAt())) {
                    expire();
                } else {
                    transmit(lastSent, null);
                    wakeup = renewRetry(now, binding.expiresAt());
                }
            }
            case CHECKING, INIT_REBOOT, STOPPED -> wakeup = Instant.MAX;
        }
    }

    /** A decoded message arrived on the client's interface. */
    public void received(DhcpMessage reply) {
        Optional<String> refusal = refusal(reply);
        if (refusal.isPresent()) {
            io.ignored(reply, refusal.get());
            return;
        }
        MessageType type = reply.messageType().orElseThrow();
        switch (state) {
            case SELECTING -> {
                Optional<String> unusable = LeaseSanity.refusal(reply);
                if (type == MessageType.ACK && settings.rapidCommit() && reply.options().contains(OptionCode.RAPID_COMMIT)) {
                    rapidlyCommitted(reply);
                } else if (type != MessageType.OFFER) {
                    io.ignored(reply, "a " + type + " while selecting, waiting for DHCPOFFER");
                } else if (reply.serverIdentifier().isEmpty()) {
                    io.ignored(reply, "an offer without a server identifier (RFC 2131 §4.3.1 requires option 54)");
                } else if (ipv6OnlyWait(reply).isPresent()) {
                    waitForIpv6Only(reply, ipv6OnlyWait(reply).get());
                } else if (unusable.isPresent()) {
                    io.refused(reply, "refusing the offer: " + unusable.get());
                } else {
                    offers.add(reply);
                    if (offers.size() == 1) {
                        offerWindowEnd = clock.instant().plus(settings.offerWindow());
                        wakeup = offerWindowEnd;
                    }
                    if (settings.offerWindow().isZero() || settings.preference() == OfferPreference.FIRST) {
                        request(choose());
                    }
                }
            }
            case REQUESTING, REBOOTING, RENEWING, REBINDING -> {
                if (type == MessageType.ACK) {
                    acknowledged(reply);
                } else if (type == MessageType.NAK) {
                    refused(reply);
                } else {
                    io.ignored(reply, "a " + type + " while " + state + ", waiting for DHCPACK or DHCPNAK");
                }
            }
            case INFORMING -> {
                if (type == MessageType.ACK) {
                    stop();
                    io.informed(reply);
                } else {
                    io.ignored(reply, "a " + type + " while informing, waiting for DHCPACK");
                }
            }
            default -> io.ignored(reply, "a " + type + " while " + state + ", no exchange in progress");
        }
    }

    /** The ARP check of {@code address} ended: a conflict means someone else uses it (RFC 5227 §2.1.1). */
    public void probeFinished(Ipv4Address address, boolean conflict) {
        if (state != ClientState.CHECKING || !binding.address().equals(address)) {
            return; // a result for a check we no longer wait for
        }
        if (conflict) {
            // RFC 2131 §3.1 step 5: DHCPDECLINE, then at least ten seconds before starting over.
            Binding declined = binding;
            io.broadcast(identity.finish(messages.decline(xid, declined.address(), declined.serverId()), 0));
            io.declined(declined);
            binding = null;
            remembered = null;
            requestedAddress = null;
            state = ClientState.INIT;
            wakeup = clock.instant().plus(settings.declineWait());
            return;
        }
        LeaseEvent.Reason reason = remembered != null ? LeaseEvent.Reason.REBOOT : LeaseEvent.Reason.BOUND;
        remembered = null;
        naksInARow = 0;
        bound(new LeaseEvent(reason, binding, Optional.empty()));
    }

    // ------------------------------------------------------------------ transitions

    private void discover() {
        state = ClientState.SELECTING;
        xid = random.nextInt();
        exchangeStart = clock.instant();
        attempt = 0;
        offers.clear();
        offerWindowEnd = Instant.MAX;
        chosenOffer = null;
        binding = null;
        remembered = null;
        transmit(messages.discover(xid, requestedAddress, settings.rapidCommit()), null);
    }

    /** DHCPREQUEST for the chosen offer, same xid as the DHCPOFFER (§4.4.1). */
    private void request(DhcpMessage offer) {
        chosenOffer = offer;
        offers.clear();
        offerWindowEnd = Instant.MAX;
        state = ClientState.REQUESTING;
        attempt = 0;
        requestSentAt = clock.instant();
        transmit(messages.requestSelecting(xid, offer.serverIdentifier().orElseThrow(), offer.yiaddr()), null);
    }

    /** RFC 4039 §4: a DHCPACK with option 80 answering our DHCPDISCOVER commits the lease without a DHCPREQUEST. */
    private void rapidlyCommitted(DhcpMessage ack) {
        if (ack.serverIdentifier().isEmpty()) {
            io.ignored(ack, "a rapid-commit DHCPACK without a server identifier (RFC 2131 §4.3.1 requires option 54)");
            return;
        }
        Instant selectingWakeup = wakeup;
        chosenOffer = ack;
        state = ClientState.REQUESTING;
        requestSentAt = lastSentAt;
        acknowledged(ack);
        if (state == ClientState.REQUESTING) {
            // The ACK was not usable and no DHCPREQUEST is pending for it: go on selecting as before.
            state = ClientState.SELECTING;
            chosenOffer = null;
            wakeup = selectingWakeup;
        } else {
            offers.clear();
            offerWindowEnd = Instant.MAX;
        }
    }

    /**
     * RFC 8925 §3.2: with IPv6-only preferred configured, option 108 in a DHCPOFFER (or in the
     * DHCPACK of an INIT-REBOOT) means "do not use IPv4 here" for V6ONLY_WAIT seconds, never less
     * than MIN_V6ONLY_WAIT (300 s).
     */
    private Optional<Duration> ipv6OnlyWait(DhcpMessage reply) {
        Long seconds = LeaseTimers.unsigned32(reply, OptionCode.IPV6_ONLY_PREFERRED);
        if (!settings.ipv6OnlyPreferred() || seconds == null) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofSeconds(Math.max(seconds, MIN_V6ONLY_WAIT.toSeconds())));
    }

    private void waitForIpv6Only(DhcpMessage reply, Duration wait) {
        io.ignored(reply, "the network is IPv6-only preferred (option 108, RFC 8925): no DHCPv4 for " + wait.toSeconds() + " s");
        offers.clear();
        offerWindowEnd = Instant.MAX;
        binding = null;
        remembered = null;
        requestedAddress = null;
        state = ClientState.INIT;
        wakeup = clock.instant().plus(wait);
    }

    private void acknowledged(DhcpMessage ack) {
        if (ack.yiaddr().isAny()) {
            io.ignored(ack, "a DHCPACK without an address (yiaddr 0.0.0.0)");
            return;
        }
        if (ack.requestedLeaseTime().isEmpty()) {
            io.ignored(ack, "a DHCPACK without a lease time (RFC 2131 §4.3.1 requires option 51)");
            return;
        }
        Optional<String> unusable = LeaseSanity.refusal(ack);
        if (unusable.isPresent()) {
            io.refused(ack, "not using the DHCPACK: " + unusable.get());
            return;
        }
        if (state == ClientState.REBOOTING && ipv6OnlyWait(ack).isPresent()) {
            io.leaseChanged(new LeaseEvent(LeaseEvent.Reason.EXPIRE, remembered, Optional.empty()));
            waitForIpv6Only(ack, ipv6OnlyWait(ack).get());
            return;
        }
        LeaseTimers timers = LeaseTimers.of(ack, settings.minimumLease());
        timers.repairs().forEach(r -> io.tolerated(ack, r));
        LeaseSanity.malformedOptions(ack).forEach(r -> io.tolerated(ack, r));
        switch (state) {
            case REQUESTING -> {
                Ipv4Address chosen = chosenOffer.serverIdentifier().orElseThrow();
                if (!ack.serverIdentifier().map(chosen::equals).orElse(true)) {
                    io.ignored(ack, "a DHCPACK from " + ack.serverIdentifier().get() + ", not the chosen server " + chosen);
                    return;
                }
                binding = Binding.from(ack, requestSentAt, timers);
                check();
            }
            case REBOOTING -> {
                binding = Binding.from(ack, requestSentAt, timers);
                check();
            }
            case RENEWING, REBINDING -> {
                Binding previous = binding;
                binding = Binding.from(ack, exchangeStart, timers);
                naksInARow = 0;
                bound(new LeaseEvent(state == ClientState.RENEWING ? LeaseEvent.Reason.RENEW : LeaseEvent.Reason.REBIND,
                        binding, Optional.of(previous)));
            }
            default -> throw new IllegalStateException("DHCPACK handled in " + state);
        }
    }

    private void check() {
        if (!settings.checkAddress()) {
            probeFinishedUnchecked();
            return;
        }
        state = ClientState.CHECKING;
        wakeup = Instant.MAX;
        io.probe(binding.address());
    }

    private void probeFinishedUnchecked() {
        state = ClientState.CHECKING;
        probeFinished(binding.address(), false);
    }

    /** DHCPNAK (§3.1 step 5, §3.2 step 4, §4.4.5): stop using any address and start again in INIT. */
    private void refused(DhcpMessage nak) {
        Binding lost = state.holdsLease() ? binding : state == ClientState.REBOOTING ? remembered : null;
        if (lost != null) {
            io.leaseChanged(new LeaseEvent(LeaseEvent.Reason.NAK, lost, Optional.empty()));
        } else {
            io.ignored(nak, "DHCPNAK: the server refused the request; starting over");
        }
        binding = null;
        remembered = null;
        requestedAddress = null;
        naksInARow++;
        state = ClientState.INIT;
        if (naksInARow <= 1) {
            discover();
        } else {
            // A server that NAKs every REQUEST would otherwise keep the client in a tight loop.
            Duration wait = settings.nakWait().multipliedBy(1L << Math.min(naksInARow - 2, 4));
            Duration max = settings.backoff().maximum();
            wakeup = clock.instant().plus(wait.compareTo(max) > 0 ? max : wait);
        }
    }

    private void bound(LeaseEvent event) {
        state = ClientState.BOUND;
        attempt = 0;
        wakeup = binding.renewAt();
        io.leaseChanged(event);
    }

    /** T1: DHCPREQUEST unicast to the server that granted the lease, ciaddr set (§4.4.5). */
    private void renew(Instant now) {
        state = ClientState.RENEWING;
        xid = random.nextInt();
        exchangeStart = now;
        if (binding.serverId().isAny()) {
            rebind(now); // no server to unicast to: ask everyone
            return;
        }
        transmit(messages.requestRenew(xid, binding.address()), binding.serverId());
        wakeup = renewRetry(now, binding.rebindAt());
    }

    /** T2: the same DHCPREQUEST, broadcast to any server (§4.4.5). */
    private void rebind(Instant now) {
        state = ClientState.REBINDING;
        transmit(messages.requestRenew(xid, binding.address()), null);
        wakeup = renewRetry(now, binding.expiresAt());
    }

    /** The lease ended unrenewed (§4.4.5): stop using the address and start over, asking for it again. */
    private void expire() {
        Binding expired = binding;
        binding = null;
        requestedAddress = expired.address();
        io.leaseChanged(new LeaseEvent(LeaseEvent.Reason.EXPIRE, expired, Optional.empty()));
        discover();
    }

    // ------------------------------------------------------------------ helpers

    /** Sends {@code message} (with secs and option 60) by broadcast, or unicast to {@code server} when not null. */
    private void transmit(DhcpMessage message, Ipv4Address server) {
        Instant now = clock.instant();
        DhcpMessage out = identity.finish(message, (int) Math.min(0xFFFF, Duration.between(exchangeStart, now).toSeconds()));
        lastSent = out;
        lastSentAt = now;
        if (server == null) {
            io.broadcast(out);
        } else {
            io.unicast(out, server);
        }
        if (state != ClientState.RENEWING && state != ClientState.REBINDING) {
            wakeup = now.plus(settings.backoff().delay(attempt, random));
        }
    }

    private void retransmit(Ipv4Address server) {
        attempt++;
        Instant now = clock.instant();
        // secs grows with each retransmission (§2: "seconds elapsed since client began address acquisition").
        DhcpMessage again = lastSent.toBuilder()
                .secs((int) Math.min(0xFFFF, Duration.between(exchangeStart, now).toSeconds())).build();
        lastSent = again;
        lastSentAt = now;
        if (server == null) {
            io.broadcast(again);
        } else {
            io.unicast(again, server);
        }
        wakeup = now.plus(settings.backoff().delay(attempt, random));
    }

    /** §4.4.5: wait half the time left until {@code limit}, at least the configured minimum, never past {@code limit}. */
    private Instant renewRetry(Instant now, Instant limit) {
        Duration half = Duration.between(now, limit).dividedBy(2);
        Duration wait = half.compareTo(settings.renewRetryMinimum()) < 0 ? settings.renewRetryMinimum() : half;
        Instant next = now.plus(wait);
        return next.isAfter(limit) ? limit : next;
    }

    /** Which offer to request (§4.4.1 leaves the choice to the client). */
    private DhcpMessage choose() {
        if (settings.preference() == OfferPreference.FIRST) {
            return offers.getFirst();
        }
        if (requestedAddress != null) {
            for (DhcpMessage offer : offers) {
                if (offer.yiaddr().equals(requestedAddress)) {
                    return offer;
                }
            }
        }
        // max() keeps the first of equals only with a strict comparator on reversed order: pick by hand.
        DhcpMessage best = offers.getFirst();
        Comparator<DhcpMessage> byLease = Comparator.comparingLong(m -> m.requestedLeaseTime().orElse(0));
        for (DhcpMessage offer : offers) {
            if (byLease.compare(offer, best) > 0) {
                best = offer;
            }
        }
        return best;
    }

    /** Why {@code reply} is not for us (or not from a server we accept), or empty when it is. */
    private Optional<String> refusal(DhcpMessage reply) {
        if (reply.op() != DhcpMessage.BootOp.BOOTREPLY) {
            return Optional.of("not a BOOTREPLY");
        }
        if (reply.messageType().isEmpty()) {
            return Optional.of("no DHCP message type (option 53)");
        }
        if (state == ClientState.STOPPED || state == ClientState.INIT || state == ClientState.BOUND
                || state == ClientState.CHECKING) {
            return Optional.of("no exchange in progress (" + state + ")");
        }
        if (reply.xid() != xid) {
            return Optional.of("wrong xid 0x" + Integer.toHexString(reply.xid()) + ", expecting 0x" + Integer.toHexString(xid));
        }
        if (!reply.hardwareAddress().equals(identity.hardware())) {
            return Optional.of("wrong chaddr " + reply.hardwareAddress() + ", ours is " + identity.hardware());
        }
        byte[] echoed = reply.options().getUnsafe(OptionCode.CLIENT_IDENTIFIER);
        byte[] ours = identity.clientId();
        if (echoed != null && ours != null && !Arrays.equals(echoed, ours)) {
            return Optional.of("a client identifier that is not ours (RFC 6842 §3)");
        }
        Optional<Ipv4Address> server = reply.serverIdentifier();
        if (server.isPresent() && settings.refusedServers().contains(server.get())) {
            return Optional.of("from refused server " + server.get());
        }
        return Optional.empty();
    }
}
