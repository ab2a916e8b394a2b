package dev.leasehold.testkit.netns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * dhcpcd (Debian dhcpcd-base), IPv4 only and in the foreground ({@code -B}). It ARP-probes an
 * offered address for about 5 s before binding (RFC 5227), so allow for that. Its config is
 * Debian's default minus the hooks that would change the host (hostname, NTP). It keeps pid, lease
 * and control-socket files named after the interface in /run/dhcpcd and /var/lib/dhcpcd, which is
 * why lab interface names are unique; the lab removes those files. {@code dhcpcd -k} releases.
 */
public record Dhcpcd() implements RealClient {

    private static final String CONFIG = """
            # Debian's /etc/dhcpcd.conf defaults, minus hooks that would touch the host.
            duid
            persistent
            vendorclassid
            option domain_name_servers, domain_name, domain_search
            option classless_static_routes
            option interface_mtu
            option host_name
            option rapid_commit
            require dhcp_server_identifier
            nohook hostname, ntp-common.conf, chrony.conf, timesyncd.conf, openntpd.conf
            """;

    @Override
    public String binary() {
        return "dhcpcd";
    }

    @Override
    public LabProcess start(NetnsLab lab, LabNode node) {
        return lab.start("dhcpcd-" + node.interfaceName(), node.namespace(),
                List.of("dhcpcd", "-4", "-B", "-f", config(lab).toString(), node.interfaceName()));
    }

    @Override
    public void release(NetnsLab lab, LabNode node, LabProcess running, Duration timeout) {
        String[] release = {"dhcpcd", "-4", "-k", "-f", config(lab).toString(), node.interfaceName()};
        CommandResult first = lab.exec(node.namespace(), timeout, release);
        // Right after binding, `dhcpcd -k` now and then reports "failed to exit"; one retry.
        if (!first.succeeded() && running.isAlive()) {
            Await.sleep(Duration.ofSeconds(1));
            lab.exec(node.namespace(), timeout, release).requireSuccess();
        }
        running.awaitExit(timeout);
    }

    /** The config file, written once per lab. */
    static Path config(NetnsLab lab) {
        Path file = lab.workDir().resolve("dhcpcd.conf");
        try {
            if (!Files.exists(file)) {
                Files.writeString(file, CONFIG);
            }
            return file;
        } catch (IOException e) {
            throw new LabException("cannot write " + file, e);
        }
    }

    @Override
    public String toString() {
        return binary();
    }
}
