package dev.leasehold.testkit.netns;

import java.util.Optional;

/**
 * The shape of a lab: one LAN with a server and {@code clients} unaddressed clients, optionally a
 * second LAN with its own clients behind a relay namespace. Addresses come from the TEST-NET
 * ranges of RFC 5737, which route nowhere, so a mistake can never reach a real network.
 *
 * @param clients       clients on the server's LAN (0–99)
 * @param serverAddress the server veth's address and prefix
 * @param relayedLan    the second LAN behind a relay, if any
 */
public record LabSpec(int clients, String serverAddress, Optional<RelayedLan> relayedLan) {

    public static final String SERVER_ADDRESS = "192.0.2.1/24";
    public static final String RELAY_UPSTREAM_ADDRESS = "192.0.2.2/24";
    public static final String RELAY_DOWNSTREAM_ADDRESS = "198.51.100.1/24";

    /**
     * @param upstreamAddress   the relay's address on the server's LAN
     * @param downstreamAddress the relay's address on the relayed LAN, the giaddr of relayed requests
     * @param clients           clients on the relayed LAN (0–99)
     */
    public record RelayedLan(String upstreamAddress, String downstreamAddress, int clients) {
        public RelayedLan {
            checkCount(clients);
        }
    }

    public LabSpec {
        checkCount(clients);
    }

    /** A server on 192.0.2.1/24 and {@code clients} clients on one bridge. */
    public static LabSpec singleLan(int clients) {
        return new LabSpec(clients, SERVER_ADDRESS, Optional.empty());
    }

    /** Adds a second LAN, 198.51.100.0/24, behind a relay at 192.0.2.2 / 198.51.100.1, with its own clients. */
    public LabSpec withRelayedLan(int relayedClients) {
        return new LabSpec(clients, serverAddress,
                Optional.of(new RelayedLan(RELAY_UPSTREAM_ADDRESS, RELAY_DOWNSTREAM_ADDRESS, relayedClients)));
    }

    private static void checkCount(int clients) {
        if (clients < 0 || clients > 99) {
            throw new IllegalArgumentException("clients must be 0..99 (interface names stay within 15 characters): " + clients);
        }
    }
}
