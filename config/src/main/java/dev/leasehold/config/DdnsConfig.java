package dev.leasehold.config;

import dev.leasehold.wire.Ipv4Address;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where dynamic DNS updates (RFC 2136) go and how they are signed (TSIG, RFC 8945): the
 * top-level {@code dhcp-ddns} section, after Kea's {@code dhcp-ddns} and its D2 server's
 * {@code forward-ddns}, {@code reverse-ddns} and {@code tsig-keys}. Absent: no updates.
 *
 * @param enableUpdates Kea {@code enable-updates}; true unless the section says false
 * @param tsigKeys the keys domains may name
 * @param forwardDomains zones for A and DHCID records; a name goes to the longest matching zone
 * @param reverseDomains {@code in-addr.arpa} zones for PTR records, matched the same way
 * @param maxQueueSize Kea {@code max-queue-size}: lease changes waiting for the updater
 * @param serverTimeout Kea D2 {@code dns-server-timeout}: how long one update waits for its answer
 */
public record DdnsConfig(boolean enableUpdates, List<TsigKey> tsigKeys, List<Domain> forwardDomains,
                         List<Domain> reverseDomains, int maxQueueSize, Duration serverTimeout) {

    /** No {@code dhcp-ddns} section: nothing is sent. */
    public static final DdnsConfig OFF = new DdnsConfig(false, List.of(), List.of(), List.of(), 1024,
            Duration.ofMillis(500));

    public DdnsConfig {
        tsigKeys = List.copyOf(tsigKeys);
        forwardDomains = List.copyOf(forwardDomains);
        reverseDomains = List.copyOf(reverseDomains);
        Objects.requireNonNull(serverTimeout, "serverTimeout");
    }

    /** A TSIG key (RFC 8945) whose base64 secret lies in a file only the server may read. */
    public record TsigKey(String name, String algorithm, Path secretFile) {}

    /** A zone the server updates: its name, the key that signs its updates, its primary servers. */
    public record Domain(String name, Optional<String> keyName, List<DnsServer> servers) {
        public Domain {
            servers = List.copyOf(servers);
        }
    }

    /** A DNS server that accepts updates. */
    public record DnsServer(Ipv4Address address, int port) {}
}
