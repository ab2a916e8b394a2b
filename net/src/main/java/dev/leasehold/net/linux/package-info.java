/**
 * The Linux layer of the transport (DESIGN §2, §3): what a DHCP server serving directly attached
 * clients needs and the JDK does not offer, through the FFM API ({@code java.lang.foreign}).
 *
 * <ul>
 * <li>{@link dev.leasehold.net.linux.LinuxTransport}: one UDP socket per interface
 *     (SO_BINDTODEVICE, SO_BROADCAST, IP_PKTINFO) on port 67; every datagram carries its arrival
 *     interface, our address there and whether it was a broadcast; replies leave by the right
 *     interface, including link-layer unicasts to address-less clients (RFC 2131 §4.1) through
 *     AF_PACKET. {@link dev.leasehold.net.linux.LinuxTransport#addressesOf} gives an interface's
 *     addresses and prefixes, from which the server picks the subnet.</li>
 * <li>{@link dev.leasehold.net.linux.IcmpProber}: the optional ping check before an offer
 *     (RFC 2131 §3.1, step 2).</li>
 * </ul>
 *
 * <p>Running it: the JVM needs {@code --enable-native-access=ALL-UNNAMED} (or the module's name)
 * so that the restricted FFM calls run without a warning; the process needs CAP_NET_BIND_SERVICE
 * (port 67) and CAP_NET_RAW (AF_PACKET, and a raw ICMP socket when ping sockets are not allowed),
 * e.g. {@code AmbientCapabilities=CAP_NET_BIND_SERVICE CAP_NET_RAW} in a systemd unit. Without
 * CAP_NET_RAW the transport still serves, broadcasting the replies it would have unicast at the
 * link layer.
 */
package dev.leasehold.net.linux;
