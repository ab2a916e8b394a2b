package dev.leasehold.net;

import java.net.InetSocketAddress;

/** A socket address as operators write it, {@code 0.0.0.0:67}: not {@code InetSocketAddress.toString()}'s {@code /0.0.0.0:67}. */
public final class HostPort {

    private HostPort() {
    }

    public static String of(InetSocketAddress address) {
        String host = address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
        return host + ":" + address.getPort();
    }
}
