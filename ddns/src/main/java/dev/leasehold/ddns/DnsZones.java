package dev.leasehold.ddns;

import dev.leasehold.config.DdnsConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.xbill.DNS.Name;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TextParseException;

/**
 * The zones updates go to, with their servers and keys: a name goes to the configured zone that
 * is its longest suffix (as Kea's D2 matches {@code ddns-domains}), forward and reverse apart.
 */
final class DnsZones {

    /** One zone: its apex, the servers to try in order, the key that signs its updates (null: unsigned). */
    record Zone(Name name, List<InetSocketAddress> servers, TSIG key) {}

    private final List<Zone> forward;
    private final List<Zone> reverse;

    private DnsZones(List<Zone> forward, List<Zone> reverse) {
        this.forward = forward;
        this.reverse = reverse;
    }

    /** Reads every key file the configuration names; a bad key file stops the start. */
    static DnsZones of(DdnsConfig config) throws IOException {
        Map<String, TSIG> keys = new HashMap<>();
        for (DdnsConfig.TsigKey k : config.tsigKeys()) {
            keys.put(k.name(), TsigKeyFile.read(k));
        }
        return new DnsZones(zones(config.forwardDomains(), keys), zones(config.reverseDomains(), keys));
    }

    private static List<Zone> zones(List<DdnsConfig.Domain> domains, Map<String, TSIG> keys) throws IOException {
        List<Zone> out = new ArrayList<>();
        for (DdnsConfig.Domain d : domains) {
            List<InetSocketAddress> servers = d.servers().stream()
                    .map(s -> new InetSocketAddress(s.address().toInetAddress(), s.port())).toList();
            try {
                out.add(new Zone(Name.fromString(d.name() + "."), servers, d.keyName().map(keys::get).orElse(null)));
            } catch (TextParseException e) {
                throw new IOException("'" + d.name() + "' is not a zone name", e);
            }
        }
        return List.copyOf(out);
    }

    Optional<Zone> forwardZoneOf(Name fqdn) {
        return longestSuffix(forward, fqdn);
    }

    Optional<Zone> reverseZoneOf(Name ptr) {
        return longestSuffix(reverse, ptr);
    }

    private static Optional<Zone> longestSuffix(List<Zone> zones, Name name) {
        Zone best = null;
        for (Zone z : zones) {
            if (name.subdomain(z.name()) && (best == null || z.name().labels() > best.name().labels())) {
                best = z;
            }
        }
        return Optional.ofNullable(best);
    }
}
