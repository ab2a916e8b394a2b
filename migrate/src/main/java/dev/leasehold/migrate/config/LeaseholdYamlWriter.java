package dev.leasehold.migrate.config;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Writes a {@link DraftConfig} as Leasehold YAML (docs/configuration.md), leaving out the
 * elements in {@code omitted}, and remembers which element it wrote at which configuration path
 * ({@code subnets[0].pools[1]}), so that a problem Leasehold's validation reports at a path can be
 * traced back to the source line.
 *
 * <p>Every option value and every text is written double-quoted, so no value can change meaning
 * through YAML's plain-scalar rules (a host name {@code yes}, a value starting with {@code *}).
 */
final class LeaseholdYamlWriter {

    private final Set<DraftElement> omitted;
    private final StringBuilder out = new StringBuilder();
    private final Map<String, DraftElement> written = new HashMap<>();

    private LeaseholdYamlWriter(Set<DraftElement> omitted) {
        this.omitted = omitted;
    }

    /** The YAML text and the element behind each path it wrote. */
    record Written(String yaml, Map<String, DraftElement> elements) {
    }

    static Written write(DraftConfig config, String header, Set<DraftElement> omitted) {
        LeaseholdYamlWriter writer = new LeaseholdYamlWriter(omitted);
        writer.config(config, header);
        return new Written(writer.out.toString(), Map.copyOf(writer.written));
    }

    private void config(DraftConfig config, String header) {
        header.lines().forEach(l -> out.append("# ").append(l).append('\n'));
        if (!config.interfaces().isEmpty()) {
            line(0, "interfaces: [" + config.interfaces().stream().map(LeaseholdYamlWriter::quote)
                    .collect(Collectors.joining(", ")) + "]");
        }
        if (config.authoritative()) {
            line(0, "authoritative: true");
        }
        timers(0, "", config.timers());
        options(0, "", config.options());
        List<DraftClass> classes = kept(config.classes());
        if (!classes.isEmpty()) {
            line(0, "client-classes:");
            for (int i = 0; i < classes.size(); i++) {
                DraftClass c = classes.get(i);
                String path = "client-classes[" + i + "]";
                written.put(path, c);
                line(1, "- name: " + quote(c.name()));
                line(2, "match: {" + c.match().entrySet().stream()
                        .map(e -> e.getKey() + ": " + quote(e.getValue())).collect(Collectors.joining(", ")) + "}");
                options(2, path + ".", c.options());
            }
        }
        line(0, "subnets:");
        List<DraftSubnet> subnets = kept(config.subnets());
        for (int i = 0; i < subnets.size(); i++) {
            subnet(subnets.get(i), "subnets[" + i + "]");
        }
    }

    private void subnet(DraftSubnet s, String path) {
        written.put(path, s);
        line(1, "- id: " + s.id());
        line(2, "subnet: " + s.prefix());
        s.interfaceName().filter(i -> !omitted.contains(i)).ifPresent(i -> {
            written.put(path + ".interface", i);
            line(2, "interface: " + quote(i.name()));
        });
        List<DraftRelay> relays = kept(s.relays());
        if (!relays.isEmpty()) {
            for (int i = 0; i < relays.size(); i++) {
                written.put(path + ".relay-addresses[" + i + "]", relays.get(i));
            }
            line(2, "relay-addresses: [" + relays.stream().map(r -> r.address().toString())
                    .collect(Collectors.joining(", ")) + "]");
        }
        timers(2, path + ".", s.timers());
        List<DraftPool> pools = kept(s.pools());
        if (!pools.isEmpty()) {
            line(2, "pools:");
            for (int i = 0; i < pools.size(); i++) {
                DraftPool p = pools.get(i);
                written.put(path + ".pools[" + i + "]", p);
                line(3, "- {range: " + p.range().first() + "-" + p.range().last()
                        + (p.classes().isEmpty() ? "" : ", client-classes: [" + p.classes().stream()
                        .map(LeaseholdYamlWriter::quote).collect(Collectors.joining(", ")) + "]") + "}");
            }
        }
        options(2, path + ".", s.options());
        List<DraftReservation> reservations = kept(s.reservations());
        if (!reservations.isEmpty()) {
            line(2, "reservations:");
            for (int i = 0; i < reservations.size(); i++) {
                DraftReservation r = reservations.get(i);
                String at = path + ".reservations[" + i + "]";
                written.put(at, r);
                line(3, r.hardwareAddress().map(hw -> "- hw-address: " + quote(hw.toString()))
                        .orElseGet(() -> "- client-id: " + quote(r.clientId().orElseThrow().toString())));
                line(4, "ip-address: " + r.address());
                if (!r.hostname().isEmpty()) {
                    line(4, "hostname: " + quote(r.hostname()));
                }
                options(4, at + ".", r.options());
            }
        }
    }

    private void timers(int depth, String path, List<DraftTimer> timers) {
        for (DraftTimer t : kept(timers)) {
            written.put(path + t.key(), t);
            line(depth, t.key() + ": " + t.seconds());
        }
    }

    private void options(int depth, String path, List<DraftOption> options) {
        List<DraftOption> kept = kept(options);
        if (kept.isEmpty()) {
            return;
        }
        line(depth, "options:");
        for (DraftOption o : kept) {
            written.put(path + "options." + o.label(), o);
            String value = quote(o.value());
            if (o.siteType().isPresent()) {
                line(depth + 1, quote(o.label()) + ": {code: " + o.code() + ", type: " + typeName(o)
                        + ", value: " + value + (o.alwaysSend() ? ", always-send: true" : "") + "}");
            } else if (o.alwaysSend()) {
                line(depth + 1, o.label() + ": {value: " + value + ", always-send: true}");
            } else {
                line(depth + 1, o.label() + ": " + value);
            }
        }
    }

    private static String typeName(DraftOption o) {
        return o.siteType().orElseThrow().name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private <T extends DraftElement> List<T> kept(List<T> elements) {
        return elements.stream().filter(e -> !omitted.contains(e)).toList();
    }

    private void line(int depth, String text) {
        out.append("  ".repeat(depth)).append(text).append('\n');
    }

    /** A YAML double-quoted scalar: backslash escapes for {@code \ "} and control characters. */
    static String quote(String text) {
        StringBuilder q = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> q.append("\\\\");
                case '"' -> q.append("\\\"");
                case '\n' -> q.append("\\n");
                case '\t' -> q.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        q.append(String.format("\\x%02x", (int) c));
                    } else {
                        q.append(c);
                    }
                }
            }
        }
        return q.append('"').toString();
    }
}
