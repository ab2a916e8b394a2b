package dev.leasehold.net.linux;

import dev.leasehold.wire.InterfaceAddress;

import java.util.List;

/**
 * How the transport stands with one configured interface, for logs, the control API and tests.
 *
 * @param name      the interface name
 * @param state     whether it is being served, and if not why
 * @param index     its kernel index while it exists, else 0
 * @param addresses our IPv4 addresses on it at the last scan
 * @param detail    what is wrong and what to do, or "" when it is served normally
 */
public record InterfaceStatus(String name, State state, int index, List<InterfaceAddress> addresses, String detail) {

    public InterfaceStatus {
        addresses = List.copyOf(addresses);
    }

    public enum State {
        /** A socket is open and read; {@code detail} may still warn (down, no IPv4 address). */
        SERVING,
        /** No interface of that name exists yet; re-checked on every scan. */
        MISSING,
        /** The interface exists but its socket could not be opened; re-tried on every scan. */
        FAILED
    }

    /** For log lines: {@code eth1 (serving 192.0.2.1/24)}, {@code eth2 (missing)}; the detail is logged on its own. */
    @Override
    public String toString() {
        String how = state.name().toLowerCase(java.util.Locale.ROOT);
        return addresses.isEmpty() ? name + " (" + how + ")"
                : name + " (" + how + " " + String.join(", ", addresses.stream().map(InterfaceAddress::toString).toList()) + ")";
    }
}
