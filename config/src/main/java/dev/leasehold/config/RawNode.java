package dev.leasehold.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The configuration file as read, before any meaning is given to it: mappings, lists and scalars,
 * each remembering the line it started on so that every later problem can name that line.
 */
sealed interface RawNode {

    /** The 1-based line where the node starts. */
    int line();

    /** What the node is, in the words an operator would use ("a mapping", "a list", "a number"). */
    String describe();

    /** A mapping; entries keep the file's order and each entry knows the line of its key. */
    record RawMap(int line, Map<String, Entry> entries) implements RawNode {
        public RawMap {
            entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        }

        @Override
        public String describe() {
            return "a mapping";
        }
    }

    /** One key of a mapping and its value. */
    record Entry(String key, int keyLine, RawNode value) {
    }

    record RawList(int line, List<RawNode> items) implements RawNode {
        public RawList {
            items = List.copyOf(items);
        }

        @Override
        public String describe() {
            return "a list";
        }
    }

    /**
     * A scalar exactly as written (YAML resolves {@code 0x1F} to a number and {@code yes} to a
     * boolean, but the text is kept, so a hex string or a hostname "no" stays what was typed).
     */
    record RawScalar(int line, String text, Kind kind) implements RawNode {
        @Override
        public String describe() {
            return switch (kind) {
                case STRING -> "the text '" + text + "'";
                case INTEGER, DECIMAL -> "the number " + text;
                case BOOLEAN -> "the boolean " + text;
                case NULL -> "nothing";
            };
        }
    }

    enum Kind { STRING, INTEGER, DECIMAL, BOOLEAN, NULL }
}
