package dev.leasehold.testkit;

import dev.leasehold.client.Binding;
import dev.leasehold.client.ClientMessages;
import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.DhcpOptions;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import dev.leasehold.wire.MessageType;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A scripted DHCP client for in-process tests: it sends the messages of RFC 2131 §4.4 (built by
 * {@link ClientMessages}, table 5) through an {@link Exchange} and remembers its offer and
 * binding, so a scenario test reads like the lifecycle ({@code dora()}, {@code renew()},
 * {@code release()}). It runs no timers and retransmits nothing: the test decides when T1, T2 or
 * expiry come, by moving a {@link FakeClock}.
 *
 * <p>The exchange is whatever answers a request: the engine called directly, or a server behind
 * an {@link InMemoryTransport} with the codec in between. Not thread-safe; one client per thread.
 */
public final class TestClient {

    /** How a request travels (RFC 2131 §4.4.5: RENEWING unicasts, REBINDING broadcasts). */
    public enum Delivery { BROADCAST, UNICAST }

    /** Sends one request and answers the server's reply, or empty when the server stays silent. */
    @FunctionalInterface
    public interface Exchange {
        Optional<DhcpMessage> exchange(DhcpMessage request, Delivery delivery);
    }

    private final ClientMessages messages;
    private final Exchange exchange;
    private final Clock clock;
    private final Map<Integer, byte[]> addedOptions = new LinkedHashMap<>();
    private final Set<Integer> omittedOptions = new LinkedHashSet<>();
    private int nextXid;
    private DhcpMessage offer;
    private Binding binding;

    public TestClient(ClientMessages messages, Exchange exchange, Clock clock) {
        this.messages = messages;
        this.exchange = exchange;
        this.clock = clock;
        this.nextXid = Arrays.hashCode(messages.hardware().bytes()) * 0x9E3779B9;
    }

    /** A directly attached Ethernet client without option 61 or a host name. */
    public static TestClient ethernet(String mac, Exchange exchange, Clock clock) {
        return new TestClient(new ClientMessages(HardwareAddress.parseEthernet(mac), null, null,
                ClientMessages.RelayFields.NONE), exchange, clock);
    }

    /** Adds option {@code code} with {@code value} to every message this client sends from now on. */
    public TestClient withOption(int code, byte[] value) {
        addedOptions.put(code, value.clone());
        omittedOptions.remove(code);
        return this;
    }

    /** Leaves option {@code code} out of every message this client sends from now on. */
    public TestClient withoutOption(int code) {
        omittedOptions.add(code);
        addedOptions.remove(code);
        return this;
    }

    public ClientMessages messages() {
        return messages;
    }

    public HardwareAddress hardwareAddress() {
        return messages.hardware();
    }

    /** The last DHCPOFFER received, if any. */
    public Optional<DhcpMessage> offer() {
        return Optional.ofNullable(offer);
    }

    public boolean isBound() {
        return binding != null;
    }

    /** The current binding; fails when the client holds none. */
    public Binding binding() {
        if (binding == null) {
            throw new IllegalStateException("client " + hardwareAddress() + " is not bound");
        }
        return binding;
    }

    /** Sends {@code request} exactly as given (no added or omitted options) and answers the reply. */
    public Optional<DhcpMessage> send(DhcpMessage request, Delivery delivery) {
        return exchange.exchange(request, delivery);
    }

    /** {@code message} with this client's added and omitted options applied. */
    public DhcpMessage tailor(DhcpMessage message) {
        if (addedOptions.isEmpty() && omittedOptions.isEmpty()) {
            return message;
        }
        DhcpOptions.Builder o = message.options().toBuilder();
        omittedOptions.forEach(o::remove);
        addedOptions.forEach((code, value) -> o.put(code, value));
        return message.toBuilder().options(o.build()).build();
    }

    // ---- INIT → SELECTING → BOUND (RFC 2131 §4.4.1) ----

    /** DHCPDISCOVER; answers the reply (OFFER, or ACK under rapid commit); fails on silence. */
    public DhcpMessage discover() {
        return expectReply(tryDiscover(null, false), "DISCOVER");
    }

    /** DHCPDISCOVER asking for {@code requested} (option 50); fails on silence. */
    public DhcpMessage discover(Ipv4Address requested) {
        return expectReply(tryDiscover(requested, false), "DISCOVER");
    }

    /** DHCPDISCOVER with rapid commit (option 80, RFC 4039 §4); fails on silence. */
    public DhcpMessage discoverWithRapidCommit() {
        return expectReply(tryDiscover(null, true), "DISCOVER");
    }

    /** DHCPDISCOVER that may go unanswered. An ACK (rapid commit) binds the client. */
    public Optional<DhcpMessage> tryDiscover(Ipv4Address requested, boolean rapidCommit) {
        Optional<DhcpMessage> reply = send(tailor(messages.discover(newXid(), requested, rapidCommit)), Delivery.BROADCAST);
        reply.filter(r -> is(r, MessageType.OFFER)).ifPresent(r -> offer = r);
        reply.ifPresent(this::takeBindingFrom);
        return reply;
    }

    /** DHCPREQUEST in SELECTING for {@code offer}: names its server (54) and address (50). */
    public Optional<DhcpMessage> select(DhcpMessage offer) {
        Ipv4Address serverId = offer.serverIdentifier()
                .orElseThrow(() -> new IllegalArgumentException("the offer has no server identifier: " + offer));
        return requestSelecting(offer.xid(), serverId, offer.yiaddr());
    }

    /** DHCPREQUEST in SELECTING naming {@code serverId} and {@code address}. */
    public Optional<DhcpMessage> requestSelecting(Ipv4Address serverId, Ipv4Address address) {
        return requestSelecting(newXid(), serverId, address);
    }

    private Optional<DhcpMessage> requestSelecting(int xid, Ipv4Address serverId, Ipv4Address address) {
        Optional<DhcpMessage> reply = send(tailor(messages.requestSelecting(xid, serverId, address)), Delivery.BROADCAST);
        reply.ifPresent(this::takeBindingFrom);
        return reply;
    }

    /** DISCOVER, then REQUEST for the offer; answers the binding; fails unless the server ACKs. */
    public Binding dora() {
        DhcpMessage first = discover();
        if (is(first, MessageType.ACK)) {
            return binding();
        }
        if (!is(first, MessageType.OFFER)) {
            throw new AssertionError("expected an OFFER to DISCOVER, got " + first);
        }
        DhcpMessage ack = expectReply(select(first), "REQUEST");
        if (!is(ack, MessageType.ACK)) {
            throw new AssertionError("expected an ACK to REQUEST, got " + ack);
        }
        return binding();
    }

    // ---- INIT-REBOOT, RENEWING, REBINDING (RFC 2131 §4.3.2, §4.4.2, §4.4.5) ----

    /** DHCPREQUEST in INIT-REBOOT for {@code remembered}: broadcast, no server id, ciaddr 0. */
    public Optional<DhcpMessage> initReboot(Ipv4Address remembered) {
        Optional<DhcpMessage> reply = send(tailor(messages.requestInitReboot(newXid(), remembered)), Delivery.BROADCAST);
        reply.ifPresent(this::takeBindingFrom);
        return reply;
    }

    /** DHCPREQUEST in RENEWING (at T1): unicast, ciaddr the bound address. */
    public Optional<DhcpMessage> renew() {
        return requestWithCiaddr(binding().address(), Delivery.UNICAST);
    }

    /** DHCPREQUEST in REBINDING (at T2): broadcast, ciaddr the bound address. */
    public Optional<DhcpMessage> rebind() {
        return requestWithCiaddr(binding().address(), Delivery.BROADCAST);
    }

    /** A RENEWING or REBINDING request for {@code ciaddr}, which need not be this client's. */
    public Optional<DhcpMessage> requestWithCiaddr(Ipv4Address ciaddr, Delivery delivery) {
        Optional<DhcpMessage> reply = send(tailor(messages.requestRenew(newXid(), ciaddr)), delivery);
        reply.ifPresent(this::takeBindingFrom);
        return reply;
    }

    // ---- RELEASE, DECLINE, INFORM (RFC 2131 §4.4.1, §4.4.3, §4.4.6) ----

    /** DHCPRELEASE of the bound address to its server; the client forgets the binding. */
    public Optional<DhcpMessage> release() {
        Binding b = binding();
        binding = null;
        return release(b.address(), b.serverId());
    }

    /** DHCPRELEASE of {@code ciaddr}, which need not be this client's. */
    public Optional<DhcpMessage> release(Ipv4Address ciaddr, Ipv4Address serverId) {
        return send(tailor(messages.release(newXid(), ciaddr, serverId)), Delivery.UNICAST);
    }

    /** DHCPDECLINE of the bound address (the ARP probe found it in use); the client forgets it. */
    public Optional<DhcpMessage> decline() {
        Binding b = binding();
        binding = null;
        return decline(b.address(), b.serverId());
    }

    /** DHCPDECLINE of {@code address}, which need not be this client's. */
    public Optional<DhcpMessage> decline(Ipv4Address address, Ipv4Address serverId) {
        return send(tailor(messages.decline(newXid(), address, serverId)), Delivery.BROADCAST);
    }

    /** DHCPINFORM from a client configured by hand with {@code ciaddr}. */
    public Optional<DhcpMessage> inform(Ipv4Address ciaddr) {
        return send(tailor(messages.inform(newXid(), ciaddr)), Delivery.UNICAST);
    }

    // ---- helpers ----

    private void takeBindingFrom(DhcpMessage reply) {
        if (is(reply, MessageType.ACK) && !reply.yiaddr().isAny()) {
            binding = Binding.from(reply, clock.instant());
            offer = null;
        } else if (is(reply, MessageType.NAK)) {
            binding = null;
            offer = null;
        }
    }

    private int newXid() {
        return nextXid++;
    }

    private static boolean is(DhcpMessage m, MessageType type) {
        return m.messageType().filter(t -> t == type).isPresent();
    }

    private DhcpMessage expectReply(Optional<DhcpMessage> reply, String what) {
        return reply.orElseThrow(() -> new AssertionError("no reply to " + what + " from " + hardwareAddress()));
    }

    @Override
    public String toString() {
        return "TestClient[" + hardwareAddress() + (binding != null ? " bound to " + binding.address() : "") + "]";
    }
}
