package dev.leasehold.net.linux;

import dev.leasehold.net.BindAdvice;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Turns an {@code errno} into a message an operator can act on: the failed step, the C library's
 * own text (strerror(3)), the symbolic name, and for the failures a DHCP server meets at start the
 * fix (which capability to grant, what else holds the port).
 */
final class Errno {

    /** What to do when binding port 67 is refused (ports below 1024 are privileged, capabilities(7)). */
    static final String FIX_BIND_PERMISSION = BindAdvice.PRIVILEGED_PORT;
    /** What to do when the port is taken by a socket on the same interface or on every interface. */
    static final String FIX_PORT_IN_USE = BindAdvice.PORT_IN_USE;
    /** What to do when SO_BINDTODEVICE or an AF_PACKET socket is refused. */
    static final String FIX_RAW_PERMISSION = "needs CAP_NET_RAW: run as root, or grant it "
            + "(systemd: AmbientCapabilities=CAP_NET_BIND_SERVICE CAP_NET_RAW; "
            + "or setcap cap_net_bind_service,cap_net_raw+ep on the java binary)";

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(1, "EPERM"), Map.entry(2, "ENOENT"), Map.entry(4, "EINTR"), Map.entry(6, "ENXIO"),
            Map.entry(9, "EBADF"), Map.entry(11, "EAGAIN"), Map.entry(12, "ENOMEM"), Map.entry(13, "EACCES"),
            Map.entry(19, "ENODEV"), Map.entry(22, "EINVAL"), Map.entry(24, "EMFILE"), Map.entry(90, "EMSGSIZE"),
            Map.entry(92, "ENOPROTOOPT"), Map.entry(93, "EPROTONOSUPPORT"), Map.entry(97, "EAFNOSUPPORT"),
            Map.entry(98, "EADDRINUSE"), Map.entry(99, "EADDRNOTAVAIL"), Map.entry(100, "ENETDOWN"),
            Map.entry(101, "ENETUNREACH"), Map.entry(105, "ENOBUFS"), Map.entry(111, "ECONNREFUSED"),
            Map.entry(113, "EHOSTUNREACH"));

    private Errno() {
    }

    /** "EADDRINUSE", or "errno N" for a value not listed here. */
    static String name(int errno) {
        return NAMES.getOrDefault(errno, "errno " + errno);
    }

    /** strerror(3) text with the symbolic name: "Address already in use (EADDRINUSE)". */
    static String describe(int errno) {
        return Libc.strerror(errno) + " (" + name(errno) + ")";
    }

    /** "{@code step}: {@code describe(errno)}". */
    static ErrnoException failure(String step, int errno) {
        return new ErrnoException(step + ": " + describe(errno), errno);
    }

    /** "{@code step}: {@code describe(errno)}; {@code fix}". */
    static ErrnoException failure(String step, int errno, String fix) {
        return new ErrnoException(step + ": " + describe(errno) + "; " + fix, errno);
    }

    /** The fix for a failed bind(2) of the DHCP port, or none. */
    static String bindFix(int errno) {
        return switch (errno) {
            case Libc.EACCES, Libc.EPERM -> FIX_BIND_PERMISSION;
            case Libc.EADDRINUSE -> FIX_PORT_IN_USE;
            default -> "";
        };
    }

    /** The failure of a step whose fix depends on the errno; {@code fixes} maps the errno to advice or "". */
    static ErrnoException failure(String step, int errno, IntFunction<String> fixes) {
        String fix = fixes.apply(errno);
        return fix.isEmpty() ? failure(step, errno) : failure(step, errno, fix);
    }

    /** The fix for a refused SO_BINDTODEVICE or packet socket. */
    static String rawFix(int errno) {
        return errno == Libc.EPERM || errno == Libc.EACCES ? FIX_RAW_PERMISSION : "";
    }
}
