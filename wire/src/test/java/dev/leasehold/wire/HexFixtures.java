package dev.leasehold.wire;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * Reads annotated hex: '#' starts a comment to the end of the line, whitespace is ignored, and
 * {@code 00*64} stands for 64 zero bytes (any byte, any count), so a fixture can list the fields
 * of a message one per line. Plain hex dumps (the captured packets) are a special case.
 */
final class HexFixtures {
    private HexFixtures() {
    }

    static byte[] parse(String text) {
        StringBuilder hex = new StringBuilder();
        for (String line : text.split("\n")) {
            int hash = line.indexOf('#');
            String content = hash >= 0 ? line.substring(0, hash) : line;
            for (String token : content.trim().split("\\s+")) {
                if (token.isEmpty()) {
                    continue;
                }
                int star = token.indexOf('*');
                if (star > 0) {
                    hex.append(token.substring(0, star).repeat(Integer.parseInt(token.substring(star + 1))));
                } else {
                    hex.append(token);
                }
            }
        }
        return HexFormat.of().parseHex(hex);
    }

    static byte[] resource(String name) {
        try (InputStream in = HexFixtures.class.getResourceAsStream("/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + name);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] file(Path path) {
        try {
            return parse(Files.readString(path, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
