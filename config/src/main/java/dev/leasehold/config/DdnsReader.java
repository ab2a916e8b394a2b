package dev.leasehold.config;

import dev.leasehold.config.DdnsSettings.ConflictResolution;
import dev.leasehold.config.DdnsSettings.ReplaceClientName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads the dynamic DNS keys: Kea's {@code ddns-*} parameters at the top level and in a subnet,
 * and the top-level {@code dhcp-ddns} section; documented in docs/ddns.md.
 */
final class DdnsReader {

    /** The TSIG algorithms of RFC 8945 §6 that Kea's D2 supports too. */
    static final List<String> ALGORITHMS = List.of("hmac-md5", "hmac-sha1", "hmac-sha224", "hmac-sha256",
            "hmac-sha384", "hmac-sha512");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?");

    private DdnsReader() {
    }

    /** The {@code ddns-*} keys one scope sets; empty fields inherit. */
    record Draft(Optional<Boolean> sendUpdates, Optional<Boolean> overrideNoUpdate,
                 Optional<Boolean> overrideClientUpdate, Optional<ReplaceClientName> replaceClientName,
                 Optional<String> generatedPrefix, Optional<String> qualifyingSuffix, Optional<Boolean> updateOnRenew,
                 Optional<ConflictResolution> conflictResolution, Optional<Duration> ttl,
                 Optional<String> hostnameCharSet, Optional<String> hostnameCharReplacement,
                 Optional<Boolean> forwardUpdates, Optional<Boolean> reverseUpdates) {

        static final Draft NONE = new Draft(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

        /** This scope's keys over {@code outer}'s. */
        Draft over(Draft outer) {
            return new Draft(sendUpdates.or(outer::sendUpdates), overrideNoUpdate.or(outer::overrideNoUpdate),
                    overrideClientUpdate.or(outer::overrideClientUpdate), replaceClientName.or(outer::replaceClientName),
                    generatedPrefix.or(outer::generatedPrefix), qualifyingSuffix.or(outer::qualifyingSuffix),
                    updateOnRenew.or(outer::updateOnRenew), conflictResolution.or(outer::conflictResolution),
                    ttl.or(outer::ttl), hostnameCharSet.or(outer::hostnameCharSet),
                    hostnameCharReplacement.or(outer::hostnameCharReplacement), forwardUpdates.or(outer::forwardUpdates),
                    reverseUpdates.or(outer::reverseUpdates));
        }

        /** The settings in force, Kea's defaults where no scope says otherwise. */
        DdnsSettings resolve(boolean updatesEnabled) {
            DdnsSettings d = DdnsSettings.DEFAULTS;
            return new DdnsSettings(updatesEnabled && sendUpdates.orElse(true),
                    overrideNoUpdate.orElse(d.overrideNoUpdate()), overrideClientUpdate.orElse(d.overrideClientUpdate()),
                    replaceClientName.orElse(d.replaceClientName()), generatedPrefix.orElse(d.generatedPrefix()),
                    qualifyingSuffix.orElse(d.qualifyingSuffix()), updateOnRenew.orElse(d.updateOnRenew()),
                    conflictResolution.orElse(d.conflictResolution()), ttl, hostnameCharSet.orElse(d.hostnameCharSet()),
                    hostnameCharReplacement.orElse(d.hostnameCharReplacement()),
                    forwardUpdates.orElse(d.forwardUpdates()), reverseUpdates.orElse(d.reverseUpdates()));
        }
    }

    /** The {@code ddns-*} keys of one scope (the top level or a subnet). */
    static Draft settings(Fields fields) {
        Optional<String> charSet = fields.optional("hostname-char-set", Scalars.text(DdnsReader::regex));
        return new Draft(
                fields.optional("ddns-send-updates", Scalars.BOOLEAN),
                fields.optional("ddns-override-no-update", Scalars.BOOLEAN),
                fields.optional("ddns-override-client-update", Scalars.BOOLEAN),
                fields.optional("ddns-replace-client-name", Scalars.enumeration(ReplaceClientName.class)),
                fields.optional("ddns-generated-prefix", Scalars.text(DdnsReader::label)),
                fields.optional("ddns-qualifying-suffix", Scalars.text(DdnsReader::suffix)),
                fields.optional("ddns-update-on-renew", Scalars.BOOLEAN),
                fields.optional("ddns-conflict-resolution-mode", Scalars.enumeration(ConflictResolution.class)),
                fields.optional("ddns-ttl", Scalars.DURATION),
                charSet,
                fields.optional("hostname-char-replacement", Scalars.text(DdnsReader::replacement)),
                fields.optional("ddns-forward-updates", Scalars.BOOLEAN),
                fields.optional("ddns-reverse-updates", Scalars.BOOLEAN));
    }

    /** The top-level {@code dhcp-ddns} section. */
    static Optional<DdnsConfig> server(RawNode node, String path, Problems problems) {
        Optional<Fields> maybe = Fields.of(node, path, problems);
        if (maybe.isEmpty()) {
            return Optional.empty();
        }
        Fields fields = maybe.get();
        int before = problems.count();
        boolean enable = fields.optional("enable-updates", Scalars.BOOLEAN).orElse(true);
        List<DdnsConfig.TsigKey> keys = fields.optional("tsig-keys", Scalars.listOf(DdnsReader::key)).orElse(List.of());
        boolean keysRead = problems.count() == before;
        List<DdnsConfig.Domain> forward = fields.optional("forward-ddns", domains(false)).orElse(List.of());
        List<DdnsConfig.Domain> reverse = fields.optional("reverse-ddns", domains(true)).orElse(List.of());
        int queue = fields.optional("max-queue-size", Scalars.integer(1, 1_000_000)).map(Long::intValue)
                .orElse(DdnsConfig.OFF.maxQueueSize());
        Duration timeout = fields.optional("dns-server-timeout", Scalars.DURATION).orElse(DdnsConfig.OFF.serverTimeout());
        fields.rejectUnknown();
        Set<String> keyNames = new HashSet<>();
        for (DdnsConfig.TsigKey k : keys) {
            if (!keyNames.add(k.name())) {
                problems.report(node, ConfigPath.key(path, "tsig-keys"), "the key '" + k.name() + "' is defined twice");
            }
        }
        if (keysRead) { // a key already reported would only be reported again by every domain naming it
            checkKeyNames(node, ConfigPath.key(path, "forward-ddns"), forward, keyNames, problems);
            checkKeyNames(node, ConfigPath.key(path, "reverse-ddns"), reverse, keyNames, problems);
        }
        if (enable && forward.isEmpty() && reverse.isEmpty()) {
            problems.report(node, path, "names no zone: add forward-ddns or reverse-ddns domains, or remove the section");
        }
        if (problems.count() != before) {
            return Optional.empty();
        }
        return Optional.of(new DdnsConfig(enable, keys, forward, reverse, queue, timeout));
    }

    private static void checkKeyNames(RawNode node, String path, List<DdnsConfig.Domain> domains, Set<String> keys,
                                      Problems problems) {
        for (DdnsConfig.Domain d : domains) {
            d.keyName().filter(k -> !keys.contains(k)).ifPresent(k -> problems.report(node, path,
                    "the domain '" + d.name() + "' names the key '" + k + "', which tsig-keys does not define"));
        }
    }

    private static Optional<DdnsConfig.TsigKey> key(RawNode node, String path, Problems problems) {
        Optional<Fields> maybe = Fields.of(node, path, problems);
        if (maybe.isEmpty()) {
            return Optional.empty();
        }
        Fields fields = maybe.get();
        Optional<String> name = fields.required("name", Scalars.text(DdnsReader::absoluteName));
        Optional<String> algorithm = fields.required("algorithm", Scalars.text(DdnsReader::algorithm));
        Optional<Path> secret = fields.required("secret-file", Scalars.text(Path::of));
        fields.rejectUnknown();
        return name.isPresent() && algorithm.isPresent() && secret.isPresent()
                ? Optional.of(new DdnsConfig.TsigKey(name.get(), algorithm.get(), secret.get())) : Optional.empty();
    }

    /** Kea's {@code forward-ddns: {ddns-domains: [...]}} shape. */
    private static ValueReader<List<DdnsConfig.Domain>> domains(boolean reverse) {
        return (node, path, problems) -> {
            Optional<Fields> maybe = Fields.of(node, path, problems);
            if (maybe.isEmpty()) {
                return Optional.empty();
            }
            Fields fields = maybe.get();
            List<DdnsConfig.Domain> list = fields.optional("ddns-domains",
                    Scalars.listOf((n, p, pr) -> domain(n, p, pr, reverse))).orElse(List.of());
            fields.rejectUnknown();
            return Optional.of(list);
        };
    }

    private static Optional<DdnsConfig.Domain> domain(RawNode node, String path, Problems problems, boolean reverse) {
        Optional<Fields> maybe = Fields.of(node, path, problems);
        if (maybe.isEmpty()) {
            return Optional.empty();
        }
        Fields fields = maybe.get();
        int before = problems.count();
        Optional<String> name = fields.required("name", Scalars.text(text -> {
            String n = absoluteName(text);
            if (reverse && !(n.equals("in-addr.arpa") || n.endsWith(".in-addr.arpa"))) {
                throw new IllegalArgumentException("'" + text + "' is not an IPv4 reverse zone (it must end in in-addr.arpa)");
            }
            return n;
        }));
        Optional<String> key = fields.optional("key-name", Scalars.text(DdnsReader::absoluteName));
        List<DdnsConfig.DnsServer> servers = fields.required("dns-servers", Scalars.listOf(DdnsReader::dnsServer))
                .orElse(List.of());
        fields.rejectUnknown();
        if (problems.count() == before && servers.isEmpty()) {
            problems.report(node, ConfigPath.key(path, "dns-servers"), "is empty: name at least one server");
        }
        return problems.count() == before && name.isPresent()
                ? Optional.of(new DdnsConfig.Domain(name.get(), key, servers)) : Optional.empty();
    }

    private static Optional<DdnsConfig.DnsServer> dnsServer(RawNode node, String path, Problems problems) {
        Optional<Fields> maybe = Fields.of(node, path, problems);
        if (maybe.isEmpty()) {
            return Optional.empty();
        }
        Fields fields = maybe.get();
        Optional<dev.leasehold.wire.Ipv4Address> address = fields.required("ip-address", Scalars.ADDRESS);
        int port = fields.optional("port", Scalars.integer(1, 65535)).map(Long::intValue).orElse(53);
        fields.rejectUnknown();
        return address.map(a -> new DdnsConfig.DnsServer(a, port));
    }

    private static String algorithm(String text) {
        String a = text.toLowerCase(Locale.ROOT);
        if (!ALGORITHMS.contains(a)) {
            throw new IllegalArgumentException("'" + text + "' is not a TSIG algorithm; use one of "
                    + String.join(", ", ALGORITHMS));
        }
        return a;
    }

    private static String regex(String text) {
        try {
            Pattern.compile(text);
            return text;
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("'" + text + "' is not a regular expression: " + e.getDescription());
        }
    }

    /** A replacement must itself be valid in a name, or replacing would not make a name valid. */
    private static String replacement(String text) {
        if (!text.isEmpty() && !text.matches("[A-Za-z0-9-]+")) {
            throw new IllegalArgumentException("'" + text + "' may hold only letters, digits and '-'");
        }
        return text;
    }

    private static String label(String text) {
        if (!LABEL.matcher(text).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a DNS label (1-63 letters, digits, '-')");
        }
        return text.toLowerCase(Locale.ROOT);
    }

    /** A suffix may be empty (partial names then stay as they are). */
    private static String suffix(String text) {
        return text.isEmpty() || text.equals(".") ? "" : absoluteName(text);
    }

    /** A domain name without its final dot, in lower case: {@code example.com}. */
    static String absoluteName(String text) {
        String n = text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
        if (n.isEmpty() || n.length() > 253) {
            throw new IllegalArgumentException("'" + text + "' is not a domain name");
        }
        for (String label : n.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                throw new IllegalArgumentException("'" + text + "' is not a domain name: '" + label
                        + "' is not a label (1-63 letters, digits, '-', '_')");
            }
        }
        return n.toLowerCase(Locale.ROOT);
    }
}
