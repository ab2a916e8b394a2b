package dev.leasehold.client;

import dev.leasehold.wire.Ipv4Address;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * How the client state machine behaves where RFC 2131 leaves a choice.
 *
 * @param offerWindow            how long SELECTING collects offers after the first (§4.4.1); zero takes the first at once
 * @param preference             which offer to take
 * @param refusedServers         servers whose messages are ignored (by option 54)
 * @param requestedAddress       the address to ask for in DHCPDISCOVER (option 50) when none is remembered
 * @param backoff                retransmission delays (§4.1)
 * @param requestRetransmissions retransmissions of a DHCPREQUEST in REQUESTING or REBOOTING before giving
 *                               up and restarting in INIT (4 covers about the minute §3.1 and §3.2 suggest)
 * @param renewRetryMinimum      the shortest wait between retransmissions in RENEWING and REBINDING
 *                               (§4.4.5: half the remaining time, "down to a minimum of 60 seconds")
 * @param declineWait            the wait after a DHCPDECLINE before a new DHCPDISCOVER (§3.1 step 5: at least 10 s)
 * @param nakWait                the wait before a new DHCPDISCOVER after repeated DHCPNAKs (the first restarts
 *                               at once; each further one in a row doubles this, up to the backoff maximum)
 * @param checkAddress           whether to ARP-probe an acknowledged address before using it (RFC 5227)
 * @param minimumLease           a shorter lease is used as this long ({@link LeaseTimers})
 * @param rapidCommit            ask for and accept a DHCPACK to the DHCPDISCOVER (RFC 4039 §4, option 80)
 * @param ipv6OnlyPreferred      the host is IPv6-mostly: ask for option 108 and, when a server sends it, leave
 *                               IPv4 unconfigured for its V6ONLY_WAIT (RFC 8925 §3.2)
 */
public record ClientSettings(Duration offerWindow, OfferPreference preference, Set<Ipv4Address> refusedServers,
                             Optional<Ipv4Address> requestedAddress, RetransmissionBackoff backoff,
                             int requestRetransmissions, Duration renewRetryMinimum, Duration declineWait,
                             Duration nakWait, boolean checkAddress, Duration minimumLease, boolean rapidCommit,
                             boolean ipv6OnlyPreferred) {

    public ClientSettings {
        refusedServers = Set.copyOf(refusedServers);
        if (offerWindow.isNegative() || renewRetryMinimum.isNegative() || declineWait.isNegative() || nakWait.isNegative()
                || minimumLease.isNegative()) {
            throw new IllegalArgumentException("durations must not be negative");
        }
        if (requestRetransmissions < 0) {
            throw new IllegalArgumentException("requestRetransmissions must not be negative");
        }
    }

    /** The shortest lease used by default, as long as the RENEWING retry minimum of RFC 2131 §4.4.5. */
    public static final Duration DEFAULT_MINIMUM_LEASE = Duration.ofSeconds(60);

    /** RFC 2131's values: a 1 s offer window, 4-64 s backoff, 60 s renew minimum, 10 s after a decline, ARP check on, 60 s minimum lease. */
    public static ClientSettings defaults() {
        return new ClientSettings(Duration.ofSeconds(1), OfferPreference.REQUESTED_THEN_LONGEST, Set.of(), Optional.empty(),
                RetransmissionBackoff.RFC_2131, 4, Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofSeconds(4), true,
                DEFAULT_MINIMUM_LEASE, false, false);
    }

    public ClientSettings withOfferWindow(Duration value) {
        return new ClientSettings(value, preference, refusedServers, requestedAddress, backoff, requestRetransmissions,
                renewRetryMinimum, declineWait, nakWait, checkAddress, minimumLease, rapidCommit, ipv6OnlyPreferred);
    }

    public ClientSettings withPreference(OfferPreference value) {
        return new ClientSettings(offerWindow, value, refusedServers, requestedAddress, backoff, requestRetransmissions,
                renewRetryMinimum, declineWait, nakWait, checkAddress, minimumLease, rapidCommit, ipv6OnlyPreferred);
    }

    public ClientSettings withRefusedServers(Set<Ipv4Address> value) {
        return new ClientSettings(offerWindow, preference, value, requestedAddress, backoff, requestRetransmissions,
                renewRetryMinimum, declineWait, nakWait, checkAddress, minimumLease, rapidCommit, ipv6OnlyPreferred);
    }

    public ClientSettings withRequestedAddress(Optional<Ipv4Address> value) {
        return new ClientSettings(offerWindow, preference, refusedServers, value, backoff, requestRetransmissions,
                renewRetryMinimum, declineWait, nakWait, checkAddress, minimumLease, rapidCommit, ipv6OnlyPreferred);
    }

    public ClientSettings withRenewRetryMinimum(Duration value) {
        return new ClientSettings(offerWindow, preference, refusedServers, requestedAddress, backoff, requestRetransmissions, value, declineWait, nakWait, checkAddress, minimumLease, rapidCommit, ipv6OnlyPreferred);
    }

    public ClientSettings withDeclineWait(Duration value) {
        return new ClientSettings(offerWindow, preference, refusedServers, requestedAddress, backoff, requestRetransmissions,
                renewRetryMinimum, value, nakWait, checkAddress, minimumLease, rapidCommit, ipv6OnlyPreferred);
    }

    public ClientSettings withCheckAddress(boolean value) {
        return new ClientSettings(offerWindow, preference, refusedServers, requestedAddress, backoff, requestRetransmissions,
                renewRetryMinimum, declineWait, nakWait, value, minimumLease, rapidCommit, ipv6OnlyPreferred);
    }

    public ClientSettings withMinimumLease(Duration value) {
        return new ClientSettings(offerWindow, preference, refusedServers, requestedAddress, backoff, requestRetransmissions,
                renewRetryMinimum, declineWait, nakWait, checkAddress, value, rapidCommit, ipv6OnlyPreferred);
    }

    public ClientSettings withRapidCommit(boolean value) {
        return new ClientSettings(offerWindow, preference, refusedServers, requestedAddress, backoff, requestRetransmissions,
                renewRetryMinimum, declineWait, nakWait, checkAddress, minimumLease, value, ipv6OnlyPreferred);
    }

    public ClientSettings withIpv6OnlyPreferred(boolean value) {
        return new ClientSettings(offerWindow, preference, refusedServers, requestedAddress, backoff, requestRetransmissions,
                renewRetryMinimum, declineWait, nakWait, checkAddress, minimumLease, rapidCommit, value);
    }
}
