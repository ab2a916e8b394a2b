package dev.leasehold.client.linux;

import dev.leasehold.client.ClientFqdn;
import dev.leasehold.client.ClientSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Everything {@code leasehold client IFACE} was told, for one interface.
 *
 * @param interfaceName  the interface to configure
 * @param clientId       which option 61 to send
 * @param hostname       option 12, or null
 * @param vendorClass    option 60, or null
 * @param fqdn           option 81 (RFC 4702), or null
 * @param settings       the state machine's choices
 * @param arp            the ARP check before binding (RFC 5227); no probes means no announcements either
 * @param leaseFile      where the lease is remembered across restarts; empty for {@link LeaseFile#defaultPath} in
 *                       {@code stateDirectory}
 * @param stateDirectory where lease files go by default ({@code /var/lib/leasehold})
 * @param hook           a dhclient-script style script run on every lease change
 * @param once           exit as soon as a lease is applied
 * @param releaseOnExit  send DHCPRELEASE and remove the address when stopped
 * @param inform         send DHCPINFORM for the address already on the interface, apply the options, exit
 * @param giveUpAfter    how long {@code once} and {@code inform} try before exiting with status 2
 * @param routeMetric    the metric of the interface's routes; empty for 1000 + ifindex (dhcpcd's choice)
 * @param runDirectory   where the control socket goes ({@code /run/leasehold})
 */
public record ClientOptions(String interfaceName, ClientIdChoice clientId, String hostname, String vendorClass,
                            ClientFqdn fqdn, ClientSettings settings, ArpProber arp, Optional<Path> leaseFile, Path stateDirectory,
                            Optional<Path> hook, boolean once, boolean releaseOnExit, boolean inform, Duration giveUpAfter,
                            OptionalInt routeMetric, Path runDirectory) {

    /** The default folder of the control sockets. */
    public static final Path RUN_DIRECTORY = Path.of("/run/leasehold");

    /** Parses a {@code --client-id} value. */
    public static ClientIdChoice clientId(String text) {
        return ClientIdChoice.parse(text);
    }
}
