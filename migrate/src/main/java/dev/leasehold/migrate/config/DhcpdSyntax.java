package dev.leasehold.migrate.config;

import dev.leasehold.migrate.ImportFailedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The statement syntax shared by ISC dhcpd's {@code dhcpd.conf} and {@code dhcpd.leases}
 * (dhcpd.conf(5), dhcpd.leases(5)): words, quoted strings with C escapes, {@code ,} {@code =},
 * {@code #} comments; a statement ends with {@code ;} or with a {@code { … }} block.
 */
public final class DhcpdSyntax {

    /** A token; {@code quoted} strings have their escapes decoded (octal {@code \001} as char 1). */
    public record Token(String text, boolean quoted, int line) {
        public boolean is(String word) {
            return !quoted && text.equalsIgnoreCase(word);
        }
    }

    /**
     * One statement: its words up to {@code ;} or {@code {}, and its block's statements when it
     * has one.
     */
    public record Statement(int line, List<Token> words, Optional<List<Statement>> block) {
        public String keyword() {
            return words.isEmpty() ? "" : words.getFirst().text();
        }

        /** The statement as written, for the report ({@code option routers 10.0.0.1}). */
        public String describe() {
            StringBuilder out = new StringBuilder();
            for (Token t : words) {
                if (!out.isEmpty() && !t.text().equals(",")) {
                    out.append(' ');
                }
                out.append(t.quoted() ? '"' + t.text() + '"' : t.text());
            }
            return out.toString();
        }
    }

    private DhcpdSyntax() {
    }

    public static List<Statement> parse(String text, String file) throws ImportFailedException {
        List<Token> tokens = tokens(text, file);
        int[] at = {0};
        List<Statement> statements = statements(tokens, at, file, false);
        return statements;
    }

    private static List<Statement> statements(List<Token> tokens, int[] at, String file, boolean inBlock)
            throws ImportFailedException {
        List<Statement> out = new ArrayList<>();
        List<Token> words = new ArrayList<>();
        while (at[0] < tokens.size()) {
            Token t = tokens.get(at[0]++);
            if (!t.quoted() && t.text().equals(";")) {
                if (!words.isEmpty()) {
                    out.add(new Statement(words.getFirst().line(), List.copyOf(words), Optional.empty()));
                    words.clear();
                }
            } else if (!t.quoted() && t.text().equals("{")) {
                int line = words.isEmpty() ? t.line() : words.getFirst().line();
                List<Statement> block = statements(tokens, at, file, true);
                out.add(new Statement(line, List.copyOf(words), Optional.of(block)));
                words.clear();
            } else if (!t.quoted() && t.text().equals("}")) {
                if (!inBlock) {
                    throw ImportFailedException.at(file, t.line(), "'}' without a matching '{'");
                }
                if (!words.isEmpty()) {
                    throw ImportFailedException.at(file, words.getFirst().line(), "missing ';' after '"
                            + new Statement(0, words, Optional.empty()).describe() + "'");
                }
                return out;
            } else {
                words.add(t);
            }
        }
        if (inBlock) {
            throw ImportFailedException.at(file, tokens.isEmpty() ? 1 : tokens.getLast().line(),
                    "the file ends inside a '{' block (missing '}')");
        }
        if (!words.isEmpty()) {
            throw ImportFailedException.at(file, words.getFirst().line(), "missing ';' after '"
                    + new Statement(0, words, Optional.empty()).describe() + "'");
        }
        return out;
    }

    private static List<Token> tokens(String text, String file) throws ImportFailedException {
        List<Token> out = new ArrayList<>();
        int line = 1;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
                i++;
            } else if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '#') {
                while (i < text.length() && text.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '"') {
                int start = line;
                StringBuilder s = new StringBuilder();
                i++;
                while (true) {
                    if (i >= text.length()) {
                        throw ImportFailedException.at(file, start, "a quoted string is not closed");
                    }
                    char d = text.charAt(i++);
                    if (d == '"') {
                        break;
                    }
                    if (d == '\n') {
                        line++;
                    }
                    if (d == '\\' && i < text.length()) {
                        char e = text.charAt(i++);
                        if (e >= '0' && e <= '7') {
                            int end = i - 1;
                            while (end < text.length() && end < i + 2 && text.charAt(end) >= '0' && text.charAt(end) <= '7') {
                                end++;
                            }
                            s.append((char) Integer.parseInt(text.substring(i - 1, end), 8));
                            i = end;
                        } else {
                            s.append(switch (e) {
                                case 'n' -> '\n';
                                case 't' -> '\t';
                                case 'r' -> '\r';
                                default -> e;
                            });
                        }
                    } else {
                        s.append(d);
                    }
                }
                out.add(new Token(s.toString(), true, start));
            } else if (c == ';' || c == '{' || c == '}' || c == ',' || c == '=') {
                out.add(new Token(String.valueOf(c), false, line));
                i++;
            } else {
                int start = i;
                while (i < text.length() && !Character.isWhitespace(text.charAt(i)) && "\";{},=#".indexOf(text.charAt(i)) < 0) {
                    i++;
                }
                out.add(new Token(text.substring(start, i), false, line));
            }
        }
        return out;
    }
}
