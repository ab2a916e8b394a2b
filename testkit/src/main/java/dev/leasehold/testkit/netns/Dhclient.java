package dev.leasehold.testkit.netns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * ISC dhclient (Debian isc-dhcp-client). Runs with {@code -d} so that it stays our child, with its
 * lease and pid files in the lab; {@code dhclient -r} with the same pid file signals it, sends
 * DHCPRELEASE and runs dhclient-script with reason RELEASE, which removes the address.
 */
public record Dhclient() implements RealClient {

    @Override
    public String binary() {
        return "dhclient";
    }

    @Override
    public LabProcess start(NetnsLab lab, LabNode node) {
        return lab.start("dhclient-" + node.interfaceName(), node.namespace(), command(lab, node, "-d"));
    }

    /**
     * Starts dhclient with {@code config} as its dhclient.conf ({@code -cf}) instead of the host's
     * /etc/dhcp/dhclient.conf: to steer its choice among offers ({@code reject ADDRESS;}) or what
     * it sends ({@code send dhcp-requested-address ADDRESS;}).
     */
    public LabProcess start(NetnsLab lab, LabNode node, Path config) {
        List<String> command = new java.util.ArrayList<>(command(lab, node, "-d"));
        command.addAll(command.size() - 1, List.of("-cf", config.toString()));
        return lab.start("dhclient-" + node.interfaceName(), node.namespace(), command);
    }

    /**
     * {@code dhclient -r} releases the lease it finds in the lease file, and dhclient writes that
     * file only after dhclient-script has configured the interface: released in between, it finds
     * nothing, sends no DHCPRELEASE and leaves the address. So first wait for the bound address to
     * be on file.
     */
    @Override
    public void release(NetnsLab lab, LabNode node, LabProcess running, Duration timeout) {
        Path leases = leaseFile(lab, node);
        lab.ipv4Addresses(node).stream().findFirst().map(cidr -> cidr.substring(0, cidr.indexOf('/'))).ifPresent(bound ->
                Await.until("dhclient to record its lease of " + bound + " in " + leases, timeout,
                        () -> read(leases).contains("fixed-address " + bound + ";")));
        lab.exec(node.namespace(), timeout, command(lab, node, "-r").toArray(String[]::new)).requireSuccess();
        running.awaitExit(timeout);
    }

    /** The lease file of the dhclient this runner starts on the node. */
    public static Path leaseFile(NetnsLab lab, LabNode node) {
        return lab.workDir().resolve("dhclient-" + node.interfaceName() + ".leases");
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static List<String> command(NetnsLab lab, LabNode node, String mode) {
        return List.of("dhclient", "-4", mode, "-v",
                "-lf", leaseFile(lab, node).toString(),
                "-pf", lab.workDir().resolve("dhclient-" + node.interfaceName() + ".pid").toString(),
                node.interfaceName());
    }

    @Override
    public String toString() {
        return binary();
    }
}
