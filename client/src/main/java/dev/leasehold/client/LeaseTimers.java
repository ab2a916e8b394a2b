package dev.leasehold.client;

import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.OptionCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The lease time and the T1 / T2 timers a client uses for a DHCPACK (RFC 2131 §4.4.5), made
 * consistent: "T1 defaults to (0.5 * duration_of_lease). T2 defaults to (0.875 *
 * duration_of_lease)", and the timers only make sense as T1 &lt; T2 &lt; lease. A server's
 * T2 that is missing, zero or not below the lease takes the default; a T1 that is missing, zero
 * or not below T2 takes the default, and when even that is not below the server's T2 both take
 * their defaults. A lease shorter than {@code minimumLease} is used as that long (dhcpcd does
 * the same with its 20 s minimum), so that a server offering 0-second leases cannot keep the
 * client in a BOUND → EXPIRE → DISCOVER loop.
 *
 * @param lease       the lease time in use
 * @param renewAfter  T1
 * @param rebindAfter T2
 * @param repairs     what was wrong with the server's values and what is used instead, for the log
 */
public record LeaseTimers(Duration lease, Duration renewAfter, Duration rebindAfter, List<String> repairs) {

    /** RFC 2131 §3.3: 0xFFFFFFFF is an infinite lease; it is never raised, renewed early or clamped. */
    static final long INFINITE_SECONDS = 0xFFFFFFFFL;

    public LeaseTimers {
        repairs = List.copyOf(repairs);
    }

    /** The timers of {@code ack} (option 51, 58, 59), with a lease of at least {@code minimumLease}. */
    public static LeaseTimers of(DhcpMessage ack, Duration minimumLease) {
        List<String> repairs = new ArrayList<>();
        long offered = ack.requestedLeaseTime().orElse(0);
        Duration lease = Duration.ofSeconds(offered);
        if (offered != INFINITE_SECONDS && lease.compareTo(minimumLease) < 0) {
            repairs.add("lease time " + offered + " s is below the minimum of " + minimumLease.toSeconds() + " s; using "
                    + minimumLease.toSeconds() + " s");
            lease = minimumLease;
        }
        Duration defaultT1 = lease.dividedBy(2);
        Duration defaultT2 = lease.multipliedBy(7).dividedBy(8);
        Long serverT1 = unsigned32(ack, OptionCode.RENEWAL_TIME);
        Long serverT2 = unsigned32(ack, OptionCode.REBINDING_TIME);
        Duration t2 = defaultT2;
        if (serverT2 != null) {
            Duration given = Duration.ofSeconds(serverT2);
            if (serverT2 > 0 && given.compareTo(lease) < 0) {
                t2 = given;
            } else {
                repairs.add("T2 " + serverT2 + " s is not below the lease (" + lease.toSeconds() + " s); using "
                        + seconds(defaultT2) + " (0.875 of the lease, RFC 2131 §4.4.5)");
            }
        }
        Duration t1 = defaultT1;
        if (serverT1 != null) {
            Duration given = Duration.ofSeconds(serverT1);
            if (serverT1 > 0 && given.compareTo(t2) < 0) {
                t1 = given;
            } else {
                repairs.add("T1 " + serverT1 + " s is not below T2 (" + seconds(t2) + "); using " + seconds(defaultT1)
                        + " (half the lease, RFC 2131 §4.4.5)");
            }
        }
        if (!lease.isZero() && t1.compareTo(t2) >= 0) {
            repairs.add("T1 " + seconds(t1) + " s would not come before T2 " + seconds(t2) + " s; using the defaults "
                    + seconds(defaultT1) + " and " + seconds(defaultT2) + " (RFC 2131 §4.4.5)");
            t1 = defaultT1;
            t2 = defaultT2;
        }
        return new LeaseTimers(lease, t1, t2, repairs);
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() / 1000.0 + " s";
    }

    /** A 4-byte option as an unsigned number (seconds, for 51, 58, 59 and 108), or null when absent or malformed. */
    static Long unsigned32(DhcpMessage m, int code) {
        byte[] v = m.options().getUnsafe(code);
        if (v == null || v.length != 4) {
            return null;
        }
        return Integer.toUnsignedLong(((v[0] & 0xFF) << 24) | ((v[1] & 0xFF) << 16) | ((v[2] & 0xFF) << 8) | (v[3] & 0xFF));
    }
}
