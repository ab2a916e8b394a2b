package dev.leasehold.config;

import dev.leasehold.config.RawNode.Entry;
import dev.leasehold.config.RawNode.RawMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The keys of one mapping as they are read. Every key a reader asks for is remembered, so that
 * {@link #rejectUnknown()} can refuse the rest: a misspelt key must not pass silently
 * (DESIGN §4.5), and the message suggests the nearest known key.
 */
final class Fields {

    private final RawMap map;
    private final String path;
    private final Problems problems;
    private final Set<String> known = new HashSet<>();

    private Fields(RawMap map, String path, Problems problems) {
        this.map = map;
        this.path = path;
        this.problems = problems;
    }

    /** The mapping at {@code node}, or empty after reporting that it is something else. */
    static Optional<Fields> of(RawNode node, String path, Problems problems) {
        if (node instanceof RawMap map) {
            return Optional.of(new Fields(map, path, problems));
        }
        problems.report(node, path, "expected a mapping of keys, found " + node.describe());
        return Optional.empty();
    }

    RawMap node() {
        return map;
    }

    String path() {
        return path;
    }

    Problems problems() {
        return problems;
    }

    /** The path of a key of this mapping. */
    String path(String key) {
        return ConfigPath.key(path, key);
    }

    /** The entry for {@code key} when the file sets it; the key becomes known either way. */
    Optional<Entry> entry(String key) {
        known.add(key);
        return Optional.ofNullable(map.entries().get(key));
    }

    boolean has(String key) {
        known.add(key);
        return map.entries().containsKey(key);
    }

    /** The value of an optional key; empty when absent or wrong (then a problem is reported). */
    <T> Optional<T> optional(String key, ValueReader<T> reader) {
        return entry(key).flatMap(e -> reader.read(e.value(), path(key), problems));
    }

    /** The value of a required key; a missing key is reported on the mapping's first line. */
    <T> Optional<T> required(String key, ValueReader<T> reader) {
        Optional<Entry> entry = entry(key);
        if (entry.isEmpty()) {
            problems.report(map, path(key), "required, but missing");
            return Optional.empty();
        }
        return reader.read(entry.get().value(), path(key), problems);
    }

    /** Reports every key that no reader asked for. Call after all reads. */
    void rejectUnknown() {
        for (Entry entry : map.entries().values()) {
            if (!known.contains(entry.key())) {
                String suggestion = Suggestions.nearest(entry.key(), sortedKnown())
                        .map(k -> "; did you mean '" + k + "'?")
                        .orElseGet(() -> "; known keys here: " + String.join(", ", sortedKnown()));
                problems.report(entry.keyLine(), path(entry.key()), "unknown key" + suggestion);
            }
        }
    }

    private List<String> sortedKnown() {
        List<String> keys = new ArrayList<>(known);
        keys.sort(null);
        return keys;
    }
}
