package dev.leasehold.migrate.config;

import java.util.List;

/**
 * A whole Leasehold configuration as imported: what {@link LeaseholdYamlWriter} writes. No
 * {@code data-directory}, {@code listen} or {@code control}: those belong to the new server, not
 * to the one being replaced, and keep their documented defaults.
 *
 * @param interfaces the interfaces served directly; empty for relayed traffic only
 * @param authoritative whether this is the one server of its networks (RFC 2131 §4.3.2 NAKs)
 */
public record DraftConfig(List<String> interfaces, boolean authoritative, List<DraftTimer> timers,
                          List<DraftOption> options, List<DraftClass> classes, List<DraftSubnet> subnets) {
    public DraftConfig {
        interfaces = List.copyOf(interfaces);
        timers = List.copyOf(timers);
        options = List.copyOf(options);
        classes = List.copyOf(classes);
        subnets = List.copyOf(subnets);
    }
}
