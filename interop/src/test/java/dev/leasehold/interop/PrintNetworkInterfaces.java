package dev.leasehold.interop;

import java.net.NetworkInterface;
import java.net.SocketException;

/** Child-JVM main for {@link JavaInNamespaceTest}: prints the interfaces this JVM can see, one per line. */
public final class PrintNetworkInterfaces {

    private PrintNetworkInterfaces() {
    }

    public static void main(String[] args) throws SocketException {
        NetworkInterface.networkInterfaces().forEach(i -> System.out.println("interface " + i.getName()));
    }
}
