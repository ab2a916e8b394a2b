package dev.leasehold.testkit.netns;

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

    @Override
    public void release(NetnsLab lab, LabNode node, LabProcess running, Duration timeout) {
        lab.exec(node.namespace(), timeout, command(lab, node, "-r").toArray(String[]::new)).requireSuccess();
        running.awaitExit(timeout);
    }

    private static List<String> command(NetnsLab lab, LabNode node, String mode) {
        Path dir = lab.workDir();
        return List.of("dhclient", "-4", mode, "-v",
                "-lf", dir.resolve("dhclient-" + node.interfaceName() + ".leases").toString(),
                "-pf", dir.resolve("dhclient-" + node.interfaceName() + ".pid").toString(),
                node.interfaceName());
    }

    @Override
    public String toString() {
        return binary();
    }
}
