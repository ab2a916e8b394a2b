package dev.leasehold.client.linux;

import dev.leasehold.client.ClientSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Everything {@code leasehold client IFACE} was told.
 *
 * @param interfaceName  the interface to configure
 * @param clientId       which option 61 to send
 * @param hostname       option 12, or null
 * @param vendorClass    option 60, or null
 * @param settings       the state machine's choices
 * @param arp            the ARP check before binding (RFC 5227)
 * @param leaseFile      where the lease is remembered across restarts
 * @param resolvConf     where to write DNS settings, or empty to leave them to the hook
 * @param hook           a dhclient-script style script run on every lease change
 * @param once           exit as soon as a lease is applied
 * @param releaseOnExit  send DHCPRELEASE and remove the address when stopped
 * @param inform         send DHCPINFORM for the address already on the interface, apply the options, exit
 * @param giveUpAfter    how long {@code once} and {@code inform} try before exiting with status 2
 */
public record ClientOptions(String interfaceName, ClientIdChoice clientId, String hostname, String vendorClass,
                            ClientSettings settings, ArpProber arp, Path leaseFile, Optional<Path> resolvConf,
                            Optional<Path> hook, boolean once, boolean releaseOnExit, boolean inform, Duration giveUpAfter) {

    /** The default lease file of an interface: {@code /var/lib/leasehold/client-IFACE.lease}. */
    public static Path defaultLeaseFile(String interfaceName) {
        return Path.of("/var/lib/leasehold", "client-" + interfaceName + ".lease");
    }

    /** Parses a {@code --client-id} value. */
    public static ClientIdChoice clientId(String text) {
        return ClientIdChoice.parse(text);
    }
}
