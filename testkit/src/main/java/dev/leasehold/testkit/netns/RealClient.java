package dev.leasehold.testkit.netns;

import java.time.Duration;
import java.util.List;

/**
 * A DHCPv4 client from Debian run in a lab namespace: it obtains a lease, configures its
 * interface, route and resolv.conf through its own script, stays running to renew, and releases
 * (RFC 2131 §4.4.6) on request. The three differ enough (broadcast flag, client id form, ARP
 * probing, how they are told to release) to catch what a single client would not.
 */
public sealed interface RealClient permits Dhclient, Udhcpc, Dhcpcd {

    /** The executable, for {@link LabRequirements#unmetReason}. */
    String binary();

    /** Starts the client in the foreground on the node's interface. */
    LabProcess start(NetnsLab lab, LabNode node);

    /** Makes the running client send DHCPRELEASE and deconfigure, and waits (bounded) for it to exit. */
    void release(NetnsLab lab, LabNode node, LabProcess running, Duration timeout);

    /** dhclient, udhcpc and dhcpcd. */
    static List<RealClient> all() {
        return List.of(new Dhclient(), new Udhcpc(), new Dhcpcd());
    }
}
