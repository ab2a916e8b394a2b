package dev.leasehold.testkit.netns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * ISC dhcpd (Debian isc-dhcp-server), in the foreground with config, lease and pid files in the
 * lab. It refuses to start unless some subnet declaration covers each interface it listens on.
 */
public record IscDhcpd() implements ReferenceServer {

    @Override
    public String binary() {
        return "dhcpd";
    }

    @Override
    public String ackLogMarker() {
        return "DHCPACK on";
    }

    @Override
    public String releaseLogMarker() {
        return "DHCPRELEASE of";
    }

    @Override
    public LabProcess start(NetnsLab lab, String namespace, ServerSettings settings) {
        Path config = lab.workDir().resolve("dhcpd.conf");
        Path leases = lab.workDir().resolve("dhcpd.leases");
        try {
            Files.writeString(config, config(settings));
            if (!Files.exists(leases)) {
                Files.createFile(leases); // dhcpd will not create it
            }
        } catch (IOException e) {
            throw new LabException("cannot write dhcpd files in " + lab.workDir(), e);
        }
        List<String> command = new ArrayList<>(List.of("dhcpd", "-4", "-f", "-d",
                "-cf", config.toString(), "-lf", leases.toString(),
                "-pf", lab.workDir().resolve("dhcpd.pid").toString()));
        command.addAll(settings.interfaces());
        LabProcess dhcpd = lab.start("dhcpd", namespace, command);
        dhcpd.awaitOutput("Sending on", Duration.ofSeconds(10));
        return dhcpd;
    }

    static String config(ServerSettings settings) {
        StringBuilder conf = new StringBuilder("""
                authoritative;
                ddns-update-style none;
                default-lease-time %d;
                max-lease-time %d;
                option dhcp-renewal-time %d;
                option dhcp-rebinding-time %d;
                option domain-name-servers %s;
                option domain-name "%s";
                """.formatted(settings.validLifetime(), settings.validLifetime(), settings.renewTimer(),
                settings.rebindTimer(), String.join(", ", settings.dnsServers()), settings.domainName()));
        for (LabSubnet subnet : settings.subnets()) {
            conf.append("""
                    subnet %s netmask %s {
                      range %s %s;
                      option routers %s;
                    }
                    """.formatted(subnet.network(), subnet.netmask(), subnet.poolFirst(), subnet.poolLast(), subnet.router()));
        }
        return conf.toString();
    }

    @Override
    public String toString() {
        return binary();
    }
}
