package dev.leasehold.client;

/**
 * The states of a DHCP client (RFC 2131 §4.4, figure 5), plus CHECKING for the ARP probe between
 * DHCPACK and BOUND (RFC 2131 §4.4.1, RFC 5227 §2.1), INFORMING for a DHCPINFORM exchange
 * (§4.4.3) and STOPPED once the client has finished.
 */
public enum ClientState {
    /** No lease; waiting to send a DHCPDISCOVER (after a DHCPNAK or DHCPDECLINE, the wait comes first). */
    INIT,
    /** DHCPDISCOVER sent; collecting offers. */
    SELECTING,
    /** DHCPREQUEST for the chosen offer sent; waiting for DHCPACK or DHCPNAK. */
    REQUESTING,
    /** DHCPACK received; probing the address with ARP before using it. */
    CHECKING,
    /** The lease is in use; waiting for T1. */
    BOUND,
    /** Past T1: renewing by unicast to the server that granted the lease. */
    RENEWING,
    /** Past T2: rebinding by broadcast to any server. */
    REBINDING,
    /** Starting with a remembered lease; about to confirm it. */
    INIT_REBOOT,
    /** DHCPREQUEST for the remembered address broadcast; waiting for DHCPACK or DHCPNAK. */
    REBOOTING,
    /** DHCPINFORM sent for a statically configured address. */
    INFORMING,
    /** Done: released, informed, or stopped. */
    STOPPED;

    /** Whether the client holds an address it may use in this state. */
    public boolean holdsLease() {
        return this == BOUND || this == RENEWING || this == REBINDING;
    }
}
