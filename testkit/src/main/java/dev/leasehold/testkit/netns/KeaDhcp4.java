package dev.leasehold.testkit.netns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * ISC Kea's DHCPv4 server (Debian package kea-dhcp4-server) as the reference server in a lab:
 * a generated config, a memfile lease file in the lab's work directory, and raw sockets bound to
 * the given interfaces only, so it answers nothing outside the lab.
 */
public final class KeaDhcp4 {

    /** Kea prints this once its sockets are open; before that a DISCOVER would go unanswered. */
    public static final String STARTED = "DHCP4_STARTED";

    /**
     * One subnet of the generated config.
     *
     * @param prefix    "192.0.2.0/24"
     * @param poolFirst first address of the dynamic pool
     * @param poolLast  last address of the dynamic pool
     * @param router    option 3 (RFC 2132 §3.5) for this subnet
     */
    public record Subnet(String prefix, String poolFirst, String poolLast, String router) {
    }

    /**
     * @param interfaces    interfaces Kea listens on (in its namespace)
     * @param subnets       subnets with one pool each; Kea picks one by the arrival interface or giaddr
     * @param dnsServers    option 6 (RFC 2132 §3.8)
     * @param domainName    option 15 (RFC 2132 §3.17)
     * @param validLifetime option 51, seconds
     * @param renewTimer    T1, option 58 (RFC 2132 §9.11)
     * @param rebindTimer   T2, option 59 (RFC 2132 §9.12)
     */
    public record Config(List<String> interfaces, List<Subnet> subnets, List<String> dnsServers, String domainName,
                         int validLifetime, int renewTimer, int rebindTimer) {

        public Config {
            interfaces = List.copyOf(interfaces);
            subnets = List.copyOf(subnets);
            dnsServers = List.copyOf(dnsServers);
        }

        /** Kea on the lab's server veth serving 192.0.2.100–199, router 192.0.2.1, DNS 192.0.2.53 and .54, lease 600 s. */
        public static Config forLab(NetnsLab lab) {
            return new Config(List.of(lab.server().interfaceName()),
                    List.of(new Subnet("192.0.2.0/24", "192.0.2.100", "192.0.2.199", "192.0.2.1")),
                    List.of("192.0.2.53", "192.0.2.54"), "lab.example", 600, 300, 525);
        }

        /** This config plus a subnet for the relayed LAN (198.51.100.100–199, router 198.51.100.1). */
        public Config withRelayedSubnet() {
            List<Subnet> more = new java.util.ArrayList<>(subnets);
            more.add(new Subnet("198.51.100.0/24", "198.51.100.100", "198.51.100.199", "198.51.100.1"));
            return new Config(interfaces, more, dnsServers, domainName, validLifetime, renewTimer, rebindTimer);
        }

        public Config withLifetimes(int valid, int renew, int rebind) {
            return new Config(interfaces, subnets, dnsServers, domainName, valid, renew, rebind);
        }

        String toJson(Path leaseFile) {
            StringBuilder subnetJson = new StringBuilder();
            for (int i = 0; i < subnets.size(); i++) {
                Subnet s = subnets.get(i);
                subnetJson.append(i == 0 ? "" : ",\n").append("""
                              { "id": %d, "subnet": "%s",
                                "pools": [ { "pool": "%s - %s" } ],
                                "option-data": [ { "name": "routers", "data": "%s" } ] }"""
                        .formatted(i + 1, s.prefix(), s.poolFirst(), s.poolLast(), s.router()));
            }
            return """
                    { "Dhcp4": {
                        "interfaces-config": { "interfaces": [ %s ] },
                        "lease-database": { "type": "memfile", "persist": true, "name": "%s", "lfc-interval": 0 },
                        "valid-lifetime": %d, "renew-timer": %d, "rebind-timer": %d,
                        "option-data": [
                          { "name": "domain-name-servers", "data": "%s" },
                          { "name": "domain-name", "data": "%s" } ],
                        "subnet4": [
                    %s ],
                        "loggers": [ { "name": "kea-dhcp4", "severity": "INFO", "output_options": [ { "output": "stdout" } ] } ]
                    } }
                    """.formatted(
                    interfaces.stream().map(i -> '"' + i + '"').collect(Collectors.joining(", ")),
                    leaseFile, validLifetime, renewTimer, rebindTimer,
                    String.join(", ", dnsServers), domainName, subnetJson);
        }
    }

    private KeaDhcp4() {
    }

    /** The memfile lease file of the Kea that {@link #start} runs in this lab. */
    public static Path leaseFile(NetnsLab lab) {
        return lab.workDir().resolve("kea-leases4.csv");
    }

    /**
     * Writes the config, starts kea-dhcp4 in {@code namespace} and waits (bounded) until it serves.
     * Kea names its pid file after the config file; a pid directory inside the lab keeps two labs'
     * Keas from refusing to start because "another instance is running".
     */
    public static LabProcess start(NetnsLab lab, String namespace, Config config) {
        Path configFile = lab.workDir().resolve("kea-dhcp4.json");
        try {
            Files.writeString(configFile, config.toJson(leaseFile(lab)));
        } catch (IOException e) {
            throw new LabException("cannot write " + configFile, e);
        }
        String dir = lab.workDir().toString();
        LabProcess kea = lab.start("kea-dhcp4", namespace, List.of("kea-dhcp4", "-c", configFile.toString()),
                Map.of("KEA_PIDFILE_DIR", dir, "KEA_LOCKFILE_DIR", dir, "KEA_LOGGER_DESTINATION", "stdout"));
        kea.awaitOutput(STARTED, Duration.ofSeconds(15));
        return kea;
    }
}
