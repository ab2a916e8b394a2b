package dev.leasehold.testkit.netns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * ISC Kea's DHCPv4 server (Debian package kea-dhcp4-server): a generated config, a memfile lease
 * file in the lab's work directory, and raw sockets bound to the given interfaces only, so it
 * answers nothing outside the lab.
 */
public record KeaDhcp4() implements ReferenceServer {

    /** Kea prints this once its sockets are open; before that a DISCOVER would go unanswered. */
    public static final String STARTED = "DHCP4_STARTED";

    @Override
    public String binary() {
        return "kea-dhcp4";
    }

    @Override
    public String ackLogMarker() {
        return "DHCP4_LEASE_ALLOC";
    }

    @Override
    public String releaseLogMarker() {
        return "DHCP4_RELEASE";
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
    @Override
    public LabProcess start(NetnsLab lab, String namespace, ServerSettings settings) {
        Path configFile = lab.workDir().resolve("kea-dhcp4.json");
        try {
            Files.writeString(configFile, config(settings, leaseFile(lab)));
        } catch (IOException e) {
            throw new LabException("cannot write " + configFile, e);
        }
        String dir = lab.workDir().toString();
        LabProcess kea = lab.start("kea-dhcp4", namespace, List.of("kea-dhcp4", "-c", configFile.toString()),
                Map.of("KEA_PIDFILE_DIR", dir, "KEA_LOCKFILE_DIR", dir));
        kea.awaitOutput(STARTED, Duration.ofSeconds(15));
        return kea;
    }

    static String config(ServerSettings settings, Path leaseFile) {
        List<LabSubnet> subnets = settings.subnets();
        String subnetJson = java.util.stream.IntStream.range(0, subnets.size()).mapToObj(i -> """
                      { "id": %d, "subnet": "%s",
                        "pools": [ { "pool": "%s - %s" } ],
                        "option-data": [ { "name": "routers", "data": "%s" } ] }"""
                .formatted(i + 1, subnets.get(i).prefix(), subnets.get(i).poolFirst(), subnets.get(i).poolLast(),
                        subnets.get(i).router()))
                .collect(Collectors.joining(",\n"));
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
                settings.interfaces().stream().map(i -> '"' + i + '"').collect(Collectors.joining(", ")),
                leaseFile, settings.validLifetime(), settings.renewTimer(), settings.rebindTimer(),
                String.join(", ", settings.dnsServers()), settings.domainName(), subnetJson);
    }

    @Override
    public String toString() {
        return binary();
    }
}
