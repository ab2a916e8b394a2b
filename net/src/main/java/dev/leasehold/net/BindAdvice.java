package dev.leasehold.net;

import java.io.IOException;
import java.util.Locale;

/**
 * What an operator can do when binding the DHCP port fails, for every transport: ports below 1024
 * are privileged (capabilities(7): CAP_NET_BIND_SERVICE), and a port is held by one server per
 * address.
 */
public final class BindAdvice {

    /** When binding port 67 is refused. */
    public static final String PRIVILEGED_PORT = "binding a port below 1024 needs CAP_NET_BIND_SERVICE: run as root, "
            + "or grant it (systemd: AmbientCapabilities=CAP_NET_BIND_SERVICE CAP_NET_RAW; "
            + "or setcap cap_net_bind_service,cap_net_raw+ep on the java binary)";
    /** When the port is taken by another socket. */
    public static final String PORT_IN_USE = "another DHCP server or relay (dnsmasq, dhcpd, kea-dhcp4, dhcrelay) "
            + "is bound to this port on this interface or on all interfaces; stop it (`ss -ulpn` shows which process holds it) "
            + "or let it serve other interfaces only";

    private BindAdvice() {
    }

    /**
     * The advice for a failed bind of {@code port}, as {@code "; advice"}, or "" when there is none.
     * The JDK reports the errno only as strerror(3) text in the message.
     */
    public static String forFailure(IOException failure, int port) {
        String message = String.valueOf(failure.getMessage()).toLowerCase(Locale.ROOT);
        if (port < 1024 && (message.contains("permission denied") || message.contains("operation not permitted"))) {
            return "; " + PRIVILEGED_PORT;
        }
        if (message.contains("address already in use")) {
            return "; " + PORT_IN_USE;
        }
        return "";
    }
}
