package dev.leasehold.migrate.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import dev.leasehold.migrate.ImportFailedException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Kea's configuration syntax read into a tree that remembers lines: JSON plus the comments Kea
 * allows ({@code //}, {@code /* *&#47;}, {@code #}) and trailing commas, which its own parser
 * accepts and the Debian sample file uses. {@code <?include?>} directives are refused with their
 * line: the importer reads one file.
 */
final class KeaJson {

    sealed interface Node {
        int line();
    }

    /** A member keeps its key's line: that is where an operator looks for it. */
    record Member(String key, int line, Node value) {
    }

    record Obj(int line, Map<String, Member> members) implements Node {
        Optional<Node> get(String key) {
            return Optional.ofNullable(members.get(key)).map(Member::value);
        }

        /** The member {@code key}, which the caller knows is present. */
        Member member(String key) {
            return members.get(key);
        }
    }

    record Arr(int line, List<Node> items) implements Node {
    }

    /**
     * @param value a String, Long, Double, Boolean, or null for JSON null
     * @param text the scalar as written (numbers keep their form)
     */
    record Scalar(int line, Object value, String text) implements Node {
    }

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .enable(JsonReadFeature.ALLOW_YAML_COMMENTS)
            .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
            .build();

    private KeaJson() {
    }

    static Node parse(String text, String file) throws ImportFailedException {
        int lineNumber = 0;
        for (String line : text.split("\n", -1)) {
            lineNumber++;
            if (line.strip().startsWith("<?include")) {
                throw ImportFailedException.at(file, lineNumber, "<?include?> is not followed; inline the included "
                        + "file (or import each file on its own) and import again");
            }
        }
        try (JsonParser parser = FACTORY.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw ImportFailedException.at(file, 1, "the file is empty");
            }
            Node root = read(parser, file);
            if (parser.nextToken() != null) {
                throw ImportFailedException.at(file, line(parser), "more text after the end of the configuration");
            }
            return root;
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw ImportFailedException.at(file, line, "not Kea's JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ImportFailedException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static Node read(JsonParser parser, String file) throws IOException, ImportFailedException {
        int line = line(parser);
        JsonToken token = parser.currentToken();
        return switch (token) {
            case START_OBJECT -> {
                Map<String, Member> members = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String key = parser.currentName();
                    int keyLine = line(parser);
                    parser.nextToken();
                    Node value = read(parser, file);
                    if (members.putIfAbsent(key, new Member(key, keyLine, value)) != null) {
                        throw ImportFailedException.at(file, keyLine, "\"" + key + "\" is given twice in one object");
                    }
                }
                yield new Obj(line, members);
            }
            case START_ARRAY -> {
                List<Node> items = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    items.add(read(parser, file));
                }
                yield new Arr(line, items);
            }
            case VALUE_STRING -> new Scalar(line, parser.getText(), parser.getText());
            case VALUE_NUMBER_INT -> new Scalar(line, parser.getLongValue(), parser.getText());
            case VALUE_NUMBER_FLOAT -> new Scalar(line, parser.getDoubleValue(), parser.getText());
            case VALUE_TRUE, VALUE_FALSE -> new Scalar(line, token == JsonToken.VALUE_TRUE, parser.getText());
            case VALUE_NULL -> new Scalar(line, null, "null");
            default -> throw ImportFailedException.at(file, line, "unexpected " + token);
        };
    }

    private static int line(JsonParser parser) {
        return parser.currentTokenLocation().getLineNr();
    }
}
