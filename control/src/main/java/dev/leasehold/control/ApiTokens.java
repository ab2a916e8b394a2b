package dev.leasehold.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The secrets API calls present as {@code Authorization: Bearer <token>} (RFC 6750 §2.1), each
 * with a name (for the audit log) and an access level.
 *
 * <p>The token file holds either one bare token (named {@code operator}, read-write: the
 * original format) or one token per line as {@code NAME ACCESS TOKEN}, where ACCESS is
 * {@code read-only} (GET and HEAD calls only) or {@code read-write}; blank lines and lines
 * starting with {@code #} are skipped. Read once at start. The server refuses to start the API
 * when the file is missing, holds no token, a token shorter than {@link #MIN_LENGTH}
 * characters, two tokens alike or one name twice, or is readable or writable by group or
 * others (where the file system has POSIX permissions): a token anyone on the host can read
 * protects nothing, and an API that silently runs without its token would be worse than none.
 * The same rule as ssh applies to private keys.
 */
final class ApiTokens {

    static final int MIN_LENGTH = 16;
    static final String DEFAULT_NAME = "operator";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
    private static final Set<PosixFilePermission> NOT_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);

    /** What a token may do. */
    enum Access {
        READ_ONLY, READ_WRITE;

        String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** Who made a call: the token's name and access. */
    record Caller(String name, Access access) {}

    private record Entry(Caller caller, byte[] secret) {}

    private final List<Entry> entries;

    private ApiTokens(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    static ApiTokens readFrom(Path file) throws IOException {
        PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        String text;
        try {
            if (posix != null) {
                Set<PosixFilePermission> loose = EnumSet.noneOf(PosixFilePermission.class);
                loose.addAll(posix.readAttributes().permissions());
                loose.retainAll(NOT_OTHERS);
                if (!loose.isEmpty()) {
                    throw new IOException("the control API token file " + file + " is accessible to group or others ("
                            + loose + "); chmod 600 it");
                }
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IOException("the control API token file " + file + " does not exist; create it with a random"
                    + " secret, e.g. 'openssl rand -hex 32 > " + file + " && chmod 600 " + file + "'");
        }
        return parse(text, file.toString());
    }

    static ApiTokens parse(String text, String fileName) throws IOException {
        List<String> lines = text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        if (lines.isEmpty()) {
            throw new IOException("the control API token file " + fileName + " holds no token; put a random secret of at"
                    + " least " + MIN_LENGTH + " characters in it");
        }
        List<Entry> entries = new ArrayList<>();
        if (lines.size() == 1 && lines.getFirst().split("\\s+").length == 1) {
            entries.add(new Entry(new Caller(DEFAULT_NAME, Access.READ_WRITE), secret(lines.getFirst(), fileName, 1)));
            return new ApiTokens(entries);
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String[] f = lines.get(i).split("\\s+");
            int n = i + 1;
            if (f.length != 3) {
                throw new IOException("the control API token file " + fileName + ": token " + n + " is not"
                        + " 'NAME ACCESS TOKEN' (ACCESS read-only or read-write)");
            }
            if (!NAME.matcher(f[0]).matches()) {
                throw new IOException("the control API token file " + fileName + ": token " + n + " has a bad name '"
                        + f[0] + "' (letters, digits, . _ @ -; at most 64)");
            }
            if (!names.add(f[0])) {
                throw new IOException("the control API token file " + fileName + ": the name '" + f[0] + "' is used twice");
            }
            Access access = switch (f[1]) {
                case "read-only" -> Access.READ_ONLY;
                case "read-write" -> Access.READ_WRITE;
                default -> throw new IOException("the control API token file " + fileName + ": token '" + f[0]
                        + "' has access '" + f[1] + "'; write read-only or read-write");
            };
            byte[] secret = secret(f[2], fileName, n);
            for (Entry e : entries) {
                if (MessageDigest.isEqual(e.secret(), secret)) {
                    throw new IOException("the control API token file " + fileName + ": tokens '" + e.caller().name()
                            + "' and '" + f[0] + "' are the same secret");
                }
            }
            entries.add(new Entry(new Caller(f[0], access), secret));
        }
        return new ApiTokens(entries);
    }

    private static byte[] secret(String token, String fileName, int n) throws IOException {
        if (token.length() < MIN_LENGTH) {
            throw new IOException("the control API token file " + fileName + ": token " + n + " is shorter than "
                    + MIN_LENGTH + " characters");
        }
        return token.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The caller whose token an Authorization header value carries. Every token is compared, each
     * in constant time, so the answer's timing tells nothing of which one came close.
     */
    Optional<Caller> authenticate(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        byte[] given = authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        Caller found = null;
        for (Entry e : entries) {
            if (MessageDigest.isEqual(e.secret(), given)) {
                found = e.caller();
            }
        }
        return Optional.ofNullable(found);
    }

    List<Caller> callers() {
        return entries.stream().map(Entry::caller).toList();
    }
}
