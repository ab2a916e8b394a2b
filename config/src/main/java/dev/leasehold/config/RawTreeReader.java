package dev.leasehold.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.leasehold.config.RawNode.Entry;
import dev.leasehold.config.RawNode.Kind;
import dev.leasehold.config.RawNode.RawList;
import dev.leasehold.config.RawNode.RawMap;
import dev.leasehold.config.RawNode.RawScalar;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads YAML (or JSON) text into a {@link RawNode} tree with the line of every node.
 *
 * <p>It walks Jackson's token stream rather than binding to classes, because a bound object no
 * longer knows where it came from. A text whose first character is '{' is read with the JSON
 * parser, whose syntax errors are clearer for JSON than the YAML parser's. Duplicate keys and
 * YAML aliases are problems: Jackson would otherwise keep the last duplicate and turn an alias
 * into its anchor's name, both silently.
 */
final class RawTreeReader {

    private final Problems problems;

    RawTreeReader(Problems problems) {
        this.problems = problems;
    }

    /** The root node, or empty when the text could not be read (the problems say why). */
    Optional<RawNode> read(String text) {
        String trimmed = text.stripLeading();
        boolean json = trimmed.startsWith("{");
        try (JsonParser parser = json ? new JsonFactory().createParser(text) : yamlFactory().createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                problems.report(1, "", "the file is empty; a mapping of settings is expected");
                return Optional.empty();
            }
            RawNode root = node(parser, first, "");
            if (parser.nextToken() != null) {
                problems.report(line(parser.currentTokenLocation()), "",
                        "the file holds more than one document; put the whole configuration in one");
                return Optional.empty();
            }
            return Optional.of(root);
        } catch (JsonProcessingException e) {
            JsonLocation where = e.getLocation();
            problems.report(where == null ? 0 : line(where), "", "syntax error: " + oneLine(e.getOriginalMessage()));
            return Optional.empty();
        } catch (IOException e) {
            problems.report(0, "", "cannot read: " + e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * SnakeYAML refuses documents over 3 M code points by default, a guard against hostile input
     * that a server's own configuration does not need; a large ISP file with tens of thousands
     * of subnets and reservations exceeds it.
     */
    private static YAMLFactory yamlFactory() {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(Integer.MAX_VALUE);
        // The builder, unlike the plain constructor, leaves this off: "key:" with no value would
        // then read as the empty text instead of null.
        return YAMLFactory.builder().loaderOptions(options).enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL).build();
    }

    private RawNode node(JsonParser parser, JsonToken token, String path) throws IOException {
        int line = line(parser.currentTokenLocation());
        return switch (token) {
            case START_OBJECT -> map(parser, line, path);
            case START_ARRAY -> list(parser, line, path);
            case VALUE_STRING -> {
                if (parser instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
                    problems.report(line, path, "YAML aliases (*" + parser.getText()
                            + ") are not supported; write the value out");
                }
                yield new RawScalar(line, parser.getText(), Kind.STRING);
            }
            case VALUE_NUMBER_INT -> new RawScalar(line, parser.getText(), Kind.INTEGER);
            case VALUE_NUMBER_FLOAT -> new RawScalar(line, parser.getText(), Kind.DECIMAL);
            case VALUE_TRUE, VALUE_FALSE -> new RawScalar(line, parser.getText(), Kind.BOOLEAN);
            case VALUE_NULL -> new RawScalar(line, "", Kind.NULL);
            default -> throw new IllegalStateException("unexpected token " + token + " at line " + line);
        };
    }

    private RawMap map(JsonParser parser, int line, String path) throws IOException {
        Map<String, Entry> entries = new LinkedHashMap<>();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_OBJECT) {
            String key = parser.currentName();
            int keyLine = line(parser.currentTokenLocation());
            String childPath = ConfigPath.key(path, key);
            RawNode value = node(parser, parser.nextToken(), childPath);
            Entry previous = entries.putIfAbsent(key, new Entry(key, keyLine, value));
            if (previous != null) {
                problems.report(keyLine, childPath, "duplicate key; it is already set on line " + previous.keyLine());
            }
        }
        return new RawMap(line, entries);
    }

    private RawList list(JsonParser parser, int line, String path) throws IOException {
        List<RawNode> items = new ArrayList<>();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            items.add(node(parser, token, ConfigPath.index(path, items.size())));
        }
        return new RawList(line, items);
    }

    private static int line(JsonLocation location) {
        return Math.max(location.getLineNr(), 0);
    }

    /** SnakeYAML's messages span several lines with a caret drawing; keep the sentences. */
    private static String oneLine(String message) {
        List<String> parts = new ArrayList<>();
        for (String line : message.split("\n")) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("in 'reader'") || t.startsWith("^") || t.startsWith("at [Source")
                    || line.startsWith("    ")) {
                continue;
            }
            parts.add(t);
        }
        return parts.isEmpty() ? message.strip() : String.join(" ", parts);
    }
}
