package dev.leasehold.config;

import dev.leasehold.wire.OptionDefinitions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a server configuration file (YAML; JSON is accepted too) into a validated, immutable
 * {@link ServerConfig}, or refuses it with every problem found, each naming the file, the line
 * and the path ({@code subnets[1].pools[0].end}). Nothing is corrected silently (DESIGN §4.5).
 * The keys, defaults and rules are described in docs/configuration.md.
 *
 * <p>Used at start, at reload (a refused file leaves the running configuration in place) and by
 * {@code leasehold check-config}. Stateless and thread-safe.
 */
public final class ConfigLoader {

    private ConfigLoader() {
    }

    /**
     * Reads and validates the file at {@code file}.
     *
     * @throws ConfigException listing every problem; an unreadable file is one problem without a line
     */
    public static ServerConfig load(Path file) throws ConfigException {
        return loadSource(file).config();
    }

    /**
     * A configuration with the text it was read from, taken in one read: what a server reports as
     * running must be the bytes it parsed, not the file as it is later.
     *
     * @param text the file's text as read (without a byte order mark)
     */
    public record Source(ServerConfig config, String text) {}

    /** As {@link #load(Path)}, keeping the text that was parsed. */
    public static Source loadSource(Path file) throws ConfigException {
        String name = file.toString();
        String text;
        try {
            // A strict decoder: a Latin-1 file must be refused, not read with replacement characters.
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw new ConfigException(List.of(new ConfigProblem(name, 0, "", "the file is not UTF-8 text")));
        } catch (IOException e) {
            throw new ConfigException(List.of(new ConfigProblem(name, 0, "", "cannot read the file: " + describe(e))));
        }
        // Editors on Windows may start UTF-8 files with a byte order mark; it is not content.
        String content = text.startsWith("\uFEFF") ? text.substring(1) : text;
        return new Source(parse(content, name), content);
    }

    /**
     * Reads and validates configuration text, with the standard option definitions of the codec.
     *
     * @param fileName the name problems are reported under
     * @throws ConfigException listing every problem, in line order
     */
    public static ServerConfig parse(String text, String fileName) throws ConfigException {
        return parse(text, fileName, OptionDefinitions.standard());
    }

    /**
     * Like {@link #parse(String, String)}, resolving option names and codes through
     * {@code definitions} (the standard table plus a site's own, say).
     */
    public static ServerConfig parse(String text, String fileName, OptionDefinitions definitions)
            throws ConfigException {
        Problems problems = new Problems(fileName);
        var config = new RawTreeReader(problems).read(text)
                .flatMap(root -> new ServerConfigReader(definitions).read(root, problems));
        problems.throwIfAny();
        return config.orElseThrow(() -> new IllegalStateException("no configuration and no problem reported"));
    }

    private static String describe(IOException e) {
        return switch (e) {
            case NoSuchFileException n -> "no such file";
            case AccessDeniedException a -> "permission denied";
            default -> e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        };
    }
}
