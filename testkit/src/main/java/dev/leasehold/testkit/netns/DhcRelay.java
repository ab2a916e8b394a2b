package dev.leasehold.testkit.netns;

import java.time.Duration;
import java.util.List;

/**
 * ISC dhcrelay (Debian isc-dhcp-relay) in the lab's relay namespace: listens for clients on the
 * relayed LAN and forwards to the server with giaddr set to its downstream address
 * (RFC 1542 §4.1.1; RFC 3046 option 82 is added with {@code -a}).
 */
public final class DhcRelay {

    private DhcRelay() {
    }

    /**
     * Starts dhcrelay in the foreground and waits (bounded) until it listens. Its pid file lives in
     * the lab, not in /run, so two labs' relays do not fight over one file.
     */
    public static LabProcess start(NetnsLab lab, Relay relay, String serverAddress, String... extraOptions) {
        List<String> command = new java.util.ArrayList<>(List.of("dhcrelay", "-4", "-d",
                "-pf", lab.workDir().resolve("dhcrelay.pid").toString(),
                "-id", relay.downstream().interfaceName(),
                "-iu", relay.upstream().interfaceName()));
        command.addAll(List.of(extraOptions));
        command.add(serverAddress);
        LabProcess process = lab.start("dhcrelay", relay.namespace(), command);
        process.awaitOutput("Sending on", Duration.ofSeconds(10));
        return process;
    }
}
