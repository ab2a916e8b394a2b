package dev.leasehold.testkit.netns;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * dnsmasq (Debian dnsmasq) as a DHCP-only server: DNS off ({@code --port=0}), no system config
 * file, bound to the lab interfaces, lease and pid files in the lab. It raises any lease time
 * below 120 s to 120 s, so renewal tests against it take minutes, not seconds.
 */
public record Dnsmasq() implements ReferenceServer {

    @Override
    public String binary() {
        return "dnsmasq";
    }

    @Override
    public String ackLogMarker() {
        return "DHCPACK(";
    }

    @Override
    public String releaseLogMarker() {
        return "DHCPRELEASE(";
    }

    @Override
    public LabProcess start(NetnsLab lab, String namespace, ServerSettings settings) {
        List<String> command = new ArrayList<>(List.of("dnsmasq", "--keep-in-foreground", "--log-facility=-",
                "--conf-file=/dev/null", "--port=0", "--bind-interfaces", "--log-dhcp", "--user=root", "--group=root",
                "--dhcp-authoritative",
                "--dhcp-leasefile=" + lab.workDir().resolve("dnsmasq.leases"),
                "--pid-file=" + lab.workDir().resolve("dnsmasq.pid")));
        for (String iface : settings.interfaces()) {
            command.add("--interface=" + iface);
        }
        int tag = 0;
        for (LabSubnet subnet : settings.subnets()) {
            String t = "s" + tag++;
            command.add("--dhcp-range=set:%s,%s,%s,%s,%d".formatted(t, subnet.poolFirst(), subnet.poolLast(),
                    subnet.netmask(), settings.validLifetime()));
            command.add("--dhcp-option=tag:%s,option:router,%s".formatted(t, subnet.router()));
        }
        command.add("--dhcp-option=option:dns-server," + String.join(",", settings.dnsServers()));
        command.add("--dhcp-option=option:domain-name," + settings.domainName());
        command.add("--dhcp-option=option:T1," + settings.renewTimer());
        command.add("--dhcp-option=option:T2," + settings.rebindTimer());
        LabProcess dnsmasq = lab.start("dnsmasq", namespace, command);
        dnsmasq.awaitOutput("DHCP, IP range", Duration.ofSeconds(10));
        return dnsmasq;
    }

    @Override
    public String toString() {
        return binary();
    }
}
