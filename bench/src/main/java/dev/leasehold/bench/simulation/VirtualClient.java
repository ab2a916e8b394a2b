package dev.leasehold.bench.simulation;

import dev.leasehold.client.ClientMessages;
import dev.leasehold.wire.ClientId;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import java.nio.charset.StandardCharsets;

/**
 * One simulated DHCP client: its identity (MAC, option 61 or not, host name, the site and relay
 * circuit it sits behind) and where it is in the RFC 2131 §4.4 state machine. Identity is kept
 * as primitives and the messages are built when sent, so a million of them fit in a small heap.
 *
 * <p>Owned by the simulation thread; nothing else touches it.
 */
final class VirtualClient {

    /** Where the client is in its lifecycle (RFC 2131 §4.4, figure 5), as far as the simulation cares. */
    enum Phase {
        /** Not on the network (before its arrival, after it left). */
        AWAY,
        /** INIT or waiting to retry a DISCOVER. */
        INIT,
        /** Holds an offer and is about to REQUEST it. */
        SELECTING,
        /** Has a lease: BOUND, RENEWING or REBINDING. */
        BOUND
    }

    final int index;
    final long mac;
    final int site;
    private final int circuit;
    final boolean sendsClientId;
    final boolean sendsHostName;
    /** Returns with INIT-REBOOT for its remembered address (as dhclient does) instead of a DISCOVER. */
    final boolean rebootsOnReturn;
    /** Sends option 80, asking for rapid commit (RFC 4039 §3). */
    final boolean asksRapidCommit;

    Phase phase = Phase.AWAY;
    /** Bumped whenever the client's next event is rescheduled; events of older generations are stale. */
    int generation;
    private int nextXid;

    Ipv4Address offered;
    Ipv4Address address;
    long renewAt;
    long rebindAt;
    long expiresAt;
    /** The last address acknowledged to it, remembered across departures (INIT-REBOOT, affinity). */
    Ipv4Address remembered;
    long sessionEnd;
    long rebootAt = Long.MAX_VALUE;
    boolean returning;

    VirtualClient(int index, long mac, int site, int circuit, boolean sendsClientId, boolean sendsHostName,
                  boolean rebootsOnReturn, boolean asksRapidCommit) {
        this.index = index;
        this.mac = mac;
        this.site = site;
        this.circuit = circuit;
        this.sendsClientId = sendsClientId;
        this.sendsHostName = sendsHostName;
        this.rebootsOnReturn = rebootsOnReturn;
        this.asksRapidCommit = asksRapidCommit;
        this.nextXid = (int) (mac * 0x9E3779B97F4A7C15L >>> 32);
    }

    HardwareAddress hardware() {
        byte[] b = new byte[6];
        for (int i = 0; i < 6; i++) {
            b[i] = (byte) (mac >>> (40 - 8 * i));
        }
        return new HardwareAddress(HardwareAddress.ETHERNET, b);
    }

    /** Option 61 as most clients send it: type 1 (Ethernet) and the MAC (RFC 2132 §9.14). */
    private byte[] clientIdOption(HardwareAddress hardware) {
        if (!sendsClientId) {
            return null;
        }
        byte[] id = new byte[7];
        id[0] = 1;
        System.arraycopy(hardware.bytes(), 0, id, 1, 6);
        return id;
    }

    /** The identity the server keys the client on: option 61 when sent, else htype and chaddr. */
    ClientId clientId() {
        HardwareAddress hw = hardware();
        byte[] option = clientIdOption(hw);
        return option != null ? new ClientId(option) : ClientId.of(hw);
    }

    /**
     * The messages of this client: {@code relay} is what the relay agent of its site adds to a
     * broadcast, {@link ClientMessages.RelayFields#NONE} for a unicast (which no relay sees).
     */
    ClientMessages messages(ClientMessages.RelayFields relay) {
        HardwareAddress hw = hardware();
        return new ClientMessages(hw, clientIdOption(hw), sendsHostName ? "host-" + index : null, relay);
    }

    int newXid() {
        return nextXid++;
    }

    /** The switch port its relay names in option 82's circuit id (RFC 3046 §3.1). */
    int circuit() {
        return circuit;
    }

    byte[] circuitId() {
        return ("port-" + circuit()).getBytes(StandardCharsets.US_ASCII);
    }

    void bind(Ipv4Address leased, long now, long renewAfter, long rebindAfter, long leaseTime) {
        phase = Phase.BOUND;
        offered = null;
        address = leased;
        remembered = leased;
        renewAt = now + renewAfter;
        rebindAt = now + rebindAfter;
        expiresAt = now + leaseTime;
    }

    /** Back to INIT: the address (if any) is given up, still remembered for affinity. */
    void unbind() {
        phase = Phase.INIT;
        offered = null;
        address = null;
    }

    @Override
    public String toString() {
        return "client " + index + " (" + hardware() + ", site " + site + ", " + phase
                + (address != null ? " " + address : "") + ")";
    }
}
