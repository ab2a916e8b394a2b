package dev.leasehold.config;

import dev.leasehold.config.RawNode.Entry;
import dev.leasehold.wire.Ipv4Address;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads one entry of a subnet's {@code pools}: {@code {range: 10.0.0.100-10.0.0.199}} or
 * {@code {start: 10.0.0.100, end: 10.0.0.199}}, with an optional {@code client-classes} list.
 * Only the pool itself is checked here; {@link SubnetReader} checks it against its neighbours.
 */
final class PoolReader {

    /** A read pool with the nodes its first and last address came from, to blame the right one. */
    record Draft(PoolConfig pool, Located<Ipv4Address> start, Located<Ipv4Address> end, String path) {
        boolean sameNode() {
            return start.node() == end.node();
        }
    }

    private final Set<String> classNames;

    PoolReader(Set<String> classNames) {
        this.classNames = classNames;
    }

    Optional<Draft> read(RawNode node, String path, Problems problems) {
        Optional<Fields> maybe = Fields.of(node, path, problems);
        if (maybe.isEmpty()) {
            return Optional.empty();
        }
        Fields fields = maybe.get();
        Optional<Located<Ipv4Address>> start = Optional.empty();
        Optional<Located<Ipv4Address>> end = Optional.empty();
        boolean hasRange = fields.has("range");
        boolean hasStartEnd = fields.has("start") || fields.has("end");
        if (hasRange && hasStartEnd) {
            problems.report(node, path, "give either range or start and end, not both");
        } else if (hasRange) {
            Entry entry = fields.entry("range").orElseThrow();
            String rangePath = fields.path("range");
            Optional<AddressRange> range = Scalars.RANGE.read(entry.value(), rangePath, problems);
            start = range.map(r -> new Located<>(r.first(), entry.value(), rangePath));
            end = range.map(r -> new Located<>(r.last(), entry.value(), rangePath));
        } else if (hasStartEnd) {
            start = located(fields, "start");
            end = located(fields, "end");
            if (start.isPresent() && end.isPresent() && start.get().value().compareTo(end.get().value()) > 0) {
                problems.report(end.get().node(), end.get().path(), "the pool ends at " + end.get().value()
                        + ", before its start " + start.get().value());
            }
        } else {
            problems.report(node, fields.path("range"), "required, but missing (or give start and end)");
        }
        List<Located<String>> classes = fields.optional("client-classes", Scalars.locatedList(Scalars.NAME_TEXT))
                .orElse(List.of());
        Set<String> seen = new HashSet<>();
        for (Located<String> name : classes) {
            if (!classNames.contains(name.value())) {
                problems.report(name.node(), name.path(), "no client class named '" + name.value()
                        + "' is defined in client-classes" + Suggestions.nearest(name.value(), classNames)
                        .map(n -> " (did you mean '" + n + "'?)").orElse(""));
            } else if (!seen.add(name.value())) {
                problems.report(name.node(), name.path(), "'" + name.value() + "' is listed twice");
            }
        }
        fields.rejectUnknown();
        // Even a pool with a bad class name goes on to the checks against its neighbours; the
        // configuration as a whole is refused anyway when anything was reported.
        if (start.isEmpty() || end.isEmpty() || start.get().value().compareTo(end.get().value()) > 0) {
            return Optional.empty();
        }
        PoolConfig pool = new PoolConfig(new AddressRange(start.get().value(), end.get().value()),
                classes.stream().map(Located::value).toList());
        return Optional.of(new Draft(pool, start.get(), end.get(), path));
    }

    private static Optional<Located<Ipv4Address>> located(Fields fields, String key) {
        return fields.required(key, Scalars.ADDRESS).map(a -> new Located<>(a, fields.entry(key).orElseThrow().value(),
                fields.path(key)));
    }
}
