package dev.leasehold.net.linux;

import dev.leasehold.wire.InterfaceAddress;

import dev.leasehold.wire.Ipv4Address;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Lists the interfaces and their IPv4 addresses. The JDK's {@link NetworkInterface} reads them
 * from the kernel (getifaddrs and ioctls), which is all we need: the transport calls this at start
 * and on each periodic re-scan, never per packet.
 */
final class InterfaceScanner {

    /** Every interface the kernel knows of in this network namespace. */
    List<InterfaceInfo> scan() throws IOException {
        List<InterfaceInfo> result = new ArrayList<>();
        for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nif.getParent() != null) {
                continue; // "eth0:1" aliases: their addresses also show on the real interface
            }
            describe(nif).ifPresent(result::add);
        }
        return result;
    }

    private static Optional<InterfaceInfo> describe(NetworkInterface nif) {
        try {
            List<InterfaceAddress> addresses = new ArrayList<>();
            for (java.net.InterfaceAddress a : nif.getInterfaceAddresses()) {
                if (a.getAddress() instanceof Inet4Address v4) {
                    // The JDK lists an interface's addresses last-added first (it prepends each
                    // getifaddrs(3) entry); prepend again to get the kernel's order, primary first.
                    addresses.addFirst(new InterfaceAddress(Ipv4Address.of(v4), a.getNetworkPrefixLength()));
                }
            }
            return Optional.of(new InterfaceInfo(nif.getName(), nif.getIndex(), nif.isUp(), nif.isLoopback(), addresses));
        } catch (SocketException vanished) {
            // The interface went away between the listing and the flag query: it is not there.
            return Optional.empty();
        }
    }
}
