package dev.leasehold.testkit.netns;

import java.time.Duration;
import java.util.List;

/**
 * BusyBox udhcpc (Debian udhcpc). {@code -f} keeps it in the foreground; {@code -R} makes it send
 * DHCPRELEASE when it ends, so release is a SIGTERM. (With {@code -q} it would exit before BOUND
 * and release nothing.) Its default script configures the address, default route and resolv.conf.
 */
public record Udhcpc() implements RealClient {

    @Override
    public String binary() {
        return "udhcpc";
    }

    @Override
    public LabProcess start(NetnsLab lab, LabNode node) {
        return lab.start("udhcpc-" + node.interfaceName(), node.namespace(), List.of(
                "udhcpc", "-f", "-R", "-t", "5", "-T", "2", "-A", "3",
                "-p", lab.workDir().resolve("udhcpc-" + node.interfaceName() + ".pid").toString(),
                "-i", node.interfaceName()));
    }

    @Override
    public void release(NetnsLab lab, LabNode node, LabProcess running, Duration timeout) {
        running.signal("TERM");
        running.awaitExit(timeout);
    }

    @Override
    public String toString() {
        return binary();
    }
}
